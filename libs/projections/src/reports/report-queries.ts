// Moved to ./queries (one file per report); kept so imports of this path still resolve.
export * from './queries';
