import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { commandEvents, SqliteEventStore, systemCommand, type EventToAppend } from '@itsm/event-store';
import { EVENT_SCHEMA_VERSION, ticketStream } from '@itsm/domain';
import { demoCatalogue, generateHistory } from '@itsm/simulation';
import { round, timed } from './measure';

const CHUNK = 2000;

/**
 * Batch append through the port (group commit, expected revisions, idempotence checks) against
 * raw better-sqlite3 inserts of the same rows into the same schema, one transaction per chunk:
 * the limit this store could reach.
 */
export async function benchAppend(dir: string, events: number) {
  // Prepare the events first (generation and hashing are not what is measured).
  const appends: Array<{ streamId: string; expected: bigint | 'no_stream'; events: EventToAppend[] }> = [];
  const last = new Map<string, { revision: bigint; hash: string }>();
  let count = 0;
  for (const step of generateHistory(demoCatalogue(), { seed: 99, tickets: Math.ceil(events / 5.8), from: '2023-01-02T00:00:00Z', days: 365 })) {
    const streamId = ticketStream(step.tenantId, step.ticketId);
    const previous = last.get(streamId);
    const evs = commandEvents(streamId, previous, step.events, systemCommand(`b/${step.ticketId}/${step.index}`, 'bench', step.tenantId), EVENT_SCHEMA_VERSION, new Date(step.at).toISOString());
    appends.push({ streamId, expected: previous?.revision ?? 'no_stream', events: evs });
    last.set(streamId, { revision: (previous?.revision ?? -1n) + BigInt(evs.length), hash: evs[evs.length - 1].metadata!.hash as string });
    count += evs.length;
    if (count >= events) break;
  }

  const portFile = `${dir}/append-port.sqlite`;
  rmSync(portFile, { force: true });
  const store = new SqliteEventStore({ filename: portFile });
  const port = await timed(async () => {
    for (let i = 0; i < appends.length; i += CHUNK) {
      // One chunk in flight at a time; its appends to distinct streams share a transaction.
      const chunk = appends.slice(i, i + CHUNK);
      const byStream = new Map<string, { expected: bigint | 'no_stream'; events: EventToAppend[] }>();
      for (const a of chunk) {
        const b = byStream.get(a.streamId) ?? { expected: a.expected, events: [] };
        b.events.push(...a.events);
        byStream.set(a.streamId, b);
      }
      await Promise.all([...byStream].map(([s, b]) => store.append(s, b.events, { expectedRevision: b.expected })));
    }
  });
  await store.close();

  const rawFile = `${dir}/append-raw.sqlite`;
  rmSync(rawFile, { force: true });
  const db = new Database(rawFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL, UNIQUE (stream_id, revision))`);
  const insert = db.prepare('INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const raw = await timed(async () => {
    const recordedAt = new Date().toISOString();
    for (let i = 0; i < appends.length; i += CHUNK) {
      db.transaction(() => {
        for (const a of appends.slice(i, i + CHUNK)) {
          let revision = a.expected === 'no_stream' ? 0 : Number(a.expected) + 1;
          for (const e of a.events) insert.run(e.id, a.streamId, revision++, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), recordedAt);
        }
      })();
    }
  });
  db.close();
  rmSync(portFile, { force: true });
  rmSync(rawFile, { force: true });
  const portRate = count / (port.ms / 1000);
  const rawRate = count / (raw.ms / 1000);
  return { events: count, chunk: CHUNK, port: { eventsPerSecond: Math.round(portRate) }, rawBetterSqlite3: { eventsPerSecond: Math.round(rawRate) }, ratioToRaw: round(portRate / rawRate, 3) };
}
