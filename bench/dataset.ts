import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { appendHistory, demoCatalogue, generateHistory, loadCatalogue } from '@itsm/simulation';

/** Roughly how many events a generated ticket's life appends (measured on the generator). */
export const EVENTS_PER_TICKET = 5.8;
/** Bump when the generator changes: cached logs of an older one are not reused. */
export const GENERATOR_VERSION = 'g3';

/**
 * A log of about `events` events generated from a seed, cached under bench/.data so several
 * benchmarks (and reruns) share it. Tickets spread over a year, so every report has a history.
 */
export async function dataset(events: number, seed = 2023, onProgress?: (done: number) => void): Promise<string> {
  const dir = join(__dirname, '..', '..', 'bench', '.data');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `log-${GENERATOR_VERSION}-${seed}-${events}.sqlite`);
  if (existsSync(file)) return file;
  const tmp = `${file}.tmp`;
  rmSync(tmp, { force: true });
  const store = new SqliteEventStore({ filename: tmp });
  await loadCatalogue(store, demoCatalogue(), new Date('2022-12-01T00:00:00Z'));
  const tickets = Math.ceil(events / EVENTS_PER_TICKET);
  await appendHistory(store, generateHistory(demoCatalogue(), { seed, tickets, from: '2023-01-02T00:00:00Z', days: 365 }), {
    seed,
    onProgress: (p) => onProgress?.(p.events),
  });
  store.database.pragma('wal_checkpoint(TRUNCATE)');
  await store.close();
  renameSync(tmp, file);
  return file;
}
