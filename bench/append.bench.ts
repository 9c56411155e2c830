import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { commandEvents, systemCommand, type EventToAppend } from '@itsm/event-store';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { EVENT_SCHEMA_VERSION, ticketStream } from '@itsm/domain';
import { demoCatalogue, generateHistory } from '@itsm/simulation';
import { median, now, pairedRatios, round } from './measure';

/** Events per append in the batch measure, and appends sent together (one group commit). */
const BATCH_EVENTS = 100;
const BATCH_APPENDS = 100;
/** Sequential one-event durable appends per repetition (each waits for its own fsync). */
const SINGLE_APPENDS = 300;
/** Concurrent appenders, each appending one event at a time to its own stream, and how many each. */
const WRITERS = 50;
const WRITER_APPENDS = 40;
const REPETITIONS = 3;

/** The table the store writes, without the global unique index on event ids: the limit to compare with. */
const RAW_SCHEMA =
  'CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL, UNIQUE (stream_id, revision))';

interface Append {
  streamId: string;
  expected: bigint | 'no_stream';
  events: EventToAppend[];
}

/** Generated, hash-chained ticket events (as the command path writes them), made before anything is timed. */
function generatedEvents(count: number): EventToAppend[] {
  const out: EventToAppend[] = [];
  const last = new Map<string, { revision: bigint; hash: string }>();
  for (const step of generateHistory(demoCatalogue(), { seed: 99, tickets: Math.ceil(count / 5.8) + 1, from: '2023-01-02T00:00:00Z', days: 365 })) {
    const streamId = ticketStream(step.tenantId, step.ticketId);
    const previous = last.get(streamId);
    const evs = commandEvents(
      streamId,
      previous,
      step.events,
      systemCommand(`b/${step.ticketId}/${step.index}`, 'bench', step.tenantId),
      EVENT_SCHEMA_VERSION,
      new Date(step.at).toISOString(),
    );
    const head = evs.at(-1);
    if (!head) throw new Error(`step ${step.ticketId}/${step.index} decided no event`);
    last.set(streamId, { revision: (previous?.revision ?? -1n) + BigInt(evs.length), hash: head.metadata!.hash as string });
    out.push(...evs);
    if (out.length >= count) break;
  }
  return out.slice(0, count);
}

/** Cuts events into appends of `size` to `streams` streams in turn, each with its exact expected revision. */
function appendsOf(events: EventToAppend[], size: number, streams: (i: number) => string): Append[] {
  const revisions = new Map<string, bigint>();
  const out: Append[] = [];
  for (let i = 0; i * size < events.length; i++) {
    const streamId = streams(i);
    const revision = revisions.get(streamId);
    const slice = events.slice(i * size, (i + 1) * size);
    out.push({ streamId, expected: revision ?? 'no_stream', events: slice });
    revisions.set(streamId, (revision ?? -1n) + BigInt(slice.length));
  }
  return out;
}

function fresh(dir: string, name: string): string {
  const file = `${dir}/${name}.sqlite`;
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  return file;
}

/** Raw better-sqlite3 on the same settings: the appends' rows (serialised as they go), one transaction per group. */
function rawWriter(file: string) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(RAW_SCHEMA);
  const insert = db.prepare('INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const commit = db.transaction((group: Append[]) => {
    const recordedAt = new Date().toISOString();
    for (const a of group) {
      let revision = a.expected === 'no_stream' ? 0 : Number(a.expected) + 1;
      for (const e of a.events) insert.run(e.id, a.streamId, revision++, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata ?? {}), recordedAt);
    }
  });
  return { commit, close: () => db.close() };
}

/** Events per second of one run of `work` over `events` events. */
async function rate(events: number, work: () => Promise<void> | void): Promise<number> {
  const start = now();
  await work();
  return events / ((now() - start) / 1000);
}

const append = (store: SqliteEventStore, a: Append) => store.append(a.streamId, a.events, { expectedRevision: a.expected });

