// The embedded ReadStore adapter (better-sqlite3).
export { SqliteReadStore } from './sqlite-read-store';
