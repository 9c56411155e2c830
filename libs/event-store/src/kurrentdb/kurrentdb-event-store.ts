import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  START,
  excludeSystemEvents,
  jsonEvent,
} from '@kurrent/kurrentdb-client';
import type {
  AllSubscription,
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../event-store.port';
import { validateAppend } from '../validate-append';
import { mapKurrentError, toKurrentPosition, toPortPosition, toRecordedEvent, toStreamState } from './kurrentdb-mapping';

/**
 * The production store: KurrentDB (or EventStoreDB 23+) through the official gRPC client.
 * The server does the hard parts (expected revisions, idempotent appends by event id, $all
 * ordering, catch-up subscriptions); this adapter only translates types and errors.
 */
export class KurrentDbEventStore implements EventStore {
  readonly kind = 'kurrentdb' as const;
  private readonly client: KurrentDBClient;

  constructor(connectionString: string) {
    this.client = KurrentDBClient.connectionString(connectionString);
  }

  async append(streamId: string, events: EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    validateAppend(streamId, events, options?.expectedRevision);
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((e) => jsonEvent({ id: e.id.toLowerCase(), type: e.type, data: e.data, metadata: e.metadata ?? {} })),
        { streamState: toStreamState(options.expectedRevision) },
      );
      return { nextRevision: result.nextExpectedRevision, position: toPortPosition(result.position) };
    } catch (error) {
      throw mapKurrentError(error, streamId, options.expectedRevision);
    }
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const backwards = options.direction === 'backwards';
    const events = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision ?? (backwards ? END : START),
      maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
    });
    try {
      for await (const resolved of events) if (resolved.event) yield toRecordedEvent(resolved.event);
    } catch (error) {
      throw mapKurrentError(error, streamId);
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const events = this.client.readAll({
      fromPosition: options.fromPosition === undefined ? START : toKurrentPosition(options.fromPosition),
      maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      filter: excludeSystemEvents(),
    });
    for await (const resolved of events) {
      if (resolved.event && !resolved.event.streamId.startsWith('$')) yield toRecordedEvent(resolved.event);
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    // The server's catch-up subscription is exclusive of fromPosition, like the port's.
    const subscription = this.client.subscribeToAll({
      fromPosition: options.fromPosition === undefined ? START : toKurrentPosition(options.fromPosition),
      filter: excludeSystemEvents(),
    });
    return {
      async *[Symbol.asyncIterator]() {
        for await (const resolved of subscription) {
          if (resolved.event && !resolved.event.streamId.startsWith('$')) yield toRecordedEvent(resolved.event);
        }
      },
      close: () => subscription.unsubscribe(),
    };
  }

  async headPosition(): Promise<bigint> {
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, filter: excludeSystemEvents() })) {
      if (resolved.event) return toPortPosition(resolved.event.position);
    }
    return 0n;
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
