import { StreamNotFoundError, WakeableSleep, type EventStore, type RecordedEvent } from '@itsm/event-store';
import { Projector, type ProjectionStatus } from '@itsm/projections';
import type { ReadStore } from '@itsm/read-store';
import { SecretUnavailableError, secretBinding, type SecretBox } from './secret-box';
import { webhookDeliveriesProjection } from './webhook-deliveries.projection';
import { LEDGER, type DeliveryDoc, type DeliveryStatus, type SubscriptionDoc } from './webhook-ledger';
import { webhookPayload } from './webhook-payload';
import type { DeliveryOutcome, WebhookSender } from './webhook-sender';
import { webhookSignature } from './webhook-signature';

export interface DeliveryProcessorOptions {
  /** Opens the webhooks' sealed secrets; without one (no key configured) deliveries are enqueued and wait. */
  secrets: SecretBox | undefined;
  sender: WebhookSender;
  /** The time (ms); tests move it. */
  now?: () => number;
  /** Waits until a retry is due; tests pass one that moves their clock instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
  /** Failures in a row before a delivery is parked (failed) for an admin to retry. */
  maxAttempts?: number;
  /** Waits between failed attempts of a delivery: doubling from initialMs up to maxMs. */
  retry?: { initialMs?: number; maxMs?: number };
  /** Webhooks delivered to at once (one delivery at a time each, in log order). */
  concurrency?: number;
  /** With nothing due, how often it looks again for work another process made (ms). */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

export const DEFAULT_MAX_ATTEMPTS = 10;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Delivers the log to webhooks, at least once and in log order per webhook. Two halves:
 * - the enqueue side is a projection (webhookDeliveriesProjection) run by the projector runtime: it
 *   consumes `$all` from its own checkpoint and commits each batch's new pending deliveries with
 *   that checkpoint, so a kill neither loses nor repeats one;
 * - the dispatcher sends each webhook's oldest pending delivery, signed, and records the outcome in
 *   its ledger row. A failure is retried after a doubling wait; after maxAttempts in a row the
 *   delivery is parked (`failed`) and the webhook goes on with the next; an admin's retry puts it
 *   back in line. A kill between a receiver's 2xx and the ledger's write sends it again: receivers
 *   dedupe by event id.
 * Run it in one process at a time (the API embedded, or the projector): two would both send.
 */
export class WebhookDeliveryProcessor {
  readonly ingest: Projector;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly retry: { initialMs: number; maxMs: number };
  private readonly nap = new WakeableSleep();
  private loop: Promise<void> | undefined;
  private stopped = true;
  /** Set when the process is "killed": outcomes of attempts in flight are not recorded. */
  private abandoned = false;
  private woken = false;

  constructor(
    private readonly events: EventStore,
    private readonly reads: ReadStore,
    private readonly options: DeliveryProcessorOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.retry = { initialMs: options.retry?.initialMs ?? 10_000, maxMs: options.retry?.maxMs ?? 3_600_000 };
    this.ingest = new Projector(events, reads, webhookDeliveriesProjection(), {
      bulkIndexes: false,
      onBatch: () => this.wake(),
      onError: options.onError,
    });
  }

  /** Declares the ledger's collections and reads the checkpoint. */
  init(): Promise<void> {
    return this.ingest.init();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.abandoned = false;
    this.ingest.start();
    this.loop = this.dispatchLoop();
  }

  /** Stops after the attempts in flight are recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.nap.wake();
    await this.ingest.stop();
    await this.loop;
  }

  /**
   * Stops as a killed process would: nothing more is written, attempts in flight are not recorded
   * (their receivers may have them: the next instance sends them again).
   */
  async abandon(): Promise<void> {
    this.abandoned = true;
    this.stopped = true;
    this.nap.wake();
    await this.ingest.stop();
  }

  /** There may be new work (a batch enqueued, a retry requested). */
  wake(): void {
    this.woken = true;
    this.nap.wake();
  }

  status(): Promise<ProjectionStatus> {
    return this.ingest.status();
  }

  /** The wait after the n-th failure in a row: doubling, up to the ceiling. */
  retryDelayMs(failures: number): number {
    return Math.min(this.retry.maxMs, this.retry.initialMs * 2 ** Math.min(failures - 1, 30));
  }

