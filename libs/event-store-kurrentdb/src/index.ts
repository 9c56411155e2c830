// The production EventStore adapter (KurrentDB / EventStoreDB).
export { KurrentDbEventStore } from './kurrentdb-event-store';
