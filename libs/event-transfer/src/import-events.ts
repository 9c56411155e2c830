import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { AppendTooLargeError, type EventStore, type RecordedEvent } from '@itsm/event-store';
import { parseExportLine } from './exported-event';
import { canRestore } from './restoring-store';

export interface ImportSummary {
  events: number;
  written: number;
  /** Already in the store, identical: an earlier, interrupted import got that far. */
  skipped: number;
  /** True when positions were kept (the embedded store); another store assigns its own. */
  positionsKept: boolean;
}

export interface ImportOptions {
  /**
   * Largest append, in bytes as the server counts them (see appendSize), into a store that assigns
   * its own positions. Default 1,000,000: under the 1 MiB per append of KurrentDB/EventStoreDB up to
   * 25.0 (25.1+ take 256 MiB per append, 16 MiB per event: raise it there if events are larger).
   */
  maxAppendBytes?: number;
}

export const DEFAULT_MAX_APPEND_BYTES = 1_000_000;

const BATCH = 1000;

/**
 * Imports an export (NDJSON lines, in position order) into a store. The embedded store keeps every
 * position, revision and recordedAt, so read models rebuilt from it are identical to the
 * original's; other stores append with the recorded revisions and keep ids (so a rerun is
 * idempotent) but assign their own positions, in appends no larger than `maxAppendBytes` (see
 * planAppends). A malformed line stops the import, naming the line.
 */
export async function importEvents(
  store: EventStore,
  input: Readable,
  onProgress?: (events: number) => void,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const maxAppendBytes = options.maxAppendBytes ?? DEFAULT_MAX_APPEND_BYTES;
  if (!Number.isSafeInteger(maxAppendBytes) || maxAppendBytes <= 0) throw new Error(`maxAppendBytes must be a positive integer (got ${maxAppendBytes})`);
  const summary: ImportSummary = { events: 0, written: 0, skipped: 0, positionsKept: canRestore(store) };
  let batch: RecordedEvent[] = [];
  const flush = async () => {
    const r = canRestore(store) ? await store.restore(batch) : await appendInOrder(store, batch, maxAppendBytes);
    summary.written += r.written;
    summary.skipped += r.skipped;
    batch = [];
    onProgress?.(summary.events);
  };
  let lineNo = 0;
  let lastPosition = -1n;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNo++;
    if (line.trim() === '') continue;
    let e: RecordedEvent;
    try {
      e = parseExportLine(line);
      if (e.position <= lastPosition) throw new Error(`position must increase (${e.position} follows ${lastPosition})`);
    } catch (error) {
      throw new Error(`line ${lineNo}: ${(error as Error).message}`);
    }
    lastPosition = e.position;
    batch.push(e);
    summary.events++;
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length) await flush();
  return summary;
}

/**
 * What an event weighs in an append as KurrentDB counts it (Event.SizeOnDisk in KurrentDB.Core):
 * the bytes of data and metadata as the client sends them (UTF-8 JSON; the adapter sends `{}` for
 * absent metadata) plus twice the type's length in UTF-16 code units.
 */
export function appendSize(event: Pick<RecordedEvent, 'type' | 'data' | 'metadata'>): number {
  return Buffer.byteLength(JSON.stringify(event.data)) + Buffer.byteLength(JSON.stringify(event.metadata ?? {})) + 2 * event.type.length;
}

/** One append of an import: consecutive events of one stream, at an exact expected revision. */
export interface PlannedAppend {
  streamId: string;
  /** 'no_stream' for a stream's first events, else the revision before the first one: never 'any'. */
  expectedRevision: 'no_stream' | bigint;
  events: RecordedEvent[];
  bytes: number;
}

/**
 * Cuts events (in log order) into appends: each a run of consecutive revisions of one stream whose
 * total appendSize stays within maxAppendBytes, at the exact revision before it. An exact revision,
 * never 'any': with it the server recognises a rerun of the same ids at the same place and writes
 * nothing, where with 'any' its duplicate check is only a best-effort cache. An event alone over the
 * limit fails with AppendTooLargeError naming it.
 */
export function planAppends(events: RecordedEvent[], maxAppendBytes: number): PlannedAppend[] {
  const plan: PlannedAppend[] = [];
  let current: PlannedAppend | undefined;
  for (const e of events) {
    const bytes = appendSize(e);
    if (bytes > maxAppendBytes) {
      const error = new AppendTooLargeError(e.streamId, maxAppendBytes);
      error.message = `Event ${e.id} (revision ${e.revision} of ${e.streamId}, position ${e.position}) weighs ${bytes} bytes, over the ${maxAppendBytes}-byte limit of one append`;
      throw error;
    }
    const previous = current?.events.at(-1);
    if (
      current !== undefined &&
      previous !== undefined &&
      current.streamId === e.streamId &&
      previous.revision + 1n === e.revision &&
      current.bytes + bytes <= maxAppendBytes
    ) {
      current.events.push(e);
      current.bytes += bytes;
    } else {
      current = { streamId: e.streamId, expectedRevision: e.revision === 0n ? 'no_stream' : e.revision - 1n, events: [e], bytes };
      plan.push(current);
    }
  }
  return plan;
}

/**
 * Appends the events as planned, one append at a time. A rerun (after an interruption) sends the
 * same ids at the same revisions, which the server acknowledges without writing; it cuts the same
 * appends only with the same maxAppendBytes, so rerun an import with the limit it started with.
 */
async function appendInOrder(store: EventStore, events: RecordedEvent[], maxAppendBytes: number): Promise<{ written: number; skipped: number }> {
  let written = 0;
  for (const append of planAppends(events, maxAppendBytes)) {
    await store.append(
      append.streamId,
      append.events.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })),
      { expectedRevision: append.expectedRevision },
    );
    written += append.events.length; // a rerun appends nothing (same ids, same place) and is counted here too
  }
  return { written, skipped: 0 };
}
