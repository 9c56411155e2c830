/** A domain event as decide returns it: a past-tense fact with its data. Metadata is added by the handler. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
}

/**
 * Version of every event schema written by this code (recorded as `metadata.schemaVersion`). A
 * change to any event's schema bumps it and registers the upcaster that brings older facts
 * forward (to-domain-event.ts); readers never see an older shape.
 */
export const EVENT_SCHEMA_VERSION = 1;
