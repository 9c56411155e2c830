// The EventStore port and what every adapter and consumer shares: no driver is loaded from here.
// Adapters: @itsm/event-store-sqlite, @itsm/event-store-kurrentdb; chosen by @itsm/store-adapters.
export * from './event-store.port';
export * from './log-position';
export * from './yield-to-event-loop';
export * from './wakeable-sleep';
export * from './event-store.errors';
export * from './validate-append';
export * from './deterministic-uuid';
export * from './event-hash';
export * from './recorded-at';
export * from './command-handler';
