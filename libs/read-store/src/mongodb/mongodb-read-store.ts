import { MongoClient, type AnyBulkWriteOperation, type Db, type Document, type Filter as MongoFilter } from 'mongodb';
import { decodeCursor, encodeCursor, fieldValue } from '../cursor';
import {
  COLLECTION_NAME,
  FIELD_NAME,
  ReadStoreQueryError,
  type Checkpoint,
  type DocumentWrite,
  type Filter,
  type FindOptions,
  type Page,
  type ReadStore,
} from '../read-store.port';

const META = 'rs_collections';
const CHECKPOINTS = 'rs_checkpoints';

/**
 * The production read store: MongoDB through the official driver. A batch and its checkpoint are
 * written in one multi-document transaction, so MongoDB must run as a replica set (a single-node
 * one is enough, as docker-compose.yml sets up).
 */
export class MongoDbReadStore implements ReadStore {
  readonly kind = 'mongodb' as const;
  private readonly client: MongoClient;
  private readonly db: Db;
  private indexed: Map<string, Set<string>> | undefined;

  constructor(uri: string) {
    this.client = new MongoClient(uri);
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
    const kept = new Set(keep.map((f) => `${f}_1__id_1`));
    for (const index of await this.db.collection(name).indexes()) {
      if (index.name && index.name !== '_id_' && !kept.has(index.name)) await this.db.collection(name).dropIndex(index.name);
    }
  }

  async dropCollection(name: string): Promise<void> {
    const indexed = await this.meta();
    await this.db.collection(name).drop().catch(() => undefined);
    await this.db.collection<{ _id: string }>(META).deleteOne({ _id: name });
    indexed.delete(name);
  }

  async get<T extends object>(collection: string, id: string): Promise<T | undefined> {
    await this.known(collection);
    const doc = await this.db.collection<Document & { _id: string }>(collection).findOne({ _id: id });
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
    await this.db.collection<Document & { _id: string }>(collection).replaceOne({ _id: id }, { ...doc }, { upsert: true });
  }

  async delete(collection: string, id: string): Promise<void> {
    await this.known(collection);
    await this.db.collection<Document & { _id: string }>(collection).deleteOne({ _id: id });
  }

  async commitBatch(writes: DocumentWrite[], checkpoint: Checkpoint): Promise<void> {
    const byCollection = new Map<string, AnyBulkWriteOperation<Document & { _id: string }>[]>();
    for (const w of writes) {
      await this.known(w.collection);
      const op: AnyBulkWriteOperation<Document & { _id: string }> =
        w.doc === null ? { deleteOne: { filter: { _id: w.id } } } : { replaceOne: { filter: { _id: w.id }, replacement: { ...w.doc }, upsert: true } };
      byCollection.set(w.collection, [...(byCollection.get(w.collection) ?? []), op]);
    }
    const session = this.client.startSession();
    try {
      await session.withTransaction(async () => {
        for (const [collection, ops] of byCollection) await this.db.collection<Document & { _id: string }>(collection).bulkWrite(ops, { session, ordered: true });
        await this.db
          .collection<{ _id: string; version: number; position: string }>(CHECKPOINTS)
          .updateOne({ _id: checkpoint.name }, { $set: { version: checkpoint.version, position: checkpoint.position.toString() } }, { upsert: true, session });
      });
    } finally {
      await session.endSession();
    }
  }

  async getCheckpoint(name: string): Promise<Checkpoint | undefined> {
    const row = await this.db.collection<{ _id: string; version: number; position: string }>(CHECKPOINTS).findOne({ _id: name });
    return row ? { name: row._id, version: row.version, position: BigInt(row.position) } : undefined;
  }

  async listCheckpoints(): Promise<Checkpoint[]> {
    const rows = await this.db.collection<{ _id: string; version: number; position: string }>(CHECKPOINTS).find().sort({ _id: 1 }).toArray();
    return rows.map((r) => ({ name: r._id, version: r.version, position: BigInt(r.position) }));
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

  private async meta(): Promise<Map<string, Set<string>>> {
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

function strip<T>(doc: Document): T {
  const { _id: _ignored, ...rest } = doc;
  return rest as T;
}
