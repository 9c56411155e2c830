import { EVENT_SCHEMA_VERSION, type DomainEvent } from './event';

/**
 * Brings a fact recorded at one schema version to the next: rename a field, split a type, fill a
 * default. Pure, and only for the one step `fromVersion` → `fromVersion + 1` of its event type.
 */
export interface Upcaster {
  fromVersion: number;
  /** The event type it applies to, as recorded at fromVersion. */
  type: string;
  upcast(event: DomainEvent): DomainEvent;
}

/**
 * The upcasters of this code's past schema changes. None yet: every event ever written is at
 * version 1. A schema change adds its step here and bumps EVENT_SCHEMA_VERSION.
 */
export const EVENT_UPCASTERS: readonly Upcaster[] = [];

/** Recorded without a schema version: written before the version was recorded, i.e. version 1. */
const UNVERSIONED = 1;

/** A fact recorded at a schema version this code cannot read: written by newer code, or corrupt. */
export class UnknownSchemaVersionError extends Error {
  readonly code = 'EVENT.UNKNOWN_SCHEMA_VERSION';
  constructor(
    readonly type: string,
    readonly schemaVersion: unknown,
    readonly known: number,
  ) {
    super(
      `${type} was recorded at schema version ${JSON.stringify(schemaVersion)}, which this code cannot read (it reads versions 0 to ${known}): ` +
        'upgrade the reader before it reads events a newer writer recorded',
    );
    this.name = 'UnknownSchemaVersionError';
  }
}

export interface RecordedFact {
  type: string;
  data: object;
  metadata?: { schemaVersion?: unknown } | object;
}

export interface ToDomainEventOptions {
  /** Default: EVENT_UPCASTERS (tests register their own). */
  upcasters?: readonly Upcaster[];
  /** Default: EVENT_SCHEMA_VERSION. */
  currentVersion?: number;
}

/**
 * The one place a recorded event becomes a domain event: its `metadata.schemaVersion` is read and
 * every upcaster from that version up to the current one is applied in turn (a type with no upcaster
 * at a step kept its schema at that step). A version newer than this code's is refused, never guessed.
 *
 * `E` names the aggregate whose stream was read (the caller knows it from the stream id); the
 * type is the caller's claim, as it is for any event read back.
 */
export function toDomainEvent<E extends DomainEvent = DomainEvent>(recorded: RecordedFact, options: ToDomainEventOptions = {}): E {
  const upcasters = options.upcasters ?? EVENT_UPCASTERS;
  const current = options.currentVersion ?? EVENT_SCHEMA_VERSION;
  const written = (recorded.metadata as { schemaVersion?: unknown } | undefined)?.schemaVersion;
  const recordedVersion = written === undefined ? UNVERSIONED : written;
  if (typeof recordedVersion !== 'number' || !Number.isInteger(recordedVersion) || recordedVersion < 0 || recordedVersion > current) {
    throw new UnknownSchemaVersionError(recorded.type, recordedVersion, current);
  }
  let event: DomainEvent = { type: recorded.type, data: recorded.data };
  for (let version = recordedVersion; version < current; version++) {
    const step = upcasters.find((u) => u.fromVersion === version && u.type === event.type);
    if (step) event = step.upcast(event);
  }
  return event as E;
}
