/**
 * The ReadStore port: named collections of JSON documents that projections write and queries read.
 * Filters, sorts and cursors work on fields the collection declared as indexed, so every adapter
 * can serve them from an index.
 */
export type Scalar = string | number | boolean | null;

/** Equality, $in, or a range on a declared field. */
export type FieldFilter = Scalar | { $in: Scalar[] } | { $gt?: Scalar; $gte?: Scalar; $lt?: Scalar; $lte?: Scalar };
export type Filter = Record<string, FieldFilter>;

export interface FindOptions {
  filter?: Filter;
  /** One declared field; ties are broken by id, so paging is stable. */
  sort?: { field: string; direction: 'asc' | 'desc' };
  limit?: number;
  /** The nextCursor of a previous page. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface Checkpoint {
  name: string;
  version: number;
  /** The event store's position, as its text (opaque here); null: nothing applied yet. */
  position: string | null;
}

/** One write of a batch: a document (upsert) or null (delete). */
export interface DocumentWrite {
  collection: string;
  id: string;
  doc: object | null;
}

export type ReadStoreKind = 'sqlite' | 'mongodb';

export interface ReadStore {
  readonly kind: ReadStoreKind;
  /**
   * Creates the collection and its indexes if needed; indexed fields are the only ones filters may
   * name. Compound indexes (each a list of indexed fields, e.g. tenantId, priority, raisedAt) serve
   * the queries that filter on several fields and sort: they change speed, never results.
   */
  declareCollection(name: string, indexedFields: string[], compoundIndexes?: string[][]): Promise<void>;
  dropCollection(name: string): Promise<void>;
  /**
   * Drops a collection's indexes but those on `keep` before a bulk load; declaring the collection
   * again builds them back (in bulk, far cheaper than row by row). Filters still work meanwhile.
   */
  suspendIndexes(name: string, keep: string[]): Promise<void>;
  get<T extends object>(collection: string, id: string): Promise<T | undefined>;
  find<T extends object>(collection: string, options?: FindOptions): Promise<Page<T>>;
  count(collection: string, filter?: Filter): Promise<number>;
  upsert(collection: string, id: string, doc: object): Promise<void>;
  delete(collection: string, id: string): Promise<void>;
  /**
   * Writes the documents and moves the checkpoint in one transaction: all or nothing. A
   * compare-and-set: it commits only if the stored checkpoint is still `expected` (null: none or
   * null), else it writes nothing and throws CheckpointConflictError, so of two writers of one
   * projection the slower loses and re-reads instead of overwriting newer documents.
   */
  commitBatch(writes: DocumentWrite[], checkpoint: Checkpoint, expected: string | null): Promise<void>;
  getCheckpoint(name: string): Promise<Checkpoint | undefined>;
  listCheckpoints(): Promise<Checkpoint[]>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const READ_STORE = Symbol('READ_STORE');

export class ReadStoreQueryError extends Error {
  readonly code = 'READ_STORE.INVALID_QUERY';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReadStoreQueryError';
  }
}

export const COLLECTION_NAME = /^[a-z][a-z0-9_]{0,62}$/;
export const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/** Another writer moved the checkpoint since this one read it: nothing of the batch was written. */
export class CheckpointConflictError extends Error {
  readonly code = 'READ_STORE.CHECKPOINT_CONFLICT';
  constructor(
    readonly checkpointName: string,
    readonly expected: string | null,
    readonly actual: string | null,
  ) {
    super(`Checkpoint ${checkpointName} is at ${actual ?? 'the start'}, not ${expected ?? 'the start'}: another writer committed first`);
    this.name = 'CheckpointConflictError';
  }
}
