import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventIdConflictError, SqliteEventStore, WrongExpectedVersionError, type RecordedEvent } from '../src';

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

  it('refuses event ids reused in another stream or out of place', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    const a = event();
    await store.append('incident-1', [a], { expectedRevision: 'no_stream' });
    await expect(store.append('incident-2', [a], { expectedRevision: 'any' })).rejects.toBeInstanceOf(EventIdConflictError);
    await expect(store.append('incident-1', [event(), a], { expectedRevision: 'any' })).rejects.toBeInstanceOf(
      EventIdConflictError,
    );
    expect(await store.headPosition()).toBe(1n);
    await store.close();
  });

  it('a retry of the same ids with a different expectation is a conflict, not a silent success', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    const a = event();
    await store.append('incident-1', [event()], { expectedRevision: 'no_stream' });
    await store.append('incident-1', [a], { expectedRevision: 0n });
    await expect(store.append('incident-1', [a], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
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
