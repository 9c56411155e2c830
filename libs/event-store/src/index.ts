export * from './event-store.port';
export * from './event-store.errors';
export * from './validate-append';
export * from './create-event-store';
export { SqliteEventStore } from './sqlite/sqlite-event-store';
export { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store';
export * from './deterministic-uuid';
export * from './command-handler';
