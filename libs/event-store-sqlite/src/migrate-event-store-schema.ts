import type Database from 'better-sqlite3';
import { EVENT_STORE_SCHEMA, EVENT_STORE_SCHEMA_VERSION } from './sqlite-event-store.schema';

const COLUMNS = 'position, id, stream_id, revision, type, data, metadata, recorded_at';

/**
 * Brings a log file to the current schema in place, in one IMMEDIATE transaction: a crash or a
 * failure leaves the file as it was, and a second process opening it at the same time waits, then
 * finds it done. A fresh file gets the schema; a version-1 file has its table rebuilt without the
 * global unique index on event ids (SQLite cannot drop an index that a column's UNIQUE made), rows,
 * positions and the AUTOINCREMENT counter kept as they were.
 */
export function migrateEventStoreSchema(db: Database.Database): void {
  if (versionOf(db) === EVENT_STORE_SCHEMA_VERSION) return;
  let rebuilt = false;
  db.transaction(() => {
    const version = versionOf(db); // again, under the write lock: another process may have done it
    if (version === EVENT_STORE_SCHEMA_VERSION) return;
    if (version > EVENT_STORE_SCHEMA_VERSION) {
      throw new Error(`The event log is at schema version ${version}, newer than this program's ${EVENT_STORE_SCHEMA_VERSION}: upgrade the program`);
    }
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get() !== undefined;
    if (!exists) db.exec(EVENT_STORE_SCHEMA);
    else {
      dropGlobalEventIdIndex(db);
      rebuilt = true;
    }
    db.pragma(`user_version = ${EVENT_STORE_SCHEMA_VERSION}`);
  }).immediate();
  // The rebuild wrote the whole table to the WAL: fold it into the file now, not in every reader's lookups.
  if (rebuilt) db.pragma('wal_checkpoint(TRUNCATE)');
}

function versionOf(db: Database.Database): number {
  const version = Number(db.pragma('user_version', { simple: true }));
  // Files written before versions were recorded hold version 1's table.
  return version === 0 && db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get() ? 1 : version;
}

/** Version 1 → 2: SQLite's documented way to change a constraint: a new table, the rows copied, renamed. */
function dropGlobalEventIdIndex(db: Database.Database): void {
  const sequence = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").get() as { seq: number | bigint } | undefined;
  db.exec(EVENT_STORE_SCHEMA.replace('CREATE TABLE events (', 'CREATE TABLE events_v2 ('));
  db.exec(`INSERT INTO events_v2 (${COLUMNS}) SELECT ${COLUMNS} FROM events ORDER BY position`);
  db.exec('DROP TABLE events');
  db.exec('ALTER TABLE events_v2 RENAME TO events');
  // Positions are never reused: the counter carries on from where the old table left it.
  db.prepare("DELETE FROM sqlite_sequence WHERE name = 'events'").run();
  if (sequence) db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('events', ?)").run(sequence.seq);
}
