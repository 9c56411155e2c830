// The ReadStore port and its cursor: no driver is loaded from here.
// Adapters: @itsm/read-store-sqlite, @itsm/read-store-mongodb; chosen by @itsm/store-adapters.
export * from './read-store.port';
export * from './cursor';
