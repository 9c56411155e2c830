import { BACKWARDS, END, FORWARDS, KurrentDBClient, START, excludeSystemEvents, jsonEvent, type AllStreamSubscription } from '@kurrent/kurrentdb-client';
import {
  InvalidPositionError,
  validateAppend,
  type AllSubscription,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type LogPosition,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from '@itsm/event-store';
import { isSystemStream, mapKurrentError, toKurrentPosition, toPortPosition, toRecordedEvent, toStreamState } from './kurrentdb-mapping';

/** Events asked of the server per read of $all; a page ends early only at the end of the log. */
const PAGE = 1000;
const ALL = '$all';

/**
 * The production store: KurrentDB (or EventStoreDB 23+) through the official gRPC client.
 * The server does the hard parts (expected revisions, idempotent appends by event id, $all
 * ordering, catch-up subscriptions); this adapter translates types, positions and errors.
 *
 * Positions: an event's position is its commit position, which for an ordinary append equals its
 * prepare position (its own offset in the log). Reading $all forwards from {P, P} is inclusive of
 * the event at P on the server, so `readAll({ after })` skips it; a catch-up subscription from P is
 * exclusive, like the port. A P that is not the start of a record fails on the server
 * (InvalidPosition), and a P beyond the end is silently accepted by the server (a subscription
 * would then skip live events up to P), so both are refused here with InvalidPositionError.
 */
export class KurrentDbEventStore implements EventStore {
  readonly kind = 'kurrentdb' as const;
  private readonly client: KurrentDBClient;

  constructor(connectionString: string) {
    this.client = KurrentDBClient.connectionString(connectionString);
  }

  async append(streamId: string, events: EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    validateAppend(streamId, events, options?.expectedRevision);
    let result;
    try {
      result = await this.client.appendToStream(
        streamId,
        events.map((e) => jsonEvent({ id: e.id.toLowerCase(), type: e.type, data: e.data, metadata: e.metadata ?? {} })),
        { streamState: toStreamState(options.expectedRevision) },
      );
    } catch (error) {
      throw mapKurrentError(error, { streamId, expected: options.expectedRevision });
    }
    // The server reports the position of the append's last event.
    return { nextRevision: result.nextExpectedRevision, position: toPortPosition(result.position) };
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    try {
      const events = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision ?? (backwards ? END : START),
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      });
      for await (const resolved of events) if (resolved.event) yield toRecordedEvent(resolved.event);
    } catch (error) {
      throw mapKurrentError(error, { streamId });
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let after = options.after;
    let yielded = 0;
    let firstPage = true;
    while (yielded < max) {
      // From {after, after} the server starts AT the event at `after` (inclusive): ask one more and skip it.
      const want = Math.min(PAGE, max - yielded) + (after === undefined ? 0 : 1);
      let received = 0;
      let last: LogPosition | undefined;
      try {
        const events = this.client.readAll({
          fromPosition: after === undefined ? START : toKurrentPosition(after),
          maxCount: want,
          filter: excludeSystemEvents(),
        });
        for await (const resolved of events) {
          received++;
          if (!resolved.event) continue;
          const position = toPortPosition(resolved.event.position);
          last = position;
          if (after !== undefined && position <= after) continue;
          if (isSystemStream(resolved.event.streamId)) continue;
          yield toRecordedEvent(resolved.event);
          if (++yielded >= max) return;
        }
      } catch (error) {
        throw mapKurrentError(error, { streamId: ALL, position: after });
      }
      if (firstPage && received === 0 && after !== undefined) await this.assertNotPastHead(after);
      firstPage = false;
      if (received < want || last === undefined) return;
      after = last;
    }
  }

  /**
   * A read from beyond the end of the log succeeds empty on the server; for the port that is a
   * position that is no event's (a checkpoint from another store, or a restored one).
   */
  private async assertNotPastHead(after: LogPosition): Promise<void> {
    const head = await this.headPosition();
    if (head === undefined || after > head) throw new InvalidPositionError(after.toString());
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    const after = options.after;
    const client = this.client;
    const firstAfter = (position: LogPosition) => this.readAll({ after: position, maxCount: 1 });
    let subscription: AllStreamSubscription | undefined;
    let closed = false;
    return {
      async *[Symbol.asyncIterator]() {
        // Check the checkpoint first: from a position past the end the server would silently skip
        // every live event up to it; from one inside a record it fails only once subscribed.
        if (after !== undefined) for await (const _ of firstAfter(after)) break;
        if (closed) return;
        // The server's catch-up subscription is exclusive of fromPosition, like the port's.
        subscription = client.subscribeToAll({
          fromPosition: after === undefined ? START : toKurrentPosition(after),
          filter: excludeSystemEvents(),
        });
        try {
          for await (const resolved of subscription) {
            if (resolved.event && !isSystemStream(resolved.event.streamId)) yield toRecordedEvent(resolved.event);
          }
        } catch (error) {
          // A dropped subscription is not resumed here: the consumer resubscribes from its checkpoint.
          throw mapKurrentError(error, { streamId: ALL, position: after });
        }
      },
      close: async () => {
        closed = true;
        await subscription?.unsubscribe();
      },
    };
  }

  async headPosition(): Promise<LogPosition | undefined> {
    try {
      const events = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: Number.MAX_SAFE_INTEGER, filter: excludeSystemEvents() });
      // The same events as readAll yields: the first one backwards outside the system streams.
      for await (const resolved of events) {
        if (resolved.event && !isSystemStream(resolved.event.streamId)) return toPortPosition(resolved.event.position);
      }
    } catch (error) {
      throw mapKurrentError(error, { streamId: ALL });
    }
    return undefined;
  }

  async countEventsAfter(after?: LogPosition, max = Number.MAX_SAFE_INTEGER): Promise<number> {
    let count = 0;
    for await (const _ of this.readAll({ after, maxCount: max })) count++;
    return count;
  }

  async ping(): Promise<boolean> {
    try {
      await this.headPosition();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
