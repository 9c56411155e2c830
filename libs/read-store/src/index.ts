export * from './read-store.port';
export * from './cursor';
export * from './create-read-store';
export { SqliteReadStore } from './sqlite/sqlite-read-store';
export { MongoDbReadStore } from './mongodb/mongodb-read-store';
