import {
  StreamNotFoundError as KurrentStreamNotFound,
  WrongExpectedVersionError as KurrentWrongExpectedVersion,
  type AllStreamRecordedEvent,
  type AppendStreamState,
  type Position,
  type RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import { StreamNotFoundError, WrongExpectedVersionError } from '../event-store.errors';
import type { ExpectedRevision, JsonObject, RecordedEvent } from '../event-store.port';

/**
 * The port speaks one bigint position. KurrentDB speaks {commit, prepare}; for events written by
 * ordinary appends (no explicit transactions, which this system never uses) the two are equal, so
 * the port keeps the commit position and rebuilds the pair from it.
 */
export function toPortPosition(position: Position | undefined): bigint {
  if (!position) throw new Error('KurrentDB returned an event without a position');
  return position.commit;
}

export function toKurrentPosition(position: bigint): Position {
  return { commit: position, prepare: position };
}

export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  // The client's names match the port's: 'any' | 'no_stream' | 'stream_exists' | bigint.
  return expected;
}

type KurrentEvent = KurrentRecordedEvent | AllStreamRecordedEvent;

export function toRecordedEvent(event: KurrentEvent, position?: bigint): RecordedEvent {
  return {
    id: event.id,
    streamId: event.streamId,
    revision: event.revision,
    position: position ?? toPortPosition(event.position),
    type: event.type,
    data: asJsonObject(event.data),
    metadata: asJsonObject(event.metadata),
    recordedAt: event.created,
  };
}

function asJsonObject(value: unknown): JsonObject {
  if (value === undefined || value === null) return {};
  if (value instanceof Uint8Array) return value.length ? JSON.parse(Buffer.from(value).toString('utf8')) : {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as JsonObject;
  return { value };
}

/** Maps the client's errors onto the port's; anything else passes through unchanged. */
export function mapKurrentError(error: unknown, streamId: string, expected?: ExpectedRevision): unknown {
  if (error instanceof KurrentWrongExpectedVersion) {
    const actual = error.actualState;
    return new WrongExpectedVersionError(
      streamId,
      expected ?? (error.expectedState as ExpectedRevision),
      typeof actual === 'bigint' ? actual : 'no_stream',
    );
  }
  if (error instanceof KurrentStreamNotFound) return new StreamNotFoundError(streamId);
  return error;
}
