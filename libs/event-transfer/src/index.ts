// Export and import of a whole log (NDJSON), over any EventStore.
export * from './exported-event';
export * from './export-events';
export * from './import-events';
export * from './restoring-store';
