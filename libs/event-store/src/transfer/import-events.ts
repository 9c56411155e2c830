import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { EventStore, RecordedEvent } from '../event-store.port';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { parseExportLine } from './exported-event';

export interface ImportSummary {
  events: number;
  written: number;
  /** Already in the store, identical: an earlier, interrupted import got that far. */
  skipped: number;
  /** True when positions were kept (the embedded store); another store assigns its own. */
  positionsKept: boolean;
}

const BATCH = 1000;

/**
 * Imports an export (NDJSON lines, in position order) into a store. The embedded store keeps every
 * position, revision and recordedAt, so read models rebuilt from it are identical to the
 * original's; other stores append with the recorded revisions and keep ids (so a rerun is
 * idempotent) but assign their own positions. A malformed line stops the import, naming the line.
 */
export async function importEvents(store: EventStore, input: Readable, onProgress?: (events: number) => void): Promise<ImportSummary> {
  const summary: ImportSummary = { events: 0, written: 0, skipped: 0, positionsKept: store instanceof SqliteEventStore };
  let batch: RecordedEvent[] = [];
  const flush = async () => {
    const r = store instanceof SqliteEventStore ? await store.restore(batch) : await appendInOrder(store, batch);
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

/** Appends runs of consecutive events of one stream, each at its recorded revision. */
async function appendInOrder(store: EventStore, events: RecordedEvent[]): Promise<{ written: number; skipped: number }> {
  let written = 0;
  for (let i = 0; i < events.length; ) {
    let j = i + 1;
    while (j < events.length && events[j].streamId === events[i].streamId && events[j].revision === events[j - 1].revision + 1n) j++;
    const run = events.slice(i, j);
    const first = run[0].revision;
    await store.append(
      run[0].streamId,
      run.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })),
      { expectedRevision: first === 0n ? 'no_stream' : first - 1n },
    );
    written += run.length; // a rerun appends nothing (same ids, same place) and is counted here too
    i = j;
  }
  return { written, skipped: 0 };
}
