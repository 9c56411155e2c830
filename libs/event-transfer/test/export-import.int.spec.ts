import { Readable } from 'node:stream';
import { AppendTooLargeError, asLogPosition, handleCommand, type EventStore, type RecordedEvent } from '@itsm/event-store';
import { appendSize, DEFAULT_MAX_APPEND_BYTES, exportEvents, importEvents, planAppends, toExportLine } from '@itsm/event-transfer';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { verifyLog } from '@itsm/event-audit';

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
    const ids = async (filter: Parameters<typeof exportEvents>[1]) =>
      (await collect(exportEvents(source, filter)))
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).data.n);
    expect(await ids({ tenantId: 'LBB' })).toEqual([2, 4]);
    expect(await ids({ streamIds: ['incident-1'] })).toEqual([1, 3]);
    expect(await ids({ from: new Date('2024-02-01T00:00:00Z'), to: new Date('2024-04-01T00:00:00Z') })).toEqual([2, 3]);
  });

  it('refuses a malformed line, naming it and the rule, and an export that does not start its streams', async () => {
    const target = new SqliteEventStore({ filename: ':memory:' });
    const lines = (await collect(exportEvents(source))).split('\n');
    await expect(importEvents(target, Readable.from([`${lines[0]}\n{"position":"x"}\n`]))).rejects.toThrow(
      'line 2: position must be a non-negative integer string',
    );
    const partial = await collect(exportEvents(source, { from: new Date('2024-03-01T00:00:00Z') }));
    const fresh = new SqliteEventStore({ filename: ':memory:' });
    await expect(importEvents(fresh, Readable.from([partial]))).rejects.toThrow('is revision 1 of incident-1, which holds 0 event(s) here');
    expect(rows(fresh)).toEqual([]); // the failing batch left nothing behind
    await Promise.all([target.close(), fresh.close()]);
  });
});

