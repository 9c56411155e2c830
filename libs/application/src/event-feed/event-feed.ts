import { recordedAtOf, showPosition, StreamNotFoundError, yieldToEventLoop, type EventStore, type LogPosition, type RecordedEvent } from '@itsm/event-store';
import { concernsTenant, dataForTenant, isServedEntry, tenantScope, type TenantScope } from './tenant-scope';

/** One event as a tenant's feed shows it. */
export interface FeedEvent {
  eventId: string;
  type: string;
  streamId: string;
  revision: string;
  /** The tenant whose stream holds it (a ticket's, a register's); null for a shared catalogue entry. */
  tenantId: string | null;
  ticketId: string | null;
  occurredAt: string | null;
  recordedAt: string;
  /** Resume after this (opaque: store it, hand it back). */
  position: string;
  data: Record<string, unknown>;
}

export interface FeedQuery {
  tenantId: string;
  /** Exclusive: the `next` of a previous page, or an event's position. Absent: from the start. */
  after?: LogPosition;
  /** Only these event types (absent: all). */
  types?: ReadonlySet<string>;
  /** Whether the reader may see another tenant (its token): shared events list only those. */
  mayView: (tenantId: string) => boolean;
}

export interface FeedPage {
  events: FeedEvent[];
  /** Ask again with after=next; the position of the last event looked at, which may lie past the last one shown. */
  next: string | null;
  /** True when the page reached the head of the log: nothing more is there now. */
  atHead: boolean;
}

/** At most this many events of the log are looked at for one page: a page of a rare type never reads the whole log. */
export const FEED_SCAN_LIMIT = 10_000;

/**
 * A tenant's events in log order: the feed consumers build their own reports from, with the
 * guarantees our projector has (log order, resume strictly after a position, nothing skipped).
 * Another tenant's events never appear; shared catalogue entries appear where they serve (or
 * stopped serving) the tenant, suppliers everywhere.
 */
export class EventFeed {
  constructor(private readonly store: EventStore) {}

  /** Throws InvalidPositionError when `after` is no event's position in this log (before anything is answered). */
  async checkPosition(after: LogPosition | undefined): Promise<void> {
    for await (const _ of this.store.readAll({ after, maxCount: 1 })) break;
  }

  async page(q: FeedQuery, limit: number): Promise<FeedPage> {
    const events: FeedEvent[] = [];
    let last = q.after;
    let scanned = 0;
    for await (const e of this.store.readAll({ after: q.after, maxCount: FEED_SCAN_LIMIT })) {
      scanned++;
      const shown = await this.show(e, q);
      last = e.position;
      if (shown) events.push(shown);
      if (events.length >= limit) break;
      if (scanned % 1000 === 0) await yieldToEventLoop();
    }
    const atHead = events.length < limit && scanned < FEED_SCAN_LIMIT;
    return { events, next: showPosition(last), atHead };
  }

  /**
   * Catch-up, then live: every event after `after` that the tenant's feed shows, with the position
   * of each event looked at (shown or not), so a follower can say how far it has read.
   */
  follow(q: FeedQuery): FeedSubscription {
    const subscription = this.store.subscribeToAll({ after: q.after });
    const show = (e: RecordedEvent) => this.show(e, q);
    return {
      close: () => subscription.close(),
      async *[Symbol.asyncIterator]() {
        for await (const e of subscription) yield { position: e.position, event: await show(e) };
      },
    };
  }

  /** The event as the tenant's feed shows it, or undefined when it is not the tenant's. */
  async show(e: RecordedEvent, q: FeedQuery): Promise<FeedEvent | undefined> {
    if (q.types && !q.types.has(e.type)) return undefined;
    const scope = tenantScope(e);
    const before = scope.kind === 'served' && !scope.tenantIds.includes(q.tenantId) && isServedEntry(e.streamId) ? await this.servedBefore(e) : [];
    if (!concernsTenant(scope, q.tenantId, before)) return undefined;
    return feedEvent(e, scope, dataForTenant(scope, e.data, q.tenantId, q.mayView));
  }

  /** The tenants a catalogue entry served before this revision (none for its first). */
  private async servedBefore(e: RecordedEvent): Promise<string[]> {
    if (e.revision === 0n) return [];
    try {
      for await (const previous of this.store.readStream(e.streamId, { fromRevision: e.revision - 1n, maxCount: 1 })) {
        const scope = tenantScope(previous);
        return scope.kind === 'served' ? scope.tenantIds : [];
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return [];
  }
}

/** A live feed: each event looked at, with the feed's view of it when the tenant's feed shows it. */
export interface FeedSubscription extends AsyncIterable<{ position: LogPosition; event: FeedEvent | undefined }> {
  close(): Promise<void>;
}

export function feedEvent(e: RecordedEvent, scope: TenantScope, data: Record<string, unknown>): FeedEvent {
  return {
    eventId: e.id,
    type: e.type,
    streamId: e.streamId,
    revision: e.revision.toString(),
    tenantId: scope.kind === 'own' ? scope.tenantId : null,
    ticketId: scope.kind === 'own' ? (scope.ticketId ?? null) : null,
    occurredAt: typeof e.data.occurredAt === 'string' ? e.data.occurredAt : null,
    recordedAt: recordedAtOf(e).toISOString(),
    position: e.position.toString(),
    data,
  };
}
