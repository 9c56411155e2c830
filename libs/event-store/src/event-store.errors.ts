import type { CurrentRevision, ExpectedRevision } from './event-store.port';

const show = (r: ExpectedRevision | CurrentRevision) => (typeof r === 'bigint' ? r.toString() : r);

/** The stream was not at the revision the writer expected: someone else wrote first. */
export class WrongExpectedVersionError extends Error {
  readonly code = 'EVENT_STORE.WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: CurrentRevision,
  ) {
    super(`Stream ${streamId}: expected revision ${show(expected)}, actual ${show(actual)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

export class StreamNotFoundError extends Error {
  readonly code = 'EVENT_STORE.STREAM_NOT_FOUND';
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} does not exist`);
    this.name = 'StreamNotFoundError';
  }
}

/** An append that breaks a rule of the log itself (names, types, ids, payloads). Nothing was written. */
export class InvalidAppendError extends Error {
  readonly code = 'EVENT_STORE.INVALID_APPEND';
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`Invalid append: ${field} ${rule}`);
    this.name = 'InvalidAppendError';
  }
}

/** Event ids reused in a way that is not a retry of the same append. Nothing was written. */
export class EventIdConflictError extends Error {
  readonly code = 'EVENT_STORE.EVENT_ID_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(`Event id ${eventId} was already used, and this append to ${streamId} is not a retry of that one`);
    this.name = 'EventIdConflictError';
  }
}

/** A read from a position that is not an event's (the server answers InvalidPosition). Nothing is read. */
export class InvalidPositionError extends Error {
  readonly code = 'EVENT_STORE.INVALID_POSITION';
  constructor(readonly position: string) {
    super(`Position ${position} is not the position of an event in this log`);
    this.name = 'InvalidPositionError';
  }
}

/** The stream was deleted (KurrentDB tombstone or soft delete): it can be neither read nor extended. */
export class StreamDeletedError extends Error {
  readonly code = 'EVENT_STORE.STREAM_DELETED';
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} was deleted`);
    this.name = 'StreamDeletedError';
  }
}

/** The append is larger than the store accepts in one write. Nothing was written. */
export class AppendTooLargeError extends Error {
  readonly code = 'EVENT_STORE.APPEND_TOO_LARGE';
  constructor(
    readonly streamId: string,
    readonly maxAppendSize?: number,
  ) {
    super(`The append to ${streamId} is larger than the event store accepts${maxAppendSize ? ` (${maxAppendSize} bytes)` : ''}`);
    this.name = 'AppendTooLargeError';
  }
}

/**
 * The store cannot take the request now (not the leader, unreachable, not ready, refused our
 * credentials). Whether an append went through is unknown: retry it with the same event ids.
 */
export class EventStoreUnavailableError extends Error {
  readonly code = 'EVENT_STORE.UNAVAILABLE';
  constructor(
    readonly reason: 'not_leader' | 'unavailable' | 'access_denied' | 'deadline_exceeded',
    detail: string,
  ) {
    super(`The event store is unavailable (${reason}): ${detail}`);
    this.name = 'EventStoreUnavailableError';
  }
}
