import { randomBytes } from 'node:crypto';
import { CheckpointConflictError, ReadStoreQueryError, type ReadStore } from '@itsm/read-store';

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
      tenantId: ['CoL', 'CoLP', 'LBB'][i % 3] ?? 'CoL',
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
        { name: cp, version: 1, position: '42' },
        null,
      );
      expect(await store.get(col, 'NEW1')).toBeDefined();
      expect(await store.get(col, 'T002')).toBeUndefined();
      expect(await store.getCheckpoint(cp)).toEqual({ name: cp, version: 1, position: '42' });
      await expect(
        store.commitBatch(
          [
            { collection: col, id: 'NEW2', doc: { ...docs[0], id: 'NEW2' } },
            { collection: 'never_declared', id: 'x', doc: {} },
          ],
          { name: cp, version: 1, position: '99' },
          '42',
        ),
      ).rejects.toThrow();
      expect(await store.get(col, 'NEW2')).toBeUndefined();
      expect((await store.getCheckpoint(cp))?.position).toBe('42');
      expect((await store.listCheckpoints()).find((c) => c.name === cp)).toEqual({ name: cp, version: 1, position: '42' });
    });

    it('compare-and-set: a batch whose expected position is stale writes nothing and throws CheckpointConflictError', async () => {
      const cp = `cp_${col}`;
      await store.commitBatch([{ collection: col, id: 'T003', doc: { ...docs[3], age: 100 } }], { name: cp, version: 1, position: '10' }, null);
      await store.commitBatch([{ collection: col, id: 'T003', doc: { ...docs[3], age: 200 } }], { name: cp, version: 1, position: '20' }, '10');
      // A second writer that read the checkpoint at 10 loses: documents and checkpoint stay as the winner left them.
      const stale = store.commitBatch(
        [
          { collection: col, id: 'T003', doc: { ...docs[3], age: 300 } },
          { collection: col, id: 'STALE', doc: { ...docs[0], id: 'STALE' } },
          { collection: col, id: 'T004', doc: null },
        ],
        { name: cp, version: 1, position: '30' },
        '10',
      );
      await expect(stale).rejects.toBeInstanceOf(CheckpointConflictError);
      await expect(stale).rejects.toMatchObject({ expected: '10', actual: '20', code: 'READ_STORE.CHECKPOINT_CONFLICT' });
      await expect(stale).rejects.toThrow(cp);
      expect((await store.get<Doc>(col, 'T003'))?.age).toBe(200);
      expect(await store.get(col, 'STALE')).toBeUndefined();
      expect(await store.get(col, 'T004')).toEqual(docs[4]);
      expect(await store.count(col)).toBe(docs.length);
      expect(await store.getCheckpoint(cp)).toEqual({ name: cp, version: 1, position: '20' });
      // Nor may a writer that expects a position the checkpoint has not reached yet.
      await expect(store.commitBatch([], { name: cp, version: 1, position: '40' }, '30')).rejects.toBeInstanceOf(CheckpointConflictError);
      expect((await store.getCheckpoint(cp))?.position).toBe('20');
    });

    it('compare-and-set from the start: a missing checkpoint is null; a second "first" commit conflicts', async () => {
      const cp = `cp_${col}`;
      expect(await store.getCheckpoint(cp)).toBeUndefined();
      await store.commitBatch([{ collection: col, id: 'FIRST', doc: { ...docs[0], id: 'FIRST' } }], { name: cp, version: 1, position: '5' }, null);
      const second = store.commitBatch([{ collection: col, id: 'SECOND', doc: { ...docs[0], id: 'SECOND' } }], { name: cp, version: 1, position: '7' }, null);
      await expect(second).rejects.toBeInstanceOf(CheckpointConflictError);
      await expect(second).rejects.toMatchObject({ expected: null, actual: '5' });
      expect(await store.get(col, 'FIRST')).toBeDefined();
      expect(await store.get(col, 'SECOND')).toBeUndefined();
      expect(await store.getCheckpoint(cp)).toEqual({ name: cp, version: 1, position: '5' });
    });

    it('compare-and-set under a race: of two writers from the same checkpoint exactly one commits', async () => {
      const cp = `cp_${col}`;
      await store.commitBatch([], { name: cp, version: 1, position: '1' }, null);
      const writer = (who: string, position: string) =>
        store.commitBatch(
          docs.slice(0, 20).map((d) => ({ collection: col, id: d.id, doc: { ...d, note: who } })),
          { name: cp, version: 1, position },
          '1',
        );
      const results = await Promise.allSettled([writer('A', '2'), writer('B', '3')]);
      const won = results.findIndex((r) => r.status === 'fulfilled');
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results[1 - won] as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(CheckpointConflictError);
      expect((await store.getCheckpoint(cp))?.position).toBe(won === 0 ? '2' : '3');
      const notes = new Set((await store.find<Doc>(col, { limit: 1000 })).items.filter((d) => d.note !== undefined).map((d) => d.note));
      expect([...notes]).toEqual([won === 0 ? 'A' : 'B']);
    });

    it('stores a null position (nothing applied yet) and compares it as null', async () => {
      const cp = `cp_${col}`;
      await store.commitBatch([], { name: cp, version: 2, position: null }, null);
      expect(await store.getCheckpoint(cp)).toEqual({ name: cp, version: 2, position: null });
      expect((await store.listCheckpoints()).find((c) => c.name === cp)).toEqual({ name: cp, version: 2, position: null });
      await expect(store.commitBatch([], { name: cp, version: 2, position: '3' }, '1')).rejects.toMatchObject({ expected: '1', actual: null });
      await store.commitBatch([], { name: cp, version: 2, position: '3' }, null);
      expect((await store.getCheckpoint(cp))?.position).toBe('3');
    });

    it('leaves out undefined fields, as JSON does, whether upserted or committed in a batch', async () => {
      const withHoles = { ...docs[5], note: undefined, nested: { kept: 1, dropped: undefined } };
      await store.upsert(col, 'T005', withHoles);
      const upserted = await store.get<Record<string, unknown>>(col, 'T005');
      expect(upserted).toEqual({ ...docs[5], nested: { kept: 1 } });
      expect('note' in upserted!).toBe(false);
      expect('dropped' in (upserted!.nested as object)).toBe(false);
      await store.commitBatch([{ collection: col, id: 'T006', doc: { ...docs[6], note: undefined } }], { name: `cp_${col}`, version: 1, position: '1' }, null);
      const committed = await store.get<Record<string, unknown>>(col, 'T006');
      expect(committed).toEqual(docs[6]);
      expect('note' in committed!).toBe(false);
      const page = await store.find<Record<string, unknown>>(col, { filter: { tenantId: docs[5]!.tenantId }, limit: 1000 });
      expect(page.items.filter((d) => 'note' in d)).toEqual([]);
    });
  });
}
