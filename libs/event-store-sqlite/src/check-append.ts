import { EventIdConflictError, WrongExpectedVersionError, type ExpectedRevision } from '@itsm/event-store';

/** What the stream holds at a revision, as far as an append's check needs to know. */
export interface RecordedPlace {
  id: string;
  position: bigint;
}

/** The stream an append targets, read under the write lock (with the appends of its group before it). */
export interface StreamView {
  streamId: string;
  /** Revision of the last event; -1 when the stream does not exist. */
  current: number;
  /** The event at a revision of this stream, if any. */
  at(revision: number): RecordedPlace | undefined;
  /** The revision at which this stream holds an event id, if it does. */
  revisionOf(eventId: string): number | undefined;
}

/** Write the events after `current`, or answer as the recorded append did (an idempotent retry). */
export type AppendDecision = { write: true } | { write: false; nextRevision: number; position: bigint };

/**
 * KurrentDB's commit check (IndexWriter.CheckCommit), where event ids count within their stream only:
 * - an exact expectation (no_stream = -1) at the stream's end writes; beyond it, fails;
 * - before the end, the append is a retry if the stream holds its ids at the revisions right after
 *   the expectation: nothing is written and the recorded result is returned. If the first event is
 *   not there it is a stale writer (WrongExpectedVersionError); if only later ones differ, the ids
 *   were reused for other facts (EventIdConflictError);
 * - 'any' and 'stream_exists' look the first id up in the stream: absent, the events are written;
 *   present, the others must follow it in order (a retry), or it is an EventIdConflictError.
 */
export function checkAppend(stream: StreamView, eventIds: string[], expected: ExpectedRevision): AppendDecision {
  const { streamId, current } = stream;
  const [firstId] = eventIds;
  // serialiseAppend refuses an empty append before it reaches the write group.
  if (firstId === undefined) throw new Error(`append to ${streamId} has no events`);
  const actual = current < 0 ? ('no_stream' as const) : BigInt(current);
  if (expected === 'any' || expected === 'stream_exists') {
    if (expected === 'stream_exists' && current < 0) throw new WrongExpectedVersionError(streamId, expected, actual);
    const first = current < 0 ? undefined : stream.revisionOf(firstId);
    return first === undefined ? { write: true } : recordedAppend(stream, eventIds, first);
  }
  const after = expected === 'no_stream' ? -1 : Number(expected);
  if (after === current) return { write: true };
  if (after > current) throw new WrongExpectedVersionError(streamId, expected, actual);
  if (stream.at(after + 1)?.id !== firstId) throw new WrongExpectedVersionError(streamId, expected, actual);
  return recordedAppend(stream, eventIds, after + 1);
}

/** The ids are recorded from `first` on, in order: the result of that append; otherwise a conflict. */
function recordedAppend(stream: StreamView, eventIds: string[], first: number): AppendDecision {
  let place: RecordedPlace | undefined;
  for (const [i, id] of eventIds.entries()) {
    place = stream.at(first + i);
    if (place?.id !== id) throw new EventIdConflictError(stream.streamId, id);
  }
  if (place === undefined) throw new Error(`append to ${stream.streamId} has no events`);
  return { write: false, nextRevision: first + eventIds.length - 1, position: place.position };
}
