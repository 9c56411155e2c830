import { join } from 'node:path';
import { MongoDbReadStore } from './mongodb/mongodb-read-store';
import type { ReadStore } from './read-store.port';
import { SqliteReadStore } from './sqlite/sqlite-read-store';

/** MongoDB when MONGODB_URI is set, else the embedded SQLite file beside the event store. */
export function createReadStore(config: { mongoDbUri?: string; dataDir: string }): ReadStore {
  if (config.mongoDbUri) return new MongoDbReadStore(config.mongoDbUri);
  return new SqliteReadStore(join(config.dataDir, 'read-models.sqlite'));
}
