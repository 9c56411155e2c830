import type { DocumentWrite, Filter, FieldFilter, ReadStore, Scalar } from '@itsm/read-store';
import type { CommittedDocuments } from './committed-documents';
import { physicalCollection, type ProjectionContext } from './projection';

/**
 * The documents one batch reads and writes: reads go through to the store once, writes stay here
 * until the runtime commits them with the checkpoint in one transaction.
 */
export class BatchContext implements ProjectionContext {
  private readonly docs = new Map<string, { collection: string; id: string; doc: object | null; dirty: boolean; normalized: boolean }>();
  /** Documents written so far (each counted once): the size of the commit to come. */
  private dirty = 0;

  /** committed: the documents the projector committed before (kept across batches), if it keeps them. */
  constructor(
    private readonly store: ReadStore,
    private readonly version: number,
    private readonly committed?: CommittedDocuments,
  ) {}

  async get<T extends object>(collection: string, id: string): Promise<T | undefined> {
    const key = `${collection}\u0000${id}`;
    const hit = this.docs.get(key) ?? this.committed?.get(key);
    if (hit) {
      if (!hit.normalized && hit.doc) hit.doc = jsonCopy(hit.doc) as object;
      hit.normalized = true;
      return (hit.doc ?? undefined) as T | undefined;
    }
    const doc = await this.store.get<T>(physicalCollection(collection, this.version), id);
    if (this.committed) this.committed.set(key, doc ?? null, true);
    else this.docs.set(key, { collection, id, doc: doc ?? null, dirty: false, normalized: true });
    return doc;
  }

  async findAll<T extends object>(collection: string, filter: Filter): Promise<T[]> {
    const out = new Map<string, T>();
    let cursor: string | undefined;
    do {
      const page = await this.store.find<T & { id: string }>(physicalCollection(collection, this.version), { filter, limit: 5000, cursor });
      for (const d of page.items) out.set(d.id, d);
      cursor = page.nextCursor;
    } while (cursor);
    for (const { collection: c, id, doc } of [...this.docs.values()]) {
      if (c !== collection) continue;
      if (doc && matches(doc, filter)) out.set(id, (await this.get<T>(c, id))!);
      else out.delete(id);
    }
    return [...out.values()];
  }

  /**
   * Keeps the document itself, so a document rewritten many times in a batch is serialised once,
   * at commit. Read back within the batch, it is first made what the store would return (JSON:
   * no undefined fields, which also moves a re-added field to the end), so a batch reads back
   * exactly what a restart would. Projections must not mutate a document after putting it.
   */
  put(collection: string, id: string, doc: object): void {
    this.countWrite(`${collection}\u0000${id}`);
    this.docs.set(`${collection}\u0000${id}`, { collection, id, doc, dirty: true, normalized: false });
  }

  delete(collection: string, id: string): void {
    this.countWrite(`${collection}\u0000${id}`);
    this.docs.set(`${collection}\u0000${id}`, { collection, id, doc: null, dirty: true, normalized: true });
  }

  private countWrite(key: string): void {
    if (!this.docs.get(key)?.dirty) this.dirty++;
  }

  get writeCount(): number {
    return this.dirty;
  }

  /** Once committed, the documents written are what the store holds: kept for the next batches. */
  keepCommitted(): void {
    if (!this.committed) return;
    for (const [key, entry] of this.docs) if (entry.dirty) this.committed.set(key, entry.doc, entry.normalized);
  }

  /** Everything written (read-only entries are skipped). */
  writes(): DocumentWrite[] {
    const out: DocumentWrite[] = [];
    for (const entry of this.docs.values()) {
      if (!entry.dirty) continue;
      out.push({ collection: physicalCollection(entry.collection, this.version), id: entry.id, doc: entry.doc });
    }
    return out;
  }
}

function matches(doc: object, filter: Filter): boolean {
  return Object.entries(filter).every(([field, f]) => matchField((doc as Record<string, Scalar>)[field] ?? null, f));
}

function matchField(v: Scalar, f: FieldFilter): boolean {
  if (f !== null && typeof f === 'object' && '$in' in f) return f.$in.includes(v);
  if (f !== null && typeof f === 'object') {
    if (v === null) return false;
    return (
      (f.$gt === undefined || v > f.$gt!) &&
      (f.$gte === undefined || v >= f.$gte!) &&
      (f.$lt === undefined || v < f.$lt!) &&
      (f.$lte === undefined || v <= f.$lte!)
    );
  }
  return v === f;
}

/**
 * What JSON.parse(JSON.stringify(value)) gives for plain data (undefined fields dropped, so a field
 * set to undefined and later re-added moves to the end), without building the string.
 */
function jsonCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : jsonCopy(v)));
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined && typeof v !== 'function') out[key] = jsonCopy(v);
  }
  return out;
}
