import { MongoClient, MongoServerError, type AnyBulkWriteOperation, type Db, type Document, type Filter as MongoFilter } from 'mongodb';
import {
  CheckpointConflictError,
  COLLECTION_NAME,
  decodeCursor,
  encodeCursor,
  FIELD_NAME,
  fieldValue,
  ReadStoreQueryError,
  type Checkpoint,
  type DocumentWrite,
  type Filter,
  type FindOptions,
  type Page,
  type ReadStore,
} from '@itsm/read-store';

const META = 'rs_collections';
const CHECKPOINTS = 'rs_checkpoints';

/**
 * The most document writes one commitBatch should carry. A batch and its checkpoint commit in one
 * multi-document transaction, and MongoDB aborts a transaction that runs longer than
 * transactionLifetimeLimitSeconds (60 s by default) or whose uncommitted writes press too hard on the
 * WiredTiger cache. The projector splits its event batches so that one commit stays under this
 * figure; the adapter does not refuse more (atomicity matters more than size), it only chunks them.
 */
export const MAX_WRITES_PER_TRANSACTION = 10_000;

/** Operations per bulkWrite command inside the transaction: many small commands, one transaction. */
export const BULK_WRITE_CHUNK = 1_000;

type IdDocument = Document & { _id: string };
type CheckpointDocument = { _id: string; version: number; position: string | null };

/** One bulkWrite of a commit: up to BULK_WRITE_CHUNK operations on one collection, in batch order. */
export interface BulkWriteChunk {
  collection: string;
  ops: AnyBulkWriteOperation<IdDocument>[];
}

/**
 * Turns a batch into bulkWrites: grouped by collection (first-seen order), each collection's writes
 * kept in batch order (so the last write to an id wins, as in SQLite) and cut into chunks.
 */
export function planBulkWrites(writes: DocumentWrite[], chunkSize = BULK_WRITE_CHUNK): BulkWriteChunk[] {
  const byCollection = new Map<string, AnyBulkWriteOperation<IdDocument>[]>();
  for (const w of writes) {
    let ops = byCollection.get(w.collection);
    if (!ops) byCollection.set(w.collection, (ops = []));
    ops.push(w.doc === null ? { deleteOne: { filter: { _id: w.id } } } : { replaceOne: { filter: { _id: w.id }, replacement: { ...w.doc }, upsert: true } });
  }
  const chunks: BulkWriteChunk[] = [];
  for (const [collection, ops] of byCollection) {
    for (let i = 0; i < ops.length; i += chunkSize) chunks.push({ collection, ops: ops.slice(i, i + chunkSize) });
  }
  return chunks;
}

/** The fields of a `hello` reply that tell what kind of server answered. */
export interface HelloReply {
  setName?: unknown;
  msg?: unknown;
  isreplicaset?: unknown;
  [field: string]: unknown;
}

export type TransactionSupport = { supported: true; topology: 'replica set' | 'mongos' } | { supported: false; reason: string };

const HOW_TO_FIX =
  'Each batch of read-model documents and its checkpoint are committed in one multi-document transaction, which MongoDB only offers on a replica set or behind mongos. ' +
  'For a single server, start it as a one-node replica set (mongod --replSet rs0), run rs.initiate() once in mongosh, and connect with ?replicaSet=rs0 ' +
  '(or ?directConnection=true when the member is advertised under a host name this machine cannot resolve, as with docker-compose.yml from the host).';

/**
 * Whether the server that sent this `hello` reply can run transactions: a replica set member
 * reports its setName, a mongos reports msg "isdbgrid" (the driver classifies servers the same way);
 * a mongod started with --replSet but never initiated reports isreplicaset and no setName.
 */
export function transactionSupport(hello: HelloReply): TransactionSupport {
  if (typeof hello.setName === 'string' && hello.setName !== '') return { supported: true, topology: 'replica set' };
  if (hello.msg === 'isdbgrid') return { supported: true, topology: 'mongos' };
  if (hello.isreplicaset === true) {
    return {
      supported: false,
      reason: `MongoDB was started with --replSet but its replica set is not initiated, so it cannot take writes or run transactions: run rs.initiate() once in mongosh. ${HOW_TO_FIX}`,
    };
  }
  return {
    supported: false,
    reason: `MongoDB must run as a replica set (one node is enough) or behind mongos, but this server is a standalone mongod. ${HOW_TO_FIX}`,
  };
}

/** The MongoDB server cannot run the transactions this adapter commits with. */
export class MongoDbTopologyError extends Error {
  readonly code = 'READ_STORE.MONGODB_NOT_TRANSACTIONAL';
  constructor(message: string) {
    super(message);
    this.name = 'MongoDbTopologyError';
  }
}

