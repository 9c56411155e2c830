import { Readable } from 'node:stream';
import { exportEvents, handleCommand, importEvents, SqliteEventStore, verifyLog, type EventStore } from '@itsm/event-store';

type Noted = { type: 'Noted'; data: { n: number } };

async function note(store: EventStore, streamId: string, tenantId: string, n: number, at: string) {
  await handleCommand<number, Noted>(store, {
    streamId,
    initialState: () => 0,
    evolve: (s) => s + 1,
    decide: () => [{ type: 'Noted', data: { n } }],
    metadata: { commandId: `${streamId}/${n}`, actor: 'op', tenantId, correlationId: 'c', causationId: 'c', requestHash: `h${n}` },
    schemaVersion: 1,
    now: () => new Date(at),
  });
}

async function collect(it: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const line of it) out += line;
  return out;
}

const rows = (s: SqliteEventStore) => s.database.prepare('SELECT * FROM events ORDER BY position').all();

describe('export and import', () => {
  let source: SqliteEventStore;
  beforeEach(async () => {
    source = new SqliteEventStore({ filename: ':memory:', now: () => new Date('2024-03-01T10:00:00Z') });
    await note(source, 'incident-1', 'CoL', 1, '2024-01-10T09:00:00Z');
    await note(source, 'incident-2', 'LBB', 2, '2024-02-10T09:00:00Z');
    await note(source, 'incident-1', 'CoL', 3, '2024-03-10T09:00:00Z');
    // A position gap, as a rolled-back append leaves: the import must keep positions, not renumber.
    source.database.prepare("UPDATE sqlite_sequence SET seq = seq + 5 WHERE name = 'events'").run();
    await note(source, 'incident-2', 'LBB', 4, '2024-04-10T09:00:00Z');
  });
  afterEach(() => source.close());

  it('round-trips the log into an empty store row for row, positions and record times included', async () => {
    const ndjson = await collect(exportEvents(source));
    expect(ndjson.trim().split('\n')).toHaveLength(4);
    const target = new SqliteEventStore({ filename: ':memory:' });
    const summary = await importEvents(target, Readable.from([ndjson]));
    expect(summary).toEqual({ events: 4, written: 4, skipped: 0, positionsKept: true });
    expect(rows(target)).toEqual(rows(source));
    expect((await verifyLog(target)).headGlobalHash).toBe((await verifyLog(source)).headGlobalHash);
    // Run again (as after an interruption): nothing new.
    expect(await importEvents(target, Readable.from([ndjson]))).toMatchObject({ written: 0, skipped: 4 });
    await target.close();
  });

  it('filters by tenant, stream and record time', async () => {
    const ids = async (filter: Parameters<typeof exportEvents>[1]) => (await collect(exportEvents(source, filter))).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).data.n);
    expect(await ids({ tenantId: 'LBB' })).toEqual([2, 4]);
    expect(await ids({ streamIds: ['incident-1'] })).toEqual([1, 3]);
    expect(await ids({ from: new Date('2024-02-01T00:00:00Z'), to: new Date('2024-04-01T00:00:00Z') })).toEqual([2, 3]);
  });

  it('refuses a malformed line, naming it and the rule, and an export that does not start its streams', async () => {
    const target = new SqliteEventStore({ filename: ':memory:' });
    const lines = (await collect(exportEvents(source))).split('\n');
    await expect(importEvents(target, Readable.from([`${lines[0]}\n{"position":"x"}\n`]))).rejects.toThrow('line 2: position must be a non-negative integer string');
    const partial = await collect(exportEvents(source, { from: new Date('2024-03-01T00:00:00Z') }));
    const fresh = new SqliteEventStore({ filename: ':memory:' });
    await expect(importEvents(fresh, Readable.from([partial]))).rejects.toThrow('is revision 1 of incident-1, which holds 0 event(s) here');
    expect(rows(fresh)).toEqual([]); // the failing batch left nothing behind
    await Promise.all([target.close(), fresh.close()]);
  });
});
