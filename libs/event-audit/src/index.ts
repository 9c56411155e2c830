// The audit chain over any EventStore: verification, checkpoints, the global chain as of a position.
// The per-event hash itself is written by the command path (@itsm/event-store's event-hash).
export * from './audit-checkpoint';
export * from './verify-log';
export * from './audit-checkpointer';
export * from './global-chain-at';
