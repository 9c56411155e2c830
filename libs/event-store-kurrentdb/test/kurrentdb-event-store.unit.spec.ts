import { randomUUID } from 'node:crypto';
import { END, FORWARDS, MaxAppendSizeExceededError, START, UnavailableError, UnknownError } from '@kurrent/kurrentdb-client';
import { AppendTooLargeError, asLogPosition, EventStoreUnavailableError, InvalidPositionError, type LogPosition, type RecordedEvent } from '@itsm/event-store';
import { KurrentDbEventStore } from '@itsm/event-store-kurrentdb';

/**
 * The adapter's own logic (exclusive reads over the server's inclusive ones, paging, system-stream
 * filtering, position checks, error mapping) against a STUB of the client. The stub encodes the
 * server behaviour established from KurrentDB's source; it is not a server, and these tests do not
 * replace the contract suite (kurrentdb-event-store.int.spec.ts) against a real one.
 */
interface StubEvent {
  streamId: string;
  type: string;
  position: bigint;
}

const INVALID_POSITION = 'Server-side error: status: Unknown, message: "Unexpected FilteredReadAllResult: InvalidPosition >> Invalid position."';

class StubClient {
  readonly log: StubEvent[] = [];
  readonly readAllCalls: Array<{ fromPosition: unknown; maxCount: number; direction: unknown }> = [];
  readonly subscriptions: Array<{ fromPosition: unknown; unsubscribed: boolean; fail?: Error }> = [];
  appendResult: unknown = undefined;
  appendError: Error | undefined = undefined;

  /** Sparse, server-shaped positions: each record starts 100 bytes after the previous one. */
  add(streamId: string, type = 'IncidentRaised'): LogPosition {
    const position = BigInt(this.log.length + 1) * 100n;
    this.log.push({ streamId, type, position });
    return asLogPosition(position);
  }

  private resolved(e: StubEvent) {
    return {
      event: {
        streamId: e.streamId,
        id: randomUUID(),
        revision: 0n,
        type: e.type,
        data: { p: Number(e.position) },
        metadata: {},
        isJson: true,
        created: new Date(0),
        position: { commit: e.position, prepare: e.position },
      },
    };
  }

  readAll(options: { fromPosition?: unknown; maxCount?: number; direction?: unknown; filter?: unknown }) {
    const { fromPosition = START, maxCount = Number.MAX_SAFE_INTEGER, direction = FORWARDS, filter } = options;
    this.readAllCalls.push({ fromPosition, maxCount, direction });
    const log = this.log;
    const resolved = (e: StubEvent) => this.resolved(e);
    return (async function* () {
      // excludeSystemEvents() filters on the event type, server-side.
      let events = filter ? log.filter((e) => !e.type.startsWith('$')) : [...log];
      if (direction === FORWARDS) {
        if (fromPosition !== START) {
          const p = (fromPosition as { commit: bigint }).commit;
          const last = log.at(-1)?.position ?? 0n;
          // Inside the log but not at the start of a record: the server answers InvalidPosition.
          if (p <= last && !log.some((e) => e.position === p)) throw new UnknownError(undefined, INVALID_POSITION);
          events = events.filter((e) => e.position >= p); // inclusive of p, as the server is
        }
      } else {
        expect(fromPosition).toBe(END);
        events.reverse();
      }
      for (const e of events.slice(0, maxCount)) yield resolved(e);
    })();
  }

  subscribeToAll(options: { fromPosition: unknown }) {
    const record: { fromPosition: unknown; unsubscribed: boolean; fail?: Error } = { fromPosition: options.fromPosition, unsubscribed: false };
    this.subscriptions.push(record);
    const log = this.log;
    const resolved = (e: StubEvent) => this.resolved(e);
    const from = options.fromPosition === START ? -1n : (options.fromPosition as { commit: bigint }).commit;
    return {
      async *[Symbol.asyncIterator]() {
        // Exclusive of fromPosition, as the server's catch-up subscription is; then a drop, if asked.
        for (const e of log.filter((x) => x.position > from && !x.type.startsWith('$'))) {
          if (record.unsubscribed) return;
          yield resolved(e);
        }
        if (record.fail) throw record.fail;
      },
      unsubscribe: async () => {
        record.unsubscribed = true;
      },
    };
  }

  async appendToStream() {
    if (this.appendError) throw this.appendError;
    return this.appendResult;
  }

  async dispose() {}
}

const read = async (it: AsyncIterable<RecordedEvent>) => {
  const out: RecordedEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
};

