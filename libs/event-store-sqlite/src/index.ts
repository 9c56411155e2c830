// The embedded EventStore adapter (better-sqlite3).
export { SqliteEventStore, type SqliteEventStoreOptions, type SqlitePositions } from './sqlite-event-store';
