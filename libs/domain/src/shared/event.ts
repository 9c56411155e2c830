/** A domain event as decide returns it: a past-tense fact with its data. Metadata is added by the handler. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  type: Type;
  data: Data;
}

/** Version of every event schema written by this code; readers upcast older versions. */
export const EVENT_SCHEMA_VERSION = 1;
