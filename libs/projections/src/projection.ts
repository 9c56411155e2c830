import type { RecordedEvent } from '@itsm/event-store';
import type { Filter } from '@itsm/read-store';

/** What a projection may do with documents while it applies an event: nothing else (no clock, no I/O). */
export interface ProjectionContext {
  get<T extends object>(collection: string, id: string): Promise<T | undefined>;
  /** Documents matching a filter on indexed fields, including this batch's own writes. */
  findAll<T extends object>(collection: string, filter: Filter): Promise<T[]>;
  put(collection: string, id: string, doc: object): void;
  delete(collection: string, id: string): void;
}

/**
 * A read model built from the log. Its documents live in collections named after its version,
 * so a new version rebuilds beside the old one and takes over when it has caught up.
 */
export interface ProjectionDefinition {
  name: string;
  version: number;
  /** Logical collection name → indexed fields. */
  collections: Record<string, string[]>;
  /** Logical collection name → compound indexes for its queries (speed only). */
  compoundIndexes?: Record<string, string[][]>;
  /** Indexed fields the projection itself filters on while it builds (kept when a rebuild suspends the others). */
  indexesWhileBuilding?: Record<string, string[]>;
  /**
   * Set when no one but its projector writes this projection's documents: then up to this many
   * documents are kept in memory across batches, as committed, instead of being read back.
   */
  keepInMemory?: number;
  apply(event: RecordedEvent, ctx: ProjectionContext): Promise<void>;
}

/** The physical collection of a logical one, for a version. */
export const physicalCollection = (logical: string, version: number) => `${logical}_v${version}`;
