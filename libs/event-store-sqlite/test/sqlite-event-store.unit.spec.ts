import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventIdConflictError, WrongExpectedVersionError, type RecordedEvent } from '@itsm/event-store';
import { SqliteEventStore } from '@itsm/event-store-sqlite';

const event = (type = 'IncidentRaised') => ({ id: randomUUID(), type, data: {} });

describe('SqliteEventStore specifics', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'itsm-es-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('an acknowledged append is on disk: another connection to the file reads it', async () => {
    const file = join(dir, 'a.sqlite');
    const writer = new SqliteEventStore({ filename: file });
    await writer.append('incident-1', [event()], { expectedRevision: 'no_stream' });
    const reader = new SqliteEventStore({ filename: file });
    expect(await reader.headPosition()).toBe(1n);
    await Promise.all([writer.close(), reader.close()]);
  });

  it('uses WAL and synchronous=FULL (durable before it answers)', async () => {
    const store = new SqliteEventStore({ filename: join(dir, 'a.sqlite') });
    expect(store.database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(Number(store.database.pragma('synchronous', { simple: true }))).toBe(2);
    await store.close();
  });

  it('commits appends of one tick together, yet a failing one leaves the others intact', async () => {
    const store = new SqliteEventStore({ filename: join(dir, 'a.sqlite') });
    const results = await Promise.allSettled([
      store.append('incident-1', [event(), event()], { expectedRevision: 'no_stream' }),
      store.append('incident-1', [event()], { expectedRevision: 7n }),
      store.append('incident-2', [event()], { expectedRevision: 'no_stream' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
    expect(await store.headPosition()).toBe(3n);
    await store.close();
  });

  it('allows an event id in another stream, but refuses ids that repeat a recorded append only in part', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    const [a, b] = [event(), event()];
    await store.append('incident-1', [a, b], { expectedRevision: 'no_stream' });
    expect(await store.append('incident-2', [a], { expectedRevision: 'any' })).toEqual({ nextRevision: 0n, position: 3n });
    // The first id is recorded here and the next one is not: these ids were reused for other facts.
    await expect(store.append('incident-1', [a, event()], { expectedRevision: 'any' })).rejects.toBeInstanceOf(EventIdConflictError);
    await expect(store.append('incident-1', [a, event()], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(EventIdConflictError);
    // 'any' with ids recorded in order: a retry, answered as the first append was.
    expect(await store.append('incident-1', [a, b], { expectedRevision: 'any' })).toEqual({ nextRevision: 1n, position: 2n });
    expect(await store.headPosition()).toBe(3n);
    await store.close();
  });

  it('checks each append of a group against the stream as the earlier appends of the group left it', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    const [first, second] = [event(), event('IncidentAssigned')];
    // Sent in one tick, so committed in one transaction.
    const results = await Promise.allSettled([
      store.append('incident-1', [first], { expectedRevision: 'no_stream' }),
      store.append('incident-1', [second], { expectedRevision: 0n }),
      store.append('incident-1', [event('IncidentResponded')], { expectedRevision: 0n }),
      store.append('incident-1', [first], { expectedRevision: 'no_stream' }),
      store.append('incident-1', [event('IncidentResponded')], { expectedRevision: 'no_stream' }),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason.name))).toEqual([
      { nextRevision: 0n, position: 1n },
      { nextRevision: 1n, position: 2n },
      'WrongExpectedVersionError',
      { nextRevision: 0n, position: 1n }, // a retry of the first, within the same group
      'WrongExpectedVersionError',
    ]);
    const types: string[] = [];
    for await (const e of store.readStream('incident-1')) types.push(e.type);
    expect(types).toEqual(['IncidentRaised', 'IncidentAssigned']);
    await store.close();
  });

  it('an append whose write fails inside a group fails alone, half-written nowhere; the group commits without it', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    // A write that fails half-way through an append, after the group's earlier appends were written.
    store.database.exec("CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.type = 'Poisoned' BEGIN SELECT RAISE(ABORT, 'poisoned'); END");
    const results = await Promise.allSettled([
      store.append('incident-1', [event()], { expectedRevision: 'no_stream' }),
      store.append('incident-2', [event(), event('Poisoned')], { expectedRevision: 'no_stream' }),
      store.append('incident-3', [event()], { expectedRevision: 'no_stream' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/poisoned/);
    const streams: string[] = [];
    for await (const e of store.readAll()) streams.push(e.streamId);
    expect(streams).toEqual(['incident-1', 'incident-3']);
    await store.close();
  });

  it('a retry of the same ids with a different expectation is a conflict, not a silent success', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    const a = event();
    await store.append('incident-1', [event()], { expectedRevision: 'no_stream' });
    await store.append('incident-1', [a], { expectedRevision: 0n });
    await expect(store.append('incident-1', [a], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await store.close();
  });

  it('a subscription sees appends made by another process on the same file (polling fallback)', async () => {
    const file = join(dir, 'a.sqlite');
    const api = new SqliteEventStore({ filename: file, pollIntervalMs: 20 });
    const cli = new SqliteEventStore({ filename: file });
    const sub = api.subscribeToAll();
    const it = sub[Symbol.asyncIterator]();
    const next = it.next();
    await cli.append('incident-9', [event()], { expectedRevision: 'no_stream' });
    const got = (await next).value as RecordedEvent;
    expect(got.streamId).toBe('incident-9');
    await sub.close();
    await Promise.all([api.close(), cli.close()]);
  });

  it('pins recordedAt to the injected clock', async () => {
    const at = new Date('2023-07-03T09:00:00.000Z');
    const store = new SqliteEventStore({ filename: ':memory:', now: () => at });
    await store.append('incident-1', [event()], { expectedRevision: 'no_stream' });
    for await (const e of store.readAll()) expect(e.recordedAt).toEqual(at);
    await store.close();
  });
});
