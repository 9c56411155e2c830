import { join } from 'node:path';
import type { ReadStore } from '@itsm/read-store';
import { mongoDbReadStoreModule, sqliteReadStoreModule } from './adapter-modules';

/**
 * MongoDB when MONGODB_URI is set, else the embedded SQLite file beside the event store. Only the
 * chosen adapter (and its driver) is loaded.
 */
export function createReadStore(config: { mongoDbUri?: string; dataDir: string }): ReadStore {
  if (config.mongoDbUri) {
    const { MongoDbReadStore } = mongoDbReadStoreModule();
    return new MongoDbReadStore(config.mongoDbUri);
  }
  const { SqliteReadStore } = sqliteReadStoreModule();
  return new SqliteReadStore(join(config.dataDir, 'read-models.sqlite'));
}
