import {
  AccessDeniedError as KurrentAccessDenied,
  AppendRecordSizeExceededError as KurrentAppendRecordSizeExceeded,
  DeadlineExceededError as KurrentDeadlineExceeded,
  MaxAppendSizeExceededError as KurrentMaxAppendSizeExceeded,
  NotLeaderError as KurrentNotLeader,
  StreamDeletedError as KurrentStreamDeleted,
  StreamNotFoundError as KurrentStreamNotFound,
  StreamTombstonedError as KurrentStreamTombstoned,
  TimeoutError as KurrentTimeout,
  TransactionMaxSizeExceededError as KurrentTransactionMaxSizeExceeded,
  UnavailableError as KurrentUnavailable,
  UnknownError as KurrentUnknown,
  WrongExpectedVersionError as KurrentWrongExpectedVersion,
  type AllStreamRecordedEvent,
  type AppendStreamState,
  type Position,
  type RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import {
  AppendTooLargeError,
  asLogPosition,
  EventStoreUnavailableError,
  InvalidPositionError,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type ExpectedRevision,
  type JsonObject,
  type LogPosition,
  type RecordedEvent,
} from '@itsm/event-store';

/**
 * The port speaks one position. KurrentDB speaks {commit, prepare}; for an event written by an
 * ordinary append (no explicit transactions, which this system never uses) the two are equal (the
 * event's own log offset), so the port keeps the commit position and rebuilds the pair from it.
 */
export function toPortPosition(position: Position | undefined): LogPosition {
  if (!position) throw new Error('KurrentDB returned an event without a position');
  return asLogPosition(position.commit);
}

export function toKurrentPosition(position: LogPosition): Position {
  return { commit: position, prepare: position };
}

export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  // The client's names match the port's: 'any' | 'no_stream' | 'stream_exists' | bigint.
  return expected;
}

type KurrentEvent = KurrentRecordedEvent | AllStreamRecordedEvent;

export function toRecordedEvent(event: KurrentEvent): RecordedEvent {
  return {
    id: event.id,
    streamId: event.streamId,
    revision: event.revision,
    position: toPortPosition(event.position),
    type: event.type,
    data: asJsonObject(event.data),
    metadata: asJsonObject(event.metadata),
    recordedAt: event.created,
  };
}

function asJsonObject(value: unknown): JsonObject {
  if (value === undefined || value === null) return {};
  if (value instanceof Uint8Array) return value.length ? (JSON.parse(Buffer.from(value).toString('utf8')) as JsonObject) : {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
  return { value };
}

/** Streams that are the server's own ($all's system streams): never handed to the application. */
export const isSystemStream = (streamId: string): boolean => streamId.startsWith('$');

/** What the failing call was doing: the stream it wrote or read, the revision it expected, the position it read from. */
export interface KurrentErrorContext {
  streamId: string;
  expected?: ExpectedRevision;
  position?: LogPosition;
}

// Messages of errors the client 1.3.1 only knows as UnknownError (see mapKurrentError).
const INVALID_POSITION = /invalid ?position/i;
const EVENT_TOO_LARGE = /maximum ?append ?event ?size/i;
const NO_LEADER = /no leader info/i;
const NOT_READY = /unavailable|server is not ready|server is too busy/i;

/**
 * Maps the client's errors onto the port's; anything else passes through unchanged.
 *
 * Appends and subscriptions go through grpc-js (CommandError.js: convertToCommandError, and for
 * batch appends unpackError.js); reads (readAll, readStream) go through the Rust bridge
 * (convertBridgeError.js), which knows only StreamNotFound, StreamDeleted, NotLeader, AccessDenied,
 * Unavailable (connection errors) and DeadlineExceeded: every other server status, among them
 * Unavailable ("Server Is Not Ready") and Unknown, arrives as UnknownError carrying the server's
 * message. Those are recognised by their message.
 */
export function mapKurrentError(error: unknown, context: KurrentErrorContext): unknown {
  const { streamId, expected, position } = context;
  if (error instanceof KurrentWrongExpectedVersion) {
    const actual = error.actualState;
    return new WrongExpectedVersionError(streamId, expected ?? error.expectedState, typeof actual === 'bigint' ? actual : 'no_stream');
  }
  if (error instanceof KurrentStreamNotFound) return new StreamNotFoundError(streamId);
  if (error instanceof KurrentStreamDeleted || error instanceof KurrentStreamTombstoned) return new StreamDeletedError(streamId);
  if (error instanceof KurrentMaxAppendSizeExceeded) return new AppendTooLargeError(streamId, error.maxAppendSize);
  if (error instanceof KurrentAppendRecordSizeExceeded || error instanceof KurrentTransactionMaxSizeExceeded) {
    return new AppendTooLargeError(streamId, error.maxSize);
  }
  if (error instanceof KurrentNotLeader) {
    const leader = error.leader ? ` (the leader is ${error.leader.address}:${error.leader.port})` : '';
    return new EventStoreUnavailableError('not_leader', `this node is a follower${leader}`);
  }
  if (error instanceof KurrentUnavailable) return new EventStoreUnavailableError('unavailable', error.message || 'the server cannot be reached');
  if (error instanceof KurrentAccessDenied) return new EventStoreUnavailableError('access_denied', error.message || 'the server refused our credentials');
  if (error instanceof KurrentDeadlineExceeded || error instanceof KurrentTimeout) {
    return new EventStoreUnavailableError('deadline_exceeded', error.message || 'the server did not answer in time');
  }
  if (error instanceof KurrentUnknown) {
    const message = error.message ?? '';
    if (INVALID_POSITION.test(message)) return new InvalidPositionError(position?.toString() ?? 'unknown');
    if (EVENT_TOO_LARGE.test(message)) {
      const max = /Size of (\d+)/i.exec(message);
      return new AppendTooLargeError(streamId, max ? Number(max[1]) : undefined);
    }
    if (NO_LEADER.test(message)) return new EventStoreUnavailableError('not_leader', message);
    if (NOT_READY.test(message)) return new EventStoreUnavailableError('unavailable', message);
  }
  return error;
}
