import { handleCommand, type EventStore, type JsonObject } from '@itsm/event-store';
import { SqliteEventStore } from '@itsm/event-store-sqlite';

type Noted = { type: 'Noted'; data: { n: number } };

const metadata = (commandId: string) => ({ commandId, actor: 'op', tenantId: 't1', correlationId: 'c', causationId: 'c', requestHash: commandId });

/** Records one Noted at `schemaVersion`, folding the stream into the schema versions its evolve saw. */
function note(store: EventStore, n: number, schemaVersion: number, seen: unknown[] = []) {
  return handleCommand<number, Noted>(store, {
    streamId: 'note-1',
    initialState: () => 0,
    evolve: (s, e: Noted & { metadata: JsonObject }) => {
      seen.push(e.metadata.schemaVersion);
      return s + 1;
    },
    decide: () => [{ type: 'Noted', data: { n } }],
    metadata: metadata(`cmd-${n}`),
    schemaVersion,
    now: () => new Date('2024-03-01T10:00:00Z'),
  });
}

describe('handleCommand', () => {
  let store: SqliteEventStore;
  beforeEach(() => (store = new SqliteEventStore({ filename: ':memory:' })));
  afterEach(() => store.close());

  it('hands evolve each recorded event with its metadata, so a fold can upcast by the schema version it was recorded at', async () => {
    await note(store, 1, 1);
    await note(store, 2, 2);
    const seen: unknown[] = [];
    await note(store, 3, 2, seen);
    expect(seen).toEqual([1, 2]);
  });
});
