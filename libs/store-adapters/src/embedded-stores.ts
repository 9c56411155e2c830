import type { EventStore } from '@itsm/event-store';
import type { SqliteEventStore, SqliteEventStoreOptions } from '@itsm/event-store-sqlite';
import type { SqliteReadStore } from '@itsm/read-store-sqlite';
import { sqliteEventStoreModule, sqliteReadStoreModule } from './adapter-modules';

export type { SqliteEventStore, SqliteEventStoreOptions, SqlitePositions } from '@itsm/event-store-sqlite';
export type { SqliteReadStore } from '@itsm/read-store-sqlite';

/**
 * The embedded stores opened directly, whatever the deployment's configuration: report replays
 * build in an SQLite workspace and reopen the embedded log's file on a worker's own connection.
 * Loaded on first use, like the factories.
 */
export function openSqliteEventStore(options: SqliteEventStoreOptions): SqliteEventStore {
  return new (sqliteEventStoreModule().SqliteEventStore)(options);
}

export function openSqliteReadStore(filename: string | Buffer, options?: { readonly?: boolean }): SqliteReadStore {
  return new (sqliteReadStoreModule().SqliteReadStore)(filename, options);
}

/**
 * The store itself when it is the embedded adapter, else undefined. Only a store that says it is
 * SQLite can be one, so asking of any other loads nothing.
 */
export function asSqliteEventStore(store: EventStore): SqliteEventStore | undefined {
  if (store.kind !== 'sqlite') return undefined;
  const { SqliteEventStore } = sqliteEventStoreModule();
  return store instanceof SqliteEventStore ? store : undefined;
}