/**
 * The production read store: MongoDB through the official driver. A batch and its checkpoint are
 * written in one multi-document transaction, so MongoDB must run as a replica set (a single-node
 * one is enough, as docker-compose.yml sets up) or behind mongos; the first operation checks that
 * and refuses a standalone server with a message that says how to fix it.
 */
export class MongoDbReadStore implements ReadStore {
  readonly kind = 'mongodb' as const;
  private readonly client: MongoClient;
  private readonly db: Db;
  private indexed: Map<string, Set<string>> | undefined;
  private ready: Promise<void> | undefined;

  constructor(uri: string) {
    // Undefined fields are left out, as JSON (and so the SQLite adapter) leaves them out; the driver's default stores null.
    this.client = new MongoClient(uri, { ignoreUndefined: true });
    this.db = this.client.db();
  }

  async declareCollection(name: string, indexedFields: string[], compoundIndexes: string[][] = []): Promise<void> {
    if (!COLLECTION_NAME.test(name)) throw new ReadStoreQueryError('collection', `collection name ${name} must match ${COLLECTION_NAME}`);
    for (const f of indexedFields) if (!FIELD_NAME.test(f)) throw new ReadStoreQueryError('field', `field name ${f} must match ${FIELD_NAME}`);
    const indexed = await this.meta();
    const fields = [...new Set([...(indexed.get(name) ?? []), ...indexedFields])];
    const existing = await this.db.listCollections({ name }).toArray();
    if (existing.length === 0) await this.db.createCollection(name);
    for (const f of indexedFields) await this.db.collection(name).createIndex({ [f]: 1, _id: 1 });
    for (const c of compoundIndexes) await this.db.collection(name).createIndex({ ...Object.fromEntries(c.map((f) => [f, 1])), _id: 1 });
    await this.db.collection<{ _id: string; fields: string[] }>(META).updateOne({ _id: name }, { $set: { fields } }, { upsert: true });
    indexed.set(name, new Set(fields));
  }

  async suspendIndexes(name: string, keep: string[]): Promise<void> {
    await this.ensureReady();
    const kept = new Set(keep.map((f) => `${f}_1__id_1`));
    for (const index of await this.db.collection(name).indexes()) {
      if (index.name && index.name !== '_id_' && !kept.has(index.name)) await this.db.collection(name).dropIndex(index.name);
    }
  }

  async dropCollection(name: string): Promise<void> {
    const indexed = await this.meta();
    await this.db
      .collection(name)
      .drop()
      .catch(() => undefined);
    await this.db.collection<{ _id: string }>(META).deleteOne({ _id: name });
    indexed.delete(name);
  }

  async get<T extends object>(collection: string, id: string): Promise<T | undefined> {
    await this.known(collection);
    const doc = await this.db.collection<IdDocument>(collection).findOne({ _id: id });
    return doc ? strip<T>(doc) : undefined;
  }

