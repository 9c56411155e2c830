import type { EventStore, RecordedEvent } from '@itsm/event-store';

/**
 * A store that can take recorded events exactly as they were (position, revision, recordedAt): the
 * embedded store can, a server assigns its own positions and cannot. Asked of the store rather than
 * of its class, so that the import needs no adapter loaded to tell.
 */
export interface RestoringEventStore extends EventStore {
  restore(events: RecordedEvent[]): Promise<{ written: number; skipped: number }>;
}

export function canRestore(store: EventStore): store is RestoringEventStore {
  return typeof (store as Partial<RestoringEventStore>).restore === 'function';
}