describe('KurrentDbEventStore over a stub client (adapter logic only; no server)', () => {
  let client: StubClient;
  let store: KurrentDbEventStore;
  beforeEach(async () => {
    client = new StubClient();
    store = new KurrentDbEventStore('kurrentdb://localhost:2113?tls=false'); // the real client connects lazily: never here
    const holder = store as unknown as { client: { dispose(): Promise<void> } };
    await holder.client.dispose();
    holder.client = client;
  });
  afterEach(() => store.close());

  it('readAll is exclusive of `after`: it reads from {after, after} (inclusive on the server), one more, and skips it', async () => {
    const p = [client.add('incident-1'), client.add('incident-2'), client.add('incident-1')];
    expect((await read(store.readAll())).map((e) => e.position)).toEqual(p);
    client.readAllCalls.length = 0;
    const after = await read(store.readAll({ after: p[0], maxCount: 1 }));
    expect(after.map((e) => e.position)).toEqual([p[1]]);
    expect(client.readAllCalls[0]).toMatchObject({ fromPosition: { commit: p[0], prepare: p[0] }, maxCount: 2 });
    expect(await read(store.readAll({ after: p[2] }))).toEqual([]);
  });

  it('readAll leaves out the server’s own streams and events, and still fills maxCount across pages', async () => {
    client.add('$settings', 'UpdateDefaultAcl'); // a system stream whose type the server filter lets through
    client.add('incident-1', '$metadata'); // a system event type (server-side filter)
    for (let i = 0; i < 2500; i++) client.add(i % 10 === 0 ? '$system-noise' : `incident-${i}`);
    const all = await read(store.readAll());
    expect(all).toHaveLength(2250);
    expect(all.every((e) => !e.streamId.startsWith('$') && e.type !== '$metadata')).toBe(true);
    const some = await read(store.readAll({ after: all[10]!.position, maxCount: 1500 }));
    expect(some.map((e) => e.position)).toEqual(all.slice(11, 1511).map((e) => e.position));
    expect(client.readAllCalls.length).toBeGreaterThan(2); // paged
    expect(await store.countEventsAfter(all[2000]!.position)).toBe(249);
    expect(await store.countEventsAfter(undefined, 7)).toBe(7);
    expect(await store.countEventsAfter()).toBe(2250);
  });

  it('readAll from a position that is no event’s fails with InvalidPositionError: inside a record, or past the head', async () => {
    expect(client.add('incident-1')).toBe(100n);
    client.add('incident-1');
    const inside = await read(store.readAll({ after: asLogPosition(150n) })).catch((e) => e); // inside the record at 100
    expect(inside).toBeInstanceOf(InvalidPositionError);
    expect(inside.position).toBe('150');
    await expect(read(store.readAll({ after: asLogPosition(10_000n) }))).rejects.toBeInstanceOf(InvalidPositionError);
    await expect(store.countEventsAfter(asLogPosition(10_000n))).rejects.toBeInstanceOf(InvalidPositionError);
  });

  it('headPosition is the last event readAll would yield, undefined when there is none', async () => {
    expect(await store.headPosition()).toBeUndefined();
    client.add('$settings', 'UpdateDefaultAcl');
    expect(await store.headPosition()).toBeUndefined();
    const p = client.add('incident-1');
    client.add('$scavenges', 'ScavengeStarted');
    client.add('incident-1', '$streamDeleted');
    expect(await store.headPosition()).toBe(p);
    expect(await store.ping()).toBe(true);
  });

  it('subscribeToAll checks the checkpoint first, subscribes exclusive of it, and maps a drop', async () => {
    const p = [client.add('incident-1'), client.add('incident-2'), client.add('incident-3')];
    const past = store.subscribeToAll({ after: asLogPosition(10_000n) });
    await expect(past[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(InvalidPositionError);
    expect(client.subscriptions).toHaveLength(0); // never subscribed: the server would have skipped live events
    const inside = store.subscribeToAll({ after: asLogPosition(150n) }); // inside the record at 100
    await expect(inside[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(InvalidPositionError);

    const sub = store.subscribeToAll({ after: p[0] });
    const it = sub[Symbol.asyncIterator]();
    expect((await it.next()).value.position).toBe(p[1]);
    expect(client.subscriptions[0]!.fromPosition).toEqual({ commit: p[0], prepare: p[0] });
    await sub.close();
    expect(client.subscriptions[0]!.unsubscribed).toBe(true);

    const dropped = store.subscribeToAll();
    client.subscriptions.length = 0;
    const it2 = dropped[Symbol.asyncIterator]();
    expect((await it2.next()).value.position).toBe(p[0]);
    expect(client.subscriptions[0]!.fromPosition).toBe(START);
    client.subscriptions[0]!.fail = new UnavailableError(undefined, '14 UNAVAILABLE: connection reset');
    await it2.next();
    await it2.next();
    const err = await it2.next().catch((e) => e);
    expect(err).toBeInstanceOf(EventStoreUnavailableError);
    expect(err.reason).toBe('unavailable');
  });

  it('append returns the last event’s position as a LogPosition and maps a refusal', async () => {
    const event = { id: randomUUID(), type: 'IncidentRaised', data: { a: 1 } };
    client.appendResult = { success: true, nextExpectedRevision: 1n, position: { commit: 4200n, prepare: 4200n } };
    expect(await store.append('incident-1', [event], { expectedRevision: 0n })).toEqual({ nextRevision: 1n, position: 4200n });
    client.appendError = MaxAppendSizeExceededError.fromMaxAppendSize(1_048_576);
    const err = await store.append('incident-1', [event], { expectedRevision: 0n }).catch((e) => e);
    expect(err).toBeInstanceOf(AppendTooLargeError);
    expect(err.streamId).toBe('incident-1');
  });
});
