import type { DocumentWrite, Filter, FieldFilter, ReadStore, Scalar } from '@itsm/read-store';
import { physicalCollection, type ProjectionContext } from './projection';

/**
 * The documents one batch reads and writes: reads go through to the store once, writes stay here
 * until the runtime commits them with the checkpoint in one transaction.
 */
export class BatchContext implements ProjectionContext {
  private readonly docs = new Map<string, { collection: string; id: string; doc: object | null; dirty: boolean }>();

  constructor(
    private readonly store: ReadStore,
    private readonly version: number,
  ) {}

  async get<T extends object>(collection: string, id: string): Promise<T | undefined> {
    const key = `${collection}\u0000${id}`;
    const hit = this.docs.get(key);
    if (hit) return (hit.doc ?? undefined) as T | undefined;
    const doc = await this.store.get<T>(physicalCollection(collection, this.version), id);
    this.docs.set(key, { collection, id, doc: doc ?? null, dirty: false });
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
    for (const { collection: c, id, doc } of this.docs.values()) {
      if (c !== collection) continue;
      if (doc && matches(doc, filter)) out.set(id, doc as T);
      else out.delete(id);
    }
    return [...out.values()];
  }

  /** Stored as the store will return it (JSON: no undefined fields), so a batch reads back what a restart would. */
  put(collection: string, id: string, doc: object): void {
    this.docs.set(`${collection}\u0000${id}`, { collection, id, doc: JSON.parse(JSON.stringify(doc)), dirty: true });
  }

  delete(collection: string, id: string): void {
    this.docs.set(`${collection}\u0000${id}`, { collection, id, doc: null, dirty: true });
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
    return (f.$gt === undefined || v > f.$gt!) && (f.$gte === undefined || v >= f.$gte!) && (f.$lt === undefined || v < f.$lt!) && (f.$lte === undefined || v <= f.$lte!);
  }
  return v === f;
}
