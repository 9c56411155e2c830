/**
 * One messages table, as in Emmett's SQLite store: the global position is the integer primary key
 * (AUTOINCREMENT so a position is never reused), and (stream_id, revision) is unique. Event ids are
 * not unique across the log: as on KurrentDB, an id only means something within its stream (an
 * idempotent retry is the same ids at the same place in the same stream), so no global index on
 * random ids is paid on every write.
 */
export const EVENT_STORE_SCHEMA = `
CREATE TABLE events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  id          TEXT    NOT NULL,
  stream_id   TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
);
`;

/**
 * The schema version, kept in the file's `PRAGMA user_version`.
 * 1 (files that predate the version, user_version 0): event ids unique across the whole log.
 * 2: event ids unique only as (stream_id, revision) places them; no global id index.
 */
export const EVENT_STORE_SCHEMA_VERSION = 2;
