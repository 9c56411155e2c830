import { randomBytes } from 'node:crypto';
import { ReadStoreQueryError, type ReadStore } from '../src';

interface Doc {
  id: string;
  tenantId: string;
  priority: string;
  raisedAt: string;
  age: number;
  open: boolean;
  note?: string;
}

/** The contract every ReadStore adapter honours; collection names are fresh so a shared server works. */
export function describeReadStoreContract(name: string, open: () => Promise<ReadStore>): void {
  describe(`ReadStore contract: ${name}`, () => {
    let store: ReadStore;
    let col: string;
    const docs: Doc[] = Array.from({ length: 57 }, (_, i) => ({
      id: `T${String(i).padStart(3, '0')}`,
      tenantId: ['CoL', 'CoLP', 'LBB'][i % 3],
      priority: `P${(i % 4) + 1}`,
      raisedAt: new Date(Date.UTC(2023, 6, 1 + (i % 20), i % 24)).toISOString(),
      age: (i * 7) % 31,
      open: i % 5 !== 0,
    }));

    beforeEach(async () => {
      store = await open();
      col = `c_${randomBytes(4).toString('hex')}`;
      await store.declareCollection(col, ['tenantId', 'priority', 'raisedAt', 'age', 'open']);
      for (const d of docs) await store.upsert(col, d.id, d);
    });
    afterEach(async () => {
      await store.dropCollection(col);
      await store.close();
    });

    it('gets, replaces and deletes documents by id', async () => {
      expect(await store.get(col, 'T001')).toEqual(docs[1]);
      await store.upsert(col, 'T001', { ...docs[1], note: 'ünïcødé ✓' });
      expect(await store.get<Doc>(col, 'T001')).toEqual({ ...docs[1], note: 'ünïcødé ✓' });
      await store.delete(col, 'T001');
      expect(await store.get(col, 'T001')).toBeUndefined();
      expect(await store.count(col)).toBe(56);
    });

    it('filters by equality, $in, ranges and booleans, and counts the same', async () => {
      const filter = { tenantId: { $in: ['CoL', 'LBB'] }, age: { $gte: 10, $lt: 20 }, open: true };
      const want = docs.filter((d) => ['CoL', 'LBB'].includes(d.tenantId) && d.age >= 10 && d.age < 20 && d.open).map((d) => d.id);
      const page = await store.find<Doc>(col, { filter, limit: 1000 });
      expect(page.items.map((d) => d.id).sort()).toEqual(want.sort());
      expect(page.nextCursor).toBeUndefined();
      expect(await store.count(col, filter)).toBe(want.length);
      expect(await store.count(col, { priority: 'P1', tenantId: 'CoL' })).toBe(docs.filter((d) => d.priority === 'P1' && d.tenantId === 'CoL').length);
      expect(await store.count(col, { tenantId: { $in: [] } })).toBe(0);
    });

    it.each(['asc', 'desc'] as const)('pages through a sort (%s) with cursors: every item once, in order, ties broken by id', async (direction) => {
      const seen: Doc[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.find<Doc>(col, { sort: { field: 'age', direction }, limit: 10, cursor });
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      const cmp = (a: Doc, b: Doc) => a.age - b.age || a.id.localeCompare(b.id);
      const want = [...docs].sort(direction === 'asc' ? cmp : (a, b) => cmp(b, a));
      expect(seen.map((d) => d.id)).toEqual(want.map((d) => d.id));
    });

    it('refuses a filter or sort on an undeclared field, and an undeclared collection', async () => {
      await expect(store.find(col, { filter: { note: 'x' } })).rejects.toBeInstanceOf(ReadStoreQueryError);
      await expect(store.find(col, { sort: { field: 'note', direction: 'asc' } })).rejects.toBeInstanceOf(ReadStoreQueryError);
      await expect(store.get('never_declared', 'x')).rejects.toBeInstanceOf(ReadStoreQueryError);
      await expect(store.find(col, { cursor: 'garbage!' })).rejects.toBeInstanceOf(ReadStoreQueryError);
    });

    it('commits a batch with its checkpoint atomically; a failing batch leaves nothing behind', async () => {
      const cp = `cp_${col}`;
      await store.commitBatch(
        [
          { collection: col, id: 'NEW1', doc: { ...docs[0], id: 'NEW1' } },
          { collection: col, id: 'T002', doc: null },
        ],
        { name: cp, version: 1, position: 42n },
      );
      expect(await store.get(col, 'NEW1')).toBeDefined();
      expect(await store.get(col, 'T002')).toBeUndefined();
      expect(await store.getCheckpoint(cp)).toEqual({ name: cp, version: 1, position: 42n });
      await expect(
        store.commitBatch(
          [
            { collection: col, id: 'NEW2', doc: { ...docs[0], id: 'NEW2' } },
            { collection: 'never_declared', id: 'x', doc: {} },
          ],
          { name: cp, version: 1, position: 99n },
        ),
      ).rejects.toThrow();
      expect(await store.get(col, 'NEW2')).toBeUndefined();
      expect((await store.getCheckpoint(cp))?.position).toBe(42n);
      expect((await store.listCheckpoints()).map((c) => c.name)).toContain(cp);
    });
  });
}
