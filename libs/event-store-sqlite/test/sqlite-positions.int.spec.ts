import { randomUUID } from 'node:crypto';
import { loadConfig } from '@itsm/config';
import { InvalidPositionError, asLogPosition, type RecordedEvent } from '@itsm/event-store';
import { SqliteEventStore } from '@itsm/event-store-sqlite';

const event = (data: Record<string, unknown> = {}) => ({ id: randomUUID(), type: 'IncidentRaised', data, metadata: {} });
const read = async (it: AsyncIterable<RecordedEvent>) => {
  const out: RecordedEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
};

describe('SQLite event store: positions', () => {
  it('an empty log has no head and no events to count', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    expect(await store.headPosition()).toBeUndefined();
    expect(await store.countEventsAfter()).toBe(0);
    expect(await read(store.readAll())).toEqual([]);
    await store.close();
  });

  it('sparse mode hands out server-shaped positions: increasing, with gaps that grow with the event', async () => {
    const store = new SqliteEventStore({ filename: ':memory:', positions: 'sparse' });
    await store.append('incident-a', [event({ text: 'x' }), event({ text: 'x'.repeat(1000) })], { expectedRevision: 'no_stream' });
    await store.append('incident-b', [event()], { expectedRevision: 'no_stream' });
    const positions = (await read(store.readAll())).map((e) => e.position);
    expect(positions).toHaveLength(3);
    // In the adapter's own test, the gaps may be measured: no two events are neighbours.
    const gaps = positions.slice(1).map((p, i) => Number(p - positions[i]!));
    expect(gaps.every((g) => g > 1)).toBe(true);
    expect(gaps[0]).toBeGreaterThan(1000); // the second event carries 1,000 more bytes
    expect(await store.countEventsAfter()).toBe(3);
    expect(await store.countEventsAfter(positions[0], 1)).toBe(1);
    await store.close();
  });

  it.each(['dense', 'sparse'] as const)('%s: a read after a position that is no event fails as on the server, and nothing is delivered', async (positions) => {
    const store = new SqliteEventStore({ filename: ':memory:', positions });
    const { position } = await store.append('incident-a', [event(), event()], { expectedRevision: 'no_stream' });
    const notAnEvent = asLogPosition(position * 2n + 7n);
    await expect(read(store.readAll({ after: notAnEvent }))).rejects.toBeInstanceOf(InvalidPositionError);
    const sub = store.subscribeToAll({ after: notAnEvent });
    await expect(sub[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(InvalidPositionError);
    await sub.close();
    await store.close();
  });

  it('the mode follows ITSM_SQLITE_POSITIONS and refuses anything else', () => {
    expect(loadConfig({}).sqlitePositions).toBe('dense');
    expect(loadConfig({ ITSM_SQLITE_POSITIONS: 'sparse' }).sqlitePositions).toBe('sparse');
    expect(() => loadConfig({ ITSM_SQLITE_POSITIONS: 'bytes' })).toThrow(/dense or sparse/);
  });
});
