import { asLogPosition, type JsonObject, type RecordedEvent } from '@itsm/event-store';

/** One line of an export: an event exactly as recorded. Positions and revisions are strings (64-bit). */
export interface ExportedEvent {
  position: string;
  id: string;
  streamId: string;
  revision: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  recordedAt: string;
}

export const toExportLine = (e: RecordedEvent): string =>
  JSON.stringify({
    position: e.position.toString(),
    id: e.id,
    streamId: e.streamId,
    revision: e.revision.toString(),
    type: e.type,
    data: e.data,
    metadata: e.metadata,
    recordedAt: e.recordedAt.toISOString(),
  } satisfies ExportedEvent);

/** Parses and checks one line; the error names the field and the rule. */
export function parseExportLine(line: string): RecordedEvent {
  let raw: Partial<ExportedEvent>;
  try {
    raw = JSON.parse(line) as Partial<ExportedEvent>;
  } catch {
    throw new Error('not JSON');
  }
  const integer = (field: 'position' | 'revision') => {
    const v = raw[field];
    if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new Error(`${field} must be a non-negative integer string`);
    return BigInt(v);
  };
  // An exported position is the exporting store's own token: it is kept, never computed with.
  const position = asLogPosition(integer('position'));
  const revision = integer('revision');
  for (const field of ['id', 'streamId', 'type', 'recordedAt'] as const) {
    if (typeof raw[field] !== 'string' || raw[field] === '') throw new Error(`${field} must be a non-empty string`);
  }
  for (const field of ['data', 'metadata'] as const) {
    if (!raw[field] || typeof raw[field] !== 'object' || Array.isArray(raw[field])) throw new Error(`${field} must be a JSON object`);
  }
  const recordedAt = new Date(raw.recordedAt!);
  if (Number.isNaN(recordedAt.getTime())) throw new Error('recordedAt must be an ISO 8601 instant');
  return { position, id: raw.id!, streamId: raw.streamId!, revision, type: raw.type!, data: raw.data!, metadata: raw.metadata!, recordedAt };
}
