import { InvalidAppendError } from './event-store.errors';
import type { EventToAppend, ExpectedRevision } from './event-store.port';

// Stream names are "<category>-<id>" in practice; '$' is reserved for the store's own streams.
const STREAM_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,199}$/;
// Event types are past-tense PascalCase facts: IncidentRaised, SlaBreached.
const EVENT_TYPE = /^[A-Z][A-Za-z0-9]{0,99}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
/** A little above 1 MiB of JSON per event: room for a 1 MB payload, a cap against mistakes. */
export const MAX_EVENT_BYTES = 1_100_000;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An event as it will be written: its id in lower case, its payloads as JSON, made once. */
export interface SerialisedEvent {
  id: string;
  type: string;
  data: string;
  metadata: string;
}

/** Throws InvalidAppendError naming the field and the rule; identical for every adapter. */
export function validateAppend(streamId: unknown, events: unknown, expectedRevision: unknown): asserts events is EventToAppend[] {
  serialiseAppend(streamId, events, expectedRevision);
}

/**
 * Validates an append as validateAppend does and returns its events serialised: the JSON that the
 * size rule measures is the JSON that is written, so each event is stringified once. It is also a
 * copy: what is acknowledged is what was asked, whatever the caller mutates later.
 */
export function serialiseAppend(streamId: unknown, events: unknown, expectedRevision: unknown): SerialisedEvent[] {
  if (typeof streamId !== 'string' || !STREAM_NAME.test(streamId)) {
    throw new InvalidAppendError('streamId', `must match ${STREAM_NAME} (got ${JSON.stringify(streamId)})`);
  }
  if (!isExpectedRevision(expectedRevision)) {
    throw new InvalidAppendError('expectedRevision', "must be 'any', 'no_stream', 'stream_exists' or a bigint >= 0");
  }
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidAppendError('events', 'must be a non-empty array');
  }
  const ids = new Set<string>();
  return events.map((e: unknown, i): SerialisedEvent => {
    if (!isPlainObject(e)) throw new InvalidAppendError(`events[${i}]`, 'must be an object');
    if (typeof e.id !== 'string' || !UUID.test(e.id)) throw new InvalidAppendError(`events[${i}].id`, 'must be a uuid');
    const id = e.id.toLowerCase();
    if (ids.has(id)) throw new InvalidAppendError(`events[${i}].id`, 'must be unique within the append');
    ids.add(id);
    if (typeof e.type !== 'string' || !EVENT_TYPE.test(e.type)) {
      throw new InvalidAppendError(`events[${i}].type`, `must match ${EVENT_TYPE} (got ${JSON.stringify(e.type)})`);
    }
    if (!isPlainObject(e.data)) throw new InvalidAppendError(`events[${i}].data`, 'must be a JSON object');
    if (e.metadata !== undefined && !isPlainObject(e.metadata)) {
      throw new InvalidAppendError(`events[${i}].metadata`, 'must be a JSON object');
    }
    let data: string;
    let metadata: string;
    try {
      data = JSON.stringify(e.data);
      metadata = JSON.stringify(e.metadata ?? {});
    } catch {
      throw new InvalidAppendError(`events[${i}].data`, 'must be serialisable as JSON');
    }
    // A UTF-16 code unit is at most 3 bytes of UTF-8: most events are counted without encoding them.
    const mayBeTooLarge = (data.length + metadata.length) * 3 > MAX_EVENT_BYTES;
    if (mayBeTooLarge && Buffer.byteLength(data) + Buffer.byteLength(metadata) > MAX_EVENT_BYTES) {
      throw new InvalidAppendError(`events[${i}]`, `must be at most ${MAX_EVENT_BYTES} bytes of JSON`);
    }
    return { id, type: e.type, data, metadata };
  });
}

function isExpectedRevision(v: unknown): v is ExpectedRevision {
  return v === 'any' || v === 'no_stream' || v === 'stream_exists' || (typeof v === 'bigint' && v >= 0n);
}

/** Whether a stream at `actual` satisfies the writer's expectation. Shared by every adapter that checks it itself. */
export function expectationHolds(expected: ExpectedRevision, actual: 'no_stream' | bigint): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 'no_stream';
  if (expected === 'stream_exists') return actual !== 'no_stream';
  return actual === expected;
}
