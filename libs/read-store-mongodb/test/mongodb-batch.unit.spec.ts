import { BSON } from 'mongodb';
import type { DocumentWrite } from '@itsm/read-store';
import { BULK_WRITE_CHUNK, MAX_WRITES_PER_TRANSACTION, MongoDbReadStore, planBulkWrites } from '../src/mongodb-read-store';

/** What the MongoDB adapter sends, checked without a server: the bulkWrite plan and the BSON the driver writes. */
describe('MongoDB adapter: batch plan and document encoding', () => {
  const write = (collection: string, id: string, doc: object | null = { id }): DocumentWrite => ({ collection, id, doc });

  it('groups a batch by collection, keeps each collection in batch order, and turns null into a delete', () => {
    const plan = planBulkWrites([write('a', '1'), write('b', '1'), write('a', '2', null), write('a', '1', { id: '1', v: 2 })]);
    expect(plan.map((c) => c.collection)).toEqual(['a', 'b']);
    expect(plan[0]?.ops).toEqual([
      { replaceOne: { filter: { _id: '1' }, replacement: { id: '1' }, upsert: true } },
      { deleteOne: { filter: { _id: '2' } } },
      { replaceOne: { filter: { _id: '1' }, replacement: { id: '1', v: 2 }, upsert: true } },
    ]);
  });

  it(`cuts each collection's writes into bulkWrites of at most ${BULK_WRITE_CHUNK}, every write once and in order`, () => {
    const writes = Array.from({ length: 2_500 }, (_, i) => write(i % 5 === 0 ? 'b' : 'a', String(i)));
    const plan = planBulkWrites(writes);
    expect(plan.every((c) => c.ops.length > 0 && c.ops.length <= BULK_WRITE_CHUNK)).toBe(true);
    const ids = (collection: string) =>
      plan.filter((c) => c.collection === collection).flatMap((c) => c.ops.map((op) => ('replaceOne' in op ? op.replaceOne.filter._id : undefined)));
    expect(ids('a')).toEqual(writes.filter((w) => w.collection === 'a').map((w) => w.id));
    expect(ids('b')).toEqual(writes.filter((w) => w.collection === 'b').map((w) => w.id));
    expect(plan.map((c) => [c.collection, c.ops.length])).toEqual([
      ['b', 500],
      ['a', 1_000],
      ['a', 1_000],
    ]); // b is seen first (write 0)
    expect(planBulkWrites([])).toEqual([]);
  });

  it('caps a transaction well above one bulkWrite chunk', () => {
    expect(MAX_WRITES_PER_TRANSACTION).toBe(10_000);
    expect(MAX_WRITES_PER_TRANSACTION % BULK_WRITE_CHUNK).toBe(0);
  });

  it('configures the driver to leave undefined fields out (its default stores null)', async () => {
    const store = new MongoDbReadStore('mongodb://localhost:27017/itsm?directConnection=true'); // the constructor does not connect
    const client = (
      store as unknown as { client: { options: { ignoreUndefined: boolean }; db(): { collection(n: string): { bsonOptions: { ignoreUndefined: boolean } } } } }
    ).client;
    expect(client.options.ignoreUndefined).toBe(true);
    expect(client.db().collection('anything').bsonOptions.ignoreUndefined).toBe(true);
    await store.close();
  });

  it('with ignoreUndefined the BSON the driver writes reads back as the JSON the SQLite adapter stores', () => {
    const doc = { a: 1, gone: undefined, nested: { kept: 'x', gone: undefined }, list: [1, undefined, 3], at: '2024-01-01T00:00:00.000Z' };
    const viaBson = BSON.deserialize(BSON.serialize(doc, { ignoreUndefined: true }));
    expect(viaBson).toEqual(JSON.parse(JSON.stringify(doc)));
    expect('gone' in viaBson).toBe(false);
    // The driver's default (resolveBSONOptions: ignoreUndefined ?? false) would store null instead.
    expect(BSON.deserialize(BSON.serialize(doc, { ignoreUndefined: false }))).toHaveProperty('gone', null);
  });
});
