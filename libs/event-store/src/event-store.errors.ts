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
