import { AuditCheckpointer, globalChainAt, verifyLog } from '@itsm/event-audit';
import { GENESIS_HASH, handleCommand, InvalidPositionError, parseLogPosition, type EventStore } from '@itsm/event-store';
import { SqliteEventStore } from '@itsm/event-store-sqlite';

type Noted = { type: 'Noted'; data: { n: number } };

async function note(store: EventStore, streamId: string, from: number, count: number) {
  for (let i = from; i < from + count; i++) {
    await handleCommand<number, Noted>(store, {
      streamId,
      initialState: () => 0,
      evolve: (s) => s + 1,
      decide: () => [{ type: 'Noted', data: { n: i } }],
      metadata: { commandId: `${streamId}/${i}`, actor: 'alice', tenantId: 'CoL', correlationId: 'c', causationId: 'c', requestHash: `h${i}` },
      schemaVersion: 1,
      now: () => new Date(Date.UTC(2024, 0, 1, 9, i)),
    });
  }
}

/** Counts the events a store hands out through readAll. */
function counting(store: SqliteEventStore) {
  const seen = { events: 0 };
  const readAll = store.readAll.bind(store);
  jest.spyOn(store, 'readAll').mockImplementation(async function* (options) {
    for await (const e of readAll(options)) {
      seen.events++;
      yield e;
    }
  });
  return seen;
}

/** The global chain's hash at a position: what verify reports as the head hash of a log whose head is there. */
describe('globalChainAt', () => {
  let store: SqliteEventStore;
  beforeEach(() => (store = new SqliteEventStore({ filename: ':memory:' })));
  afterEach(() => store.close());

  it('before any event is the genesis hash, at the head what verify reports, and earlier what verify reported then', async () => {
    expect((await globalChainAt(store, undefined)).globalHash).toBe(GENESIS_HASH);
    await note(store, 'incident-a', 0, 4);
    const early = await verifyLog(store);
    await note(store, 'incident-b', 0, 3);
    await note(store, 'incident-a', 4, 2);
    const late = await verifyLog(store);
    const at = (p: string | null) => globalChainAt(store, parseLogPosition(p));
    expect(await at(late.headPosition)).toMatchObject({ globalHash: late.headGlobalHash, eventCount: 9 });
    expect(await at(early.headPosition)).toMatchObject({ globalHash: early.headGlobalHash, eventCount: 4 });
    expect(early.headGlobalHash).not.toBe(late.headGlobalHash);
  });

  it('links from the latest audit checkpoint at or before the position, not from the start', async () => {
    await note(store, 'incident-a', 0, 10);
    const early = await verifyLog(store);
    await note(store, 'incident-a', 10, 20);
    await new AuditCheckpointer(store, { now: () => new Date('2024-01-02T00:00:00Z') }).checkpoint();
    await note(store, 'incident-a', 30, 5);
    const { headPosition, headGlobalHash } = await verifyLog(store);
    const seen = counting(store);
    expect((await globalChainAt(store, parseLogPosition(headPosition))).globalHash).toBe(headGlobalHash);
    // The checkpoint event and the 5 notes after it, not the 30 before.
    expect(seen.events).toBe(6);
    // A position before the checkpoint is linked from the start.
    expect((await globalChainAt(store, parseLogPosition(early.headPosition))).globalHash).toBe(early.headGlobalHash);
  });

  it('remembers what it linked: a later position links only the events since', async () => {
    await note(store, 'incident-a', 0, 20);
    const first = await store.headPosition();
    await globalChainAt(store, first);
    await note(store, 'incident-a', 20, 3);
    const seen = counting(store);
    const { headGlobalHash } = await verifyLog(store);
    seen.events = 0;
    expect((await globalChainAt(store, await store.headPosition())).globalHash).toBe(headGlobalHash);
    expect(seen.events).toBe(3);
  });

  it('refuses a position that is no event’s', async () => {
    await note(store, 'incident-a', 0, 3);
    const beyond = parseLogPosition(`${await store.headPosition()}0`);
    await expect(globalChainAt(store, beyond)).rejects.toBeInstanceOf(InvalidPositionError);
  });
});
