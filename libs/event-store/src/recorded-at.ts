import type { RecordedEvent } from './event-store.port';

/** When the system learned the event: the command path's recordedAt, else the store's. */
export const recordedAtOf = (e: RecordedEvent) => (typeof e.metadata.recordedAt === 'string' ? new Date(e.metadata.recordedAt) : e.recordedAt);