describe('import into a store that assigns its own positions (as KurrentDB): appends under the size limit', () => {
  type Append = { streamId: string; expectedRevision: unknown; ids: string[]; bytes: number };
  /** The embedded store seen only through the port, so the import appends (as into KurrentDB) instead of restoring. */
  const throughAppends = (inner: SqliteEventStore, appends: Append[]): EventStore => ({
    kind: 'kurrentdb',
    append: (streamId, events, options) => {
      appends.push({
        streamId,
        expectedRevision: options.expectedRevision,
        ids: events.map((e) => e.id),
        bytes: events.reduce((n, e) => n + appendSize({ metadata: {}, ...e }), 0),
      });
      return inner.append(streamId, events, options);
    },
    readStream: (s, o) => inner.readStream(s, o),
    readAll: (o) => inner.readAll(o),
    subscribeToAll: (o) => inner.subscribeToAll(o),
    headPosition: () => inner.headPosition(),
    countEventsAfter: (a, m) => inner.countEventsAfter(a, m),
    ping: () => inner.ping(),
    close: () => inner.close(),
  });
  const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
  const recorded = (streamId: string, revision: bigint, position: bigint, data: Record<string, unknown>, type = 'Noted'): RecordedEvent => ({
    id: uuid(Number(position)),
    streamId,
    revision,
    position: asLogPosition(position),
    type,
    data,
    metadata: { actor: 'op' },
    recordedAt: new Date('2024-01-01T00:00:00Z'),
  });
  const ndjson = (events: RecordedEvent[]) => Readable.from([events.map(toExportLine).join('\n') + '\n']);
  const streamOf = async (store: EventStore, s: string) => {
    const out: RecordedEvent[] = [];
    for await (const e of store.readStream(s)) out.push(e);
    return out.map((e) => [e.id, e.revision, e.type, e.data, e.metadata]);
  };

  it('counts an event as the server does: data + metadata bytes (UTF-8) + 2 × the type’s UTF-16 length', () => {
    expect(appendSize({ type: 'Noted', data: { a: 1 }, metadata: {} })).toBe(7 + 2 + 10);
    expect(appendSize({ type: 'Noted', data: { t: 'é東🚨' }, metadata: { actor: 'op' } })).toBe(Buffer.byteLength('{"t":"é東🚨"}') + 14 + 10);
  });

  it('plans runs of one stream at exact revisions, cut before the limit; a stream’s first run expects no stream', () => {
    const e = (s: string, r: bigint, p: bigint) => recorded(s, r, p, { text: 'x'.repeat(80) });
    const size = appendSize(e('a', 0n, 1n));
    const events = [e('a', 0n, 1n), e('a', 1n, 2n), e('a', 2n, 3n), e('b', 5n, 4n), e('b', 6n, 5n), e('a', 3n, 6n), e('a', 5n, 7n)];
    const plan = planAppends(events, 2 * size);
    expect(plan.map((a) => [a.streamId, a.expectedRevision, a.events.map((x) => x.revision)])).toEqual([
      ['a', 'no_stream', [0n, 1n]],
      ['a', 1n, [2n]],
      ['b', 4n, [5n, 6n]],
      ['a', 2n, [3n]],
      ['a', 4n, [5n]], // a gap in revisions starts a new append: the store refuses it if revision 4 is missing
    ]);
    expect(plan.every((a) => a.bytes <= 2 * size && (a.expectedRevision as unknown) !== 'any')).toBe(true);
    expect(planAppends(events, 1_000_000)).toHaveLength(4);
  });

  it('refuses an event alone over the limit, naming it, before writing anything of its batch', async () => {
    const big = recorded('incident-9', 1n, 20n, { text: 'y'.repeat(2_000) });
    expect(() => planAppends([recorded('incident-9', 0n, 10n, { n: 1 }), big], 1_000)).toThrow(AppendTooLargeError);
    expect(() => planAppends([big], 1_000)).toThrow(`Event ${big.id} (revision 1 of incident-9, position 20) weighs`);
    const target = new SqliteEventStore({ filename: ':memory:' });
    const err = await importEvents(throughAppends(target, []), ndjson([recorded('incident-9', 0n, 10n, { n: 1 }), big]), undefined, {
      maxAppendBytes: 1_000,
    }).catch((x) => x);
    expect(err).toBeInstanceOf(AppendTooLargeError);
    expect(err.maxAppendSize).toBe(1_000);
    expect(rows(target)).toEqual([]);
    await target.close();
  });

  it('imports in appends under the limit, each at an exact revision; a rerun writes nothing new', async () => {
    const events: RecordedEvent[] = [];
    let position = 100n;
    for (let r = 0n; r < 12n; r++) {
      events.push(recorded('incident-1', r, (position += 300n), { text: 'x'.repeat(300), r: Number(r) }));
      if (r % 4n === 0n) events.push(recorded('incident-2', r / 4n, (position += 300n), { text: 'é'.repeat(150) }, 'NotedAgain'));
    }
    const target = new SqliteEventStore({ filename: ':memory:' });
    const appends: Append[] = [];
    const summary = await importEvents(throughAppends(target, appends), ndjson(events), undefined, { maxAppendBytes: 1_200 });
    expect(summary).toEqual({ events: 15, written: 15, skipped: 0, positionsKept: false });
    expect(appends.length).toBeGreaterThan(5);
    expect(appends.every((a) => a.bytes <= 1_200)).toBe(true);
    expect(appends.some((a) => a.ids.length > 1)).toBe(true);
    // Exact revisions only: 'no_stream' for a stream's first append, else the revision before it.
    const next = new Map<string, bigint>();
    for (const a of appends) {
      const before = next.get(a.streamId);
      expect(a.expectedRevision).toBe(before === undefined ? 'no_stream' : before);
      next.set(a.streamId, (before ?? -1n) + BigInt(a.ids.length));
    }
    // The streams are as exported, and their events in the exported order.
    const source = new SqliteEventStore({ filename: ':memory:' });
    await source.restore(events);
    for (const s of ['incident-1', 'incident-2']) expect(await streamOf(target, s)).toEqual(await streamOf(source, s));
    const head = await target.headPosition();
    // Run again, as after an interruption: the same appends at the same revisions write nothing.
    const again: Append[] = [];
    await importEvents(throughAppends(target, again), ndjson(events), undefined, { maxAppendBytes: 1_200 });
    expect(again).toEqual(appends);
    expect(await target.headPosition()).toBe(head);
    expect(await target.countEventsAfter()).toBe(15);
    await Promise.all([target.close(), source.close()]);
  });

  it('uses a 1,000,000-byte limit by default and refuses a limit that is not a positive integer', async () => {
    expect(DEFAULT_MAX_APPEND_BYTES).toBe(1_000_000);
    const target = new SqliteEventStore({ filename: ':memory:' });
    await expect(importEvents(throughAppends(target, []), ndjson([]), undefined, { maxAppendBytes: 0 })).rejects.toThrow(
      'maxAppendBytes must be a positive integer',
    );
    await target.close();
  });
});