  private async dispatchLoop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      this.woken = false;
      let nextDue: number | undefined;
      try {
        nextDue = await this.round();
        failures = 0;
      } catch (error) {
        // The stores failed (not a receiver: those failures are the ledger's). Look again later.
        this.options.onError?.(error);
        nextDue = this.now() + this.retryDelayMs(++failures);
      }
      if (this.stopped) break;
      if (this.woken || (nextDue !== undefined && nextDue <= this.now())) continue;
      const idle = this.nap.sleep(this.options.pollMs ?? 1000);
      await (nextDue === undefined ? idle : Promise.race([idle, this.sleep(nextDue - this.now())]));
      this.nap.wake();
    }
  }

  /** Sends what is due to every webhook in force; answers when the next retry falls due (undefined: none waits). */
  private async round(): Promise<number | undefined> {
    if (!this.options.secrets) return undefined; // nothing can be signed: deliveries wait, enqueued, for a key
    const hooks = await this.activeHooks();
    let earliest: number | undefined;
    const limit = this.options.concurrency ?? 8;
    for (let i = 0; i < hooks.length && !this.stopped; i += limit) {
      const due = await Promise.all(hooks.slice(i, i + limit).map((h) => this.drain(h)));
      for (const d of due) if (d !== undefined && (earliest === undefined || d < earliest)) earliest = d;
    }
    return earliest;
  }

  private async activeHooks(): Promise<SubscriptionDoc[]> {
    const out: SubscriptionDoc[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.reads.find<SubscriptionDoc>(LEDGER.subscriptions, { filter: { active: true }, limit: 500, cursor });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  /** Sends a webhook's pending deliveries in log order while they are due; answers when its head is next due. */
  private async drain(hook: SubscriptionDoc): Promise<number | undefined> {
    while (!this.stopped) {
      const [head] = (
        await this.reads.find<DeliveryDoc>(LEDGER.deliveries, {
          filter: { hook: hook.id, status: 'pending' },
          sort: { field: 'seq', direction: 'asc' },
          limit: 1,
        })
      ).items;
      if (!head) return undefined;
      const dueAt = head.nextAttemptAt ? Date.parse(head.nextAttemptAt) : 0;
      if (dueAt > this.now()) return dueAt;
      await this.attempt(hook, head);
    }
    return undefined;
  }

  private async attempt(hook: SubscriptionDoc, d: DeliveryDoc): Promise<void> {
    const outcome = await this.send(hook, d);
    if (this.abandoned) return;
    const failures = outcome.ok ? d.failures : d.failures + 1;
    const status: DeliveryStatus = outcome.ok ? 'delivered' : failures >= (this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS) ? 'failed' : 'pending';
    const at = this.now();
    const row: DeliveryDoc = {
      ...d,
      status,
      attempts: d.attempts + 1,
      failures,
      lastStatus: outcome.status,
      lastError: outcome.ok ? null : outcome.error,
      lastAttemptAt: new Date(at).toISOString(),
      nextAttemptAt: status === 'pending' ? new Date(at + this.retryDelayMs(failures)).toISOString() : null,
      deliveredAt: outcome.ok ? new Date(at).toISOString() : d.deliveredAt,
    };
    await this.reads.upsert(LEDGER.deliveries, d.id, row);
  }

  private async send(hook: SubscriptionDoc, d: DeliveryDoc): Promise<DeliveryOutcome> {
    let secret: string;
    let event: RecordedEvent;
    try {
      secret = this.options.secrets!.open(hook.secret, secretBinding(hook.tenantId, hook.webhookId));
      event = await this.readEvent(d);
    } catch (error) {
      if (error instanceof SecretUnavailableError || error instanceof StreamNotFoundError) return { ok: false, status: null, error: error.message };
      throw error;
    }
    const body = JSON.stringify(webhookPayload(event, hook.tenantId, d.timeZone));
    const timestamp = String(Math.floor(this.now() / 1000));
    return this.options.sender.send({
      url: hook.url,
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'itsm-webhooks/1',
        'x-itsm-event-id': event.id,
        'x-itsm-webhook-id': hook.webhookId,
        'x-itsm-timestamp': timestamp,
        'x-itsm-signature': webhookSignature(secret, timestamp, body),
      },
    });
  }

  private async readEvent(d: DeliveryDoc): Promise<RecordedEvent> {
    for await (const e of this.events.readStream(d.streamId, { fromRevision: BigInt(d.revision), maxCount: 1 })) if (e.id === d.eventId) return e;
    throw new StreamNotFoundError(d.streamId);
  }
}
