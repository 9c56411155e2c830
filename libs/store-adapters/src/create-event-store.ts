import { join } from 'node:path';
import type { EventStore } from '@itsm/event-store';
import { kurrentDbEventStoreModule, sqliteEventStoreModule } from './adapter-modules';

export interface EventStoreConfig {
  /** When set, the production store is used. */
  kurrentDbConnectionString?: string;
  /** Folder of the embedded store's file (ITSM_DATA_DIR, default ./data). */
  dataDir: string;
  /** The embedded store's position shape (default: ITSM_SQLITE_POSITIONS, else dense). */
  sqlitePositions?: 'dense' | 'sparse';
}

/**
 * Chooses the adapter from configuration: KurrentDB when its connection string is set, else
 * embedded SQLite. Only the chosen adapter (and its driver) is loaded.
 */
export function createEventStore(config: EventStoreConfig): EventStore {
  if (config.kurrentDbConnectionString) {
    const { KurrentDbEventStore } = kurrentDbEventStoreModule();
    return new KurrentDbEventStore(config.kurrentDbConnectionString);
  }
  const { SqliteEventStore } = sqliteEventStoreModule();
  return new SqliteEventStore({ filename: join(config.dataDir, 'itsm.sqlite'), positions: config.sqlitePositions });
}
