/**
 * The adapter libraries, each loaded on first use: a process loads the driver it runs on and no
 * other (an embedded deployment never loads the KurrentDB or MongoDB client, a server one never
 * better-sqlite3 unless it asks for an SQLite store), and loading this library loads none.
 * `require` rather than `import`: the factories are synchronous, and a static import would load all four.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

export type SqliteEventStoreModule = typeof import('@itsm/event-store-sqlite');
export type KurrentDbEventStoreModule = typeof import('@itsm/event-store-kurrentdb');
export type SqliteReadStoreModule = typeof import('@itsm/read-store-sqlite');
export type MongoDbReadStoreModule = typeof import('@itsm/read-store-mongodb');

export const sqliteEventStoreModule = (): SqliteEventStoreModule => require('@itsm/event-store-sqlite') as SqliteEventStoreModule;
export const kurrentDbEventStoreModule = (): KurrentDbEventStoreModule => require('@itsm/event-store-kurrentdb') as KurrentDbEventStoreModule;
export const sqliteReadStoreModule = (): SqliteReadStoreModule => require('@itsm/read-store-sqlite') as SqliteReadStoreModule;
export const mongoDbReadStoreModule = (): MongoDbReadStoreModule => require('@itsm/read-store-mongodb') as MongoDbReadStoreModule;
