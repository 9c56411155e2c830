import type { LogPosition } from './log-position';

/**
 * The EventStore port: the only way the application touches the log.
 * Semantics follow EventStoreDB/KurrentDB so that both adapters pass one contract suite:
 * revisions start at 0 per stream, positions are global, opaque and increase in commit order.
 * "Before the first event" is `undefined`, never a position.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** What a stream's revision is right now: 'no_stream' or the revision of its last event. */
export type CurrentRevision = 'no_stream' | bigint;

export type JsonObject = { [key: string]: unknown };

export interface EventToAppend {
  /** A uuid. Derive it from the command id so that a retried command appends nothing new. */
  id: string;
  type: string;
  data: JsonObject;
  metadata?: JsonObject;
}

export interface RecordedEvent {
  id: string;
  streamId: string;
  revision: bigint;
  position: LogPosition;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  recordedAt: Date;
}

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event of the stream after the append: pass it as the next expectedRevision. */
  nextRevision: bigint;
  /** Global position of the last event written by this append. */
  position: LogPosition;
}

export interface ReadStreamOptions {
  /** Inclusive. Default: the first event (forwards) or the last (backwards). */
  fromRevision?: bigint;
  maxCount?: number;
  direction?: 'forwards' | 'backwards';
}

export interface ReadAllOptions {
  /**
   * Exclusive: a checkpoint, the position of an event read before; the first event returned is the
   * one after it. Absent: from the start. A position that is no event's fails with InvalidPositionError.
   */
  after?: LogPosition;
  maxCount?: number;
}

export interface SubscribeToAllOptions {
  /** Exclusive: a saved checkpoint; the subscription delivers the events after it. Absent: from the start. */
  after?: LogPosition;
}

/** A catch-up subscription: first the history, then live appends; ends when closed. */
export interface AllSubscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export type EventStoreKind = 'sqlite' | 'kurrentdb';

export interface EventStore {
  readonly kind: EventStoreKind;
  append(streamId: string, events: EventToAppend[], options: AppendOptions): Promise<AppendResult>;
  /** Throws StreamNotFoundError (when iterated) for a stream that does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  subscribeToAll(options?: SubscribeToAllOptions): AllSubscription;
  /** Position of the last event in the log; undefined when the log is empty. */
  headPosition(): Promise<LogPosition | undefined>;
  /**
   * How many events lie after a position (absent: in the whole log), counting at most `max`:
   * lag and progress are counted in events, never by subtracting positions.
   */
  countEventsAfter(after?: LogPosition, max?: number): Promise<number>;
  /** True when the store answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Nest injection token for the port. */
export const EVENT_STORE = Symbol('EVENT_STORE');
