import type { Filter, FindOptions, ReadStore } from '@itsm/read-store';

/**
 * The report collections as the queries read them: by logical name (`tickets`), mapped to the
 * physical collection that serves them (the projection version's, or a replay's).
 */
export class ReportReads {
  constructor(
    private readonly store: ReadStore,
    private readonly collection: (logical: string) => string,
  ) {}

  /** Every document matching the filter, read page by page (a sort changes the order, and which index the store reads). */
  async all<T extends object>(logical: string, filter: Filter, sort?: FindOptions['sort']): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.find<T>(this.collection(logical), { filter, sort, limit: 5000, cursor });
      for (const item of page.items) out.push(item);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  page<T extends object>(logical: string, options: Parameters<ReadStore['find']>[1]) {
    return this.store.find<T>(this.collection(logical), options);
  }

  get<T extends object>(logical: string, id: string): Promise<T | undefined> {
    return this.store.get<T>(this.collection(logical), id);
  }

  count(logical: string, filter: Filter): Promise<number> {
    return this.store.count(this.collection(logical), filter);
  }
}
