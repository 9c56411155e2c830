import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the receiver does with a request: answer with a status, or hold it (no answer) until released or timed out. */
export type Answer = number | 'hang' | 'hold';

export interface ReceivedRequest {
  path: string;
  eventId: string;
  timestamp: string;
  signature: string;
  body: string;
  /** The status answered; null while held or when never answered (the sender gave up). */
  answered: number | null;
}

/**
 * A real HTTP receiver on loopback (node:http) that records every request and answers as the
 * test scripts it: by path and event id, the n-th request gets the n-th answer of its script.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly scripts = new Map<string, Answer[]>();
  private readonly held: Array<{ res: ServerResponse; request: ReceivedRequest }> = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.receive(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The answers to the requests for one event, in order; 200 once the script runs out. */
  script(eventId: string, answers: Answer[]): void {
    this.scripts.set(eventId, [...answers]);
  }

  /** Answers every held request with this status. */
  release(status = 200): void {
    for (const { res, request } of this.held.splice(0)) {
      request.answered = status;
      res.writeHead(status).end();
    }
  }

  get holding(): number {
    return this.held.length;
  }

  for(eventId: string, path?: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.eventId === eventId && (path === undefined || r.path === path));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: ReceivedRequest = {
        path: req.url ?? '',
        eventId: String(req.headers['x-itsm-event-id'] ?? ''),
        timestamp: String(req.headers['x-itsm-timestamp'] ?? ''),
        signature: String(req.headers['x-itsm-signature'] ?? ''),
        body: Buffer.concat(chunks).toString('utf8'),
        answered: null,
      };
      this.requests.push(request);
      const answer = this.scripts.get(request.eventId)?.shift() ?? 200;
      if (answer === 'hang') return; // never answered: the sender's timeout ends it
      if (answer === 'hold') return void this.held.push({ res, request });
      request.answered = answer;
      res.writeHead(answer).end();
    });
  }
}

/** Waits until a condition holds (no timing assumption: only a generous bound for a hung test). */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
