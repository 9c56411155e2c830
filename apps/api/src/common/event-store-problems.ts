import { AppendTooLargeError, EventStoreUnavailableError, InvalidPositionError, StreamDeletedError } from '@itsm/event-store';
import { problem, type ProblemDetails } from './problem-details';

/** An HTTP answer for an error: the problem body and any headers it needs (Retry-After on a 503). */
export interface HttpProblem {
  body: Omit<ProblemDetails, 'instance'>;
  headers?: Record<string, string>;
}

/** Seconds a client should wait before retrying, by why the store could not take the request. */
const RETRY_AFTER: Record<EventStoreUnavailableError['reason'], number> = {
  not_leader: 1, // the client reconnects to the new leader at once
  deadline_exceeded: 1,
  unavailable: 3,
  access_denied: 5, // our credentials were refused: an operator must act, but the request itself is sound
};

/**
 * The event store's own failures as HTTP answers (RFC 9457). The store's refusals of a request are
 * 4xx; its unavailability is a 503 with Retry-After, and since an append may or may not have gone
 * through, the client retries with the same Idempotency-Key (the command's event ids make the retry
 * a no-op if the first attempt was written).
 */
export function eventStoreProblem(error: unknown): HttpProblem | undefined {
  if (error instanceof StreamDeletedError) {
    return { body: problem(409, error.code, `${error.streamId} was deleted from the event store: it can be neither read nor changed`) };
  }
  if (error instanceof AppendTooLargeError) {
    const limit = error.maxAppendSize ? ` (at most ${error.maxAppendSize} bytes per write)` : '';
    return {
      body: problem(413, error.code, `The change is larger than the event store accepts in one write${limit}; nothing was recorded`, {
        title: 'Content Too Large',
      }),
    };
  }
  if (error instanceof EventStoreUnavailableError) {
    const seconds = RETRY_AFTER[error.reason] ?? 1;
    return {
      body: problem(
        503,
        error.code,
        `The event store cannot take the request now (${error.reason}); whether a change was recorded is unknown: retry after ${seconds}s with the same Idempotency-Key`,
        { title: 'Service Unavailable' },
      ),
      headers: { 'Retry-After': String(seconds) },
    };
  }
  if (error instanceof InvalidPositionError) {
    return {
      body: problem(400, error.code, error.message, {
        errors: [{ field: 'position', rule: error.code, message: 'must be a position handed out by this log (the position of one of its events)' }],
      }),
    };
  }
  return undefined;
}
