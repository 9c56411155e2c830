// Composition: chooses a store adapter from the configuration and loads that adapter alone.
// Nothing here loads a driver until a factory is called (see adapter-modules.ts).
export * from './create-event-store';
export * from './create-read-store';
export * from './embedded-stores';
