export * from './tenant-scope';
export * from './event-feed';