  async find<T extends object>(collection: string, options: FindOptions = {}): Promise<Page<T>> {
    await this.known(collection);
    const filter = await this.translate(collection, options.filter ?? {});
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 10_000);
    const sort = options.sort;
    if (sort) await this.assertIndexed(collection, sort.field);
    const dir = sort?.direction === 'desc' ? -1 : 1;
    const and: MongoFilter<Document>[] = [filter];
    if (options.cursor) {
      const [value, id] = decodeCursor(options.cursor);
      const op = dir === -1 ? '$lt' : '$gt';
      and.push(sort ? { $or: [{ [sort.field]: { [op]: value } }, { [sort.field]: value, _id: { [op]: id } }] } : { _id: { [op]: id } });
    }
    const docs = await this.db
      .collection(collection)
      .find({ $and: and })
      .sort(sort ? { [sort.field]: dir, _id: dir } : { _id: dir })
      .limit(limit + 1)
      .toArray();
    const items = docs.slice(0, limit).map((d) => strip<T>(d));
    const last = docs.length > limit ? docs[limit - 1] : undefined;
    return last ? { items, nextCursor: encodeCursor(sort ? fieldValue(strip(last), sort.field) : null, String(last._id)) } : { items };
  }

  async count(collection: string, filter: Filter = {}): Promise<number> {
    await this.known(collection);
    return this.db.collection(collection).countDocuments(await this.translate(collection, filter));
  }

  async upsert(collection: string, id: string, doc: object): Promise<void> {
    await this.known(collection);
    await this.db.collection<IdDocument>(collection).replaceOne({ _id: id }, { ...doc }, { upsert: true });
  }

  async delete(collection: string, id: string): Promise<void> {
    await this.known(collection);
    await this.db.collection<IdDocument>(collection).deleteOne({ _id: id });
  }

  async commitBatch(writes: DocumentWrite[], checkpoint: Checkpoint, expected: string | null): Promise<void> {
    await this.ensureReady();
    const chunks = planBulkWrites(writes);
    for (const { collection } of chunks) await this.known(collection); // refuse before any transaction starts
    const checkpoints = this.db.collection<CheckpointDocument>(CHECKPOINTS);
    const session = this.client.startSession();
    let insertRaced = false;
    try {
      // withTransaction retries the whole callback on a TransientTransactionError (a WriteConflict with
      // a concurrent writer) and rethrows anything else after aborting, CheckpointConflictError included.
      await session.withTransaction(async () => {
        insertRaced = false;
        const stored = positionOf((await checkpoints.findOne({ _id: checkpoint.name }, { session }))?.position);
        if (stored !== expected) throw new CheckpointConflictError(checkpoint.name, expected, stored);
        // The checkpoint is written first, and only where it still holds `expected`: from here on a second
        // writer of this projection hits a WriteConflict at its own checkpoint write, is retried by its
        // withTransaction once this one ends, re-reads the moved checkpoint and loses with a conflict.
        try {
          await checkpoints.updateOne(
            { _id: checkpoint.name, position: expected },
            { $set: { version: checkpoint.version, position: checkpoint.position } },
            { upsert: true, session },
          );
        } catch (e) {
          // The checkpoint moved after this transaction's snapshot and the upsert tried to insert its id.
          if (e instanceof MongoServerError && e.code === 11000) insertRaced = true;
          throw e;
        }
        for (const { collection, ops } of chunks) await this.db.collection<IdDocument>(collection).bulkWrite(ops, { session, ordered: true });
      });
    } catch (e) {
      if (insertRaced) throw new CheckpointConflictError(checkpoint.name, expected, (await this.getCheckpoint(checkpoint.name))?.position ?? null);
      throw e;
    } finally {
      await session.endSession();
    }
  }

  async getCheckpoint(name: string): Promise<Checkpoint | undefined> {
    await this.ensureReady();
    const row = await this.db.collection<CheckpointDocument>(CHECKPOINTS).findOne({ _id: name });
    return row ? { name: row._id, version: row.version, position: positionOf(row.position) } : undefined;
  }

  async listCheckpoints(): Promise<Checkpoint[]> {
    await this.ensureReady();
    const rows = await this.db.collection<CheckpointDocument>(CHECKPOINTS).find().sort({ _id: 1 }).toArray();
    return rows.map((r) => ({ name: r._id, version: r.version, position: positionOf(r.position) }));
  }

  async ping(): Promise<boolean> {
    try {
      await this.db.command({ ping: 1 });
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /**
   * Asks the server once, before the first use, whether it can run transactions; a standalone
   * server is refused for good, while a failure to reach the server is retried on the next call.
   */
  private ensureReady(): Promise<void> {
    this.ready ??= this.client
      .db('admin')
      .command({ hello: 1 })
      .then((hello) => {
        const verdict = transactionSupport(hello);
        if (!verdict.supported) throw new MongoDbTopologyError(verdict.reason);
      })
      .catch((e: unknown) => {
        if (!(e instanceof MongoDbTopologyError)) this.ready = undefined;
        throw e;
      });
    return this.ready;
  }

  private async meta(): Promise<Map<string, Set<string>>> {
    await this.ensureReady();
    if (!this.indexed) {
      const rows = await this.db.collection<{ _id: string; fields: string[] }>(META).find().toArray();
      this.indexed = new Map(rows.map((r) => [r._id, new Set(r.fields)]));
    }
    return this.indexed;
  }

  private async known(collection: string): Promise<void> {
    if (!(await this.meta()).has(collection)) throw new ReadStoreQueryError('collection', `collection ${collection} is not declared`);
  }

  private async assertIndexed(collection: string, field: string): Promise<void> {
    if (!(await this.meta()).get(collection)?.has(field)) throw new ReadStoreQueryError(field, `${field} is not an indexed field of ${collection}`);
  }

  private async translate(collection: string, filter: Filter): Promise<MongoFilter<Document>> {
    const out: Record<string, unknown> = {};
    for (const [field, f] of Object.entries(filter)) {
      await this.assertIndexed(collection, field);
      out[field] = f;
    }
    return out;
  }
}

/** A stored position: its text, or null when none was applied yet (a missing field counts as null). */
function positionOf(stored: string | null | undefined): string | null {
  return stored ?? null;
}

function strip<T>(doc: Document): T {
  const { _id: _ignored, ...rest } = doc;
  return rest as T;
}