/** The three ways the store is written, each beside raw better-sqlite3 doing the same writes. */
const measures = {
  /** 100-event appends, 100 sent together: one group commit of 10,000 events against one raw transaction of the same rows. */
  batch: (appends: Append[]) => ({
    port: async (store: SqliteEventStore) => {
      for (let i = 0; i < appends.length; i += BATCH_APPENDS) await Promise.all(appends.slice(i, i + BATCH_APPENDS).map((a) => append(store, a)));
    },
    raw: (raw: ReturnType<typeof rawWriter>) => {
      for (let i = 0; i < appends.length; i += BATCH_APPENDS) raw.commit(appends.slice(i, i + BATCH_APPENDS));
    },
  }),
  /** Durable one-event appends, one after the other: each its own transaction and fsync, as one client's commands. */
  single: (appends: Append[]) => ({
    port: async (store: SqliteEventStore) => {
      for (const a of appends) await append(store, a);
    },
    raw: (raw: ReturnType<typeof rawWriter>) => {
      for (const a of appends) raw.commit([a]);
    },
  }),
  /** 50 callers appending at once, each to its own stream: group commit against raw 50-event transactions. */
  concurrent: (appends: Append[]) => {
    // Writer w sends appends w, w + WRITERS, ...: dealt out before the clock starts.
    const byWriter = Array.from({ length: WRITERS }, (_, w) => appends.filter((_, i) => i % WRITERS === w));
    return {
      port: async (store: SqliteEventStore) => {
        await Promise.all(
          byWriter.map(async (mine) => {
            for (const a of mine) await append(store, a);
          }),
        );
      },
      raw: (raw: ReturnType<typeof rawWriter>) => {
        for (let i = 0; i < appends.length; i += WRITERS) raw.commit(appends.slice(i, i + WRITERS));
      },
    };
  },
};

/**
 * Appends through the port (validation, expected revisions, idempotence checks, group commit)
 * against raw better-sqlite3 inserts of the same rows, same durability (WAL, synchronous=FULL),
 * same transactions. Port and raw runs alternate, REPETITIONS times, on fresh files: medians and ranges.
 */
export async function benchAppend(dir: string, events: number) {
  const batchEvents = Math.min(events, 200_000);
  const pool = generatedEvents(batchEvents);
  const workloads = {
    batch: appendsOf(pool, BATCH_EVENTS, (i) => `load-${i % 500}`),
    single: appendsOf(pool.slice(0, SINGLE_APPENDS), 1, (i) => `single-${i % 30}`),
    concurrent: appendsOf(pool.slice(0, WRITERS * WRITER_APPENDS), 1, (i) => `writer-${i % WRITERS}`),
  };
  const runs: Record<keyof typeof measures, { port: number[]; raw: number[] }> = {
    batch: { port: [], raw: [] },
    single: { port: [], raw: [] },
    concurrent: { port: [], raw: [] },
  };
  for (let rep = 0; rep < REPETITIONS; rep++) {
    for (const name of Object.keys(measures) as Array<keyof typeof measures>) {
      const work = measures[name](workloads[name]);
      const count = workloads[name].reduce((n, a) => n + a.events.length, 0);
      const runPort = async () => {
        const store = new SqliteEventStore({ filename: fresh(dir, 'append-port'), positions: 'dense' });
        runs[name].port.push(await rate(count, () => work.port(store)));
        await store.close();
      };
      const runRaw = async () => {
        const raw = rawWriter(fresh(dir, 'append-raw'));
        runs[name].raw.push(await rate(count, () => work.raw(raw)));
        raw.close();
      };
      // Alternate which goes first, so neither always meets a warmer or a busier machine.
      if (rep % 2 === 0) await runPort().then(runRaw);
      else await runRaw().then(runPort);
    }
  }
  fresh(dir, 'append-port');
  fresh(dir, 'append-raw');
  const report = (name: keyof typeof measures) => {
    const { port, raw } = runs[name];
    const ratios = pairedRatios(port, raw);
    return {
      events: workloads[name].reduce((n, a) => n + a.events.length, 0),
      port: { eventsPerSecond: Math.round(median(port)), range: [Math.round(Math.min(...port)), Math.round(Math.max(...port))] },
      rawBetterSqlite3: { eventsPerSecond: Math.round(median(raw)), range: [Math.round(Math.min(...raw)), Math.round(Math.max(...raw))] },
      ratioToRaw: round(median(ratios), 3),
      ratioRange: [round(Math.min(...ratios), 3), round(Math.max(...ratios), 3)],
    };
  };
  return {
    repetitions: REPETITIONS,
    batch: { ...report('batch'), eventsPerAppend: BATCH_EVENTS, appendsPerGroup: BATCH_APPENDS, target: 0.6 },
    single: { ...report('single'), target: 0.95 },
    concurrent: { ...report('concurrent'), writers: WRITERS, target: 0.85 },
  };
}
