import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup, hostOf, parseReceiverUrl, receiverAddresses, ReceiverRefusedError, type ReceiverPolicy } from './receiver-address';

export interface DeliveryRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What one attempt came to: a 2xx, or why not (the receiver's status, or no answer at all). */
export type DeliveryOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

export interface WebhookSender {
  send(request: DeliveryRequest): Promise<DeliveryOutcome>;
}

/** Enough of a receiver's answer to tell it in the ledger; the rest is not read. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs a delivery over node:http(s). The socket connects only to addresses checked at that moment
 * (guardedLookup; an IP literal is checked before), redirects are not followed (a 3xx is a
 * failure: a redirect could point inside), and the whole exchange has one deadline.
 */
export class HttpWebhookSender implements WebhookSender {
  constructor(
    private readonly policy: ReceiverPolicy,
    private readonly timeoutMs = 10_000,
  ) {}

  async send({ url, headers, body }: DeliveryRequest): Promise<DeliveryOutcome> {
    let target: URL;
    try {
      target = parseReceiverUrl(url, this.policy);
      await receiverAddresses(hostOf(target), this.policy);
    } catch (error) {
      if (error instanceof ReceiverRefusedError) return { ok: false, status: null, error: error.message };
      throw error;
    }
    return new Promise<DeliveryOutcome>((resolve) => {
      let settled = false;
      const done = (outcome: DeliveryOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve(outcome);
      };
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        target,
        { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: guardedLookup(this.policy), agent: false },
        (res: IncomingMessage) => {
          const status = res.statusCode ?? 0;
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_ANSWER_BYTES) res.destroy();
          });
          const settle = () => done(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `the receiver answered ${status}` });
          res.on('end', settle);
          res.on('close', settle);
          res.on('error', settle);
        },
      );
      const deadline = setTimeout(() => {
        done({ ok: false, status: null, error: `no answer within ${this.timeoutMs} ms` });
        req.destroy();
      }, this.timeoutMs);
      req.on('error', (error: Error) => done({ ok: false, status: null, error: error.message }));
      req.end(body);
    });
  }
}
