import { join } from 'node:path';
import type { EventStore } from './event-store.port';
import { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

export interface EventStoreConfig {
  /** When set, the production store is used. */
  kurrentDbConnectionString?: string;
  /** Folder of the embedded store's file (ITSM_DATA_DIR, default ./data). */
  dataDir: string;
  /** The embedded store's position shape (default: ITSM_SQLITE_POSITIONS, else dense). */
  sqlitePositions?: 'dense' | 'sparse';
}

/** Chooses the adapter from configuration: KurrentDB when its connection string is set, else embedded SQLite. */
export function createEventStore(config: EventStoreConfig): EventStore {
  if (config.kurrentDbConnectionString) return new KurrentDbEventStore(config.kurrentDbConnectionString);
  return new SqliteEventStore({ filename: join(config.dataDir, 'itsm.sqlite'), positions: config.sqlitePositions });
}
