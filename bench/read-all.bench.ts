import Database from 'better-sqlite3';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import type { LogPosition } from '@itsm/event-store';
import { median, now, pairedRatios, round } from './measure';

const PAGE = 500;
const REPETITIONS = 3;

/**
 * Reading the whole log through the port (readAll, event by event, and readAllPages) against the
 * limit: raw better-sqlite3 reads of the same pages (500 rows after a position) with each row's
 * data and metadata parsed. Runs alternate, REPETITIONS times: medians and ranges.
 * Opening the store migrates a log of an older schema in place first (timed apart, reported).
 */
export async function benchReadAll(logFile: string) {
  const opened = now();
  const store = new SqliteEventStore({ filename: logFile });
  const openMs = now() - opened;
  const db = new Database(logFile, { readonly: true });
  const page = db.prepare(
    'SELECT position, id, stream_id, revision, type, data, metadata, recorded_at FROM events WHERE position > ? ORDER BY position LIMIT ?',
  );
  const ways = {
    raw: () => {
      let n = 0;
      let after = -1;
      for (;;) {
        const rows = page.all(after, PAGE) as Array<{ position: number; data: string; metadata: string }>;
        for (const r of rows) {
          JSON.parse(r.data);
          JSON.parse(r.metadata);
        }
        n += rows.length;
        const last = rows.at(-1);
        if (rows.length < PAGE || !last) return n;
        after = last.position;
      }
    },
    readAll: async () => {
      let n = 0;
      for await (const _ of store.readAll()) n++;
      return n;
    },
    readAllPages: async () => {
      let n = 0;
      let last: LogPosition | undefined;
      for await (const events of store.readAllPages()) {
        n += events.length;
        last = events.at(-1)?.position;
      }
      return last === undefined ? 0 : n;
    },
  };
  const rates: Record<keyof typeof ways, number[]> = { raw: [], readAll: [], readAllPages: [] };
  let events = 0;
  for (let rep = 0; rep < REPETITIONS; rep++) {
    // Each repetition starts one way later, so none always runs first.
    const names = Object.keys(ways) as Array<keyof typeof ways>;
    const order = [...names.slice(rep % names.length), ...names.slice(0, rep % names.length)];
    for (const way of order) {
      const start = now();
      events = await ways[way]();
      rates[way].push(events / ((now() - start) / 1000));
    }
  }
  db.close();
  await store.close();
  const summary = (xs: number[]) => ({ eventsPerSecond: Math.round(median(xs)), range: [Math.round(Math.min(...xs)), Math.round(Math.max(...xs))] });
  const ratio = (xs: number[]) => {
    const r = pairedRatios(xs, rates.raw);
    return { ratioToRaw: round(median(r), 3), ratioRange: [round(Math.min(...r), 3), round(Math.max(...r), 3)] };
  };
  return {
    events,
    repetitions: REPETITIONS,
    openSeconds: round(openMs / 1000, 2),
    raw: summary(rates.raw),
    readAll: { ...summary(rates.readAll), ...ratio(rates.readAll) },
    readAllPages: { ...summary(rates.readAllPages), ...ratio(rates.readAllPages) },
    target: 0.9,
  };
}
