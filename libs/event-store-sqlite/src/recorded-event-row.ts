import { asLogPosition, type JsonObject, type RecordedEvent } from '@itsm/event-store';

/** A row of the events table as the read statements return it: integers as numbers (see below). */
export interface EventRow {
  position: number;
  id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

export const EVENT_COLUMNS = 'position, id, stream_id, revision, type, data, metadata, recorded_at';

/**
 * A row as the port's event. Positions and revisions are read as numbers, exact because the store
 * never holds one above 2^53 (appends count up from 1; restore refuses larger ones), and made
 * bigints here: cheaper than better-sqlite3's safe-integer reads.
 */
export function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: asLogPosition(BigInt(row.position)),
    type: row.type,
    data: JSON.parse(row.data) as JsonObject,
    metadata: JSON.parse(row.metadata) as JsonObject,
    recordedAt: recordedAt(row.recorded_at),
  };
}

let lastIso = '';
let lastMs = 0;

/**
 * A fresh Date per event (callers may mutate theirs), but the text parsed once per run of equal
 * values: the events of one group commit share their recordedAt, and parsing the ISO text was a
 * fifth of the cost of mapping a row in the read-all profile.
 */
function recordedAt(iso: string): Date {
  if (iso !== lastIso) {
    lastMs = Date.parse(iso);
    lastIso = iso;
  }
  return new Date(lastMs);
}
