import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@itsm/event-store-sqlite';

/** The table as every log file written before schema versions were recorded holds it (version 1). */
const VERSION_1_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  id          TEXT    NOT NULL UNIQUE,
  stream_id   TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
);`;

const rows = (db: Database.Database) => db.prepare('SELECT * FROM events ORDER BY position').all();
const indexes = (db: Database.Database) =>
  (db.prepare("SELECT name FROM pragma_index_list('events') ORDER BY name").all() as Array<{ name: string }>).map((i) => i.name);
const indexedColumns = (db: Database.Database, index: string) =>
  (db.prepare('SELECT name FROM pragma_index_info(?)').all(index) as Array<{ name: string }>).map((c) => c.name);

describe('SQLite event store: log files of an older schema', () => {
  let dir: string;
  let file: string;
  const shared = randomUUID();
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'itsm-schema-'));
    file = join(dir, 'itsm.sqlite');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec(VERSION_1_SCHEMA);
    const insert = old.prepare(
      "INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, '{\"n\":1}', '{}', '2023-01-02T09:00:00.000Z')",
    );
    insert.run(shared, 'incident-1', 0, 'IncidentRaised');
    insert.run(randomUUID(), 'incident-1', 1, 'IncidentAssigned');
    insert.run(randomUUID(), 'incident-2', 0, 'IncidentRaised');
    // A rolled-back append used positions 4 to 6: they must never be handed out again.
    old.prepare("UPDATE sqlite_sequence SET seq = 6 WHERE name = 'events'").run();
    old.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is migrated in place on open: rows and positions kept, the global event-id index gone, the version recorded', async () => {
    const before = new Database(file, { readonly: true });
    const oldRows = rows(before);
    expect(indexes(before).some((i) => indexedColumns(before, i).join() === 'id')).toBe(true);
    before.close();

    const store = new SqliteEventStore({ filename: file, positions: 'dense' });
    const db = store.database;
    expect(Number(db.pragma('user_version', { simple: true }))).toBe(2);
    expect(indexes(db).map((i) => indexedColumns(db, i).join())).toEqual(['stream_id,revision']);
    db.defaultSafeIntegers(false);
    expect(rows(db)).toEqual(oldRows);
    db.defaultSafeIntegers(true);

    // An id of one stream may now be another stream's; positions carry on after the old counter.
    const appended = await store.append('incident-3', [{ id: shared, type: 'IncidentRaised', data: {} }], { expectedRevision: 'no_stream' });
    expect(appended).toEqual({ nextRevision: 0n, position: 7n });
    // Streams written before the migration keep their expectations and their idempotent retries.
    const retry = await store.append('incident-1', [{ id: shared, type: 'IncidentRaised', data: {} }], { expectedRevision: 'no_stream' });
    expect(retry).toEqual({ nextRevision: 0n, position: 1n });
    await store.close();

    // Opening a migrated file again changes nothing.
    const again = new SqliteEventStore({ filename: file });
    expect(await again.headPosition()).toBe(7n);
    expect(await again.countEventsAfter()).toBe(4);
    await again.close();
  });

  it('refuses a file of a newer schema, leaving it untouched', () => {
    const newer = new Database(file);
    newer.pragma('user_version = 3');
    newer.close();
    expect(() => new SqliteEventStore({ filename: file })).toThrow(/schema version 3, newer than this program's 2/);
    const after = new Database(file, { readonly: true });
    expect(indexes(after).some((i) => indexedColumns(after, i).join() === 'id')).toBe(true);
    after.close();
  });
});
