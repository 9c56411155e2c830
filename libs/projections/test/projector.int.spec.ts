import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import type { AllSubscription, EventStore, RecordedEvent, SubscribeToAllOptions } from '@itsm/event-store';
import { CheckpointConflictError, type ReadStore } from '@itsm/read-store';
import { SqliteReadStore } from '@itsm/read-store-sqlite';
import { appendHistory, demoCatalogue, generateHistory, loadCatalogue } from '@itsm/simulation';
import { physicalCollection, Projector, readModelsDigest, reportsProjection, type ProjectionDefinition } from '../src';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'itsm-projector-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Waits for a condition by looking again after each turn of the event loop; bounded, never timed. */
async function until(condition: () => Promise<boolean>, what: string, turns = 20_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`never happened: ${what}`);
}

/** A generated history in two halves by ticket (each ticket's life whole): one to append before a test, one while it runs. */
function history(seed: number, tickets: number) {
  const steps = [...generateHistory(demoCatalogue(), { seed, tickets, from: '2024-02-05T00:00:00Z', days: 40 })];
  const ids = [...new Set(steps.map((s) => s.ticketId))];
  const firstHalf = new Set(ids.slice(0, Math.floor(ids.length / 2)));
  return {
    first: (store: EventStore) =>
      appendHistory(
        store,
        steps.filter((s) => firstHalf.has(s.ticketId)),
        { seed },
      ),
    second: (store: EventStore) =>
      appendHistory(
        store,
        steps.filter((s) => !firstHalf.has(s.ticketId)),
        { seed },
      ),
  };
}

/** What a clean build of the whole log gives: the reference every other way of building must equal. */
async function rebuilt(store: EventStore, projection: ProjectionDefinition = reportsProjection()) {
  const reads = new SqliteReadStore(':memory:');
  const projector = new Projector(store, reads, projection, { batchSize: 1000 });
  await projector.init();
  await projector.catchUp();
  const digest = await readModelsDigest(reads, projection, (c) => physicalCollection(c, projection.version));
  await reads.close();
  return digest;
}

const digestOf = (reads: ReadStore, projection: ProjectionDefinition = reportsProjection()) =>
  readModelsDigest(reads, projection, (c) => physicalCollection(c, projection.version));

/**
 * The real store, but its subscriptions fail after delivering a given number of events, as a
 * server restart or a network drop ends a gRPC stream: fault injection around SQLite, not a server.
 */
class DroppingSubscriptions {
  drops = 0;
  constructor(
    private readonly inner: SqliteEventStore,
    private readonly dropAfter: number[],
  ) {}

  asEventStore(): EventStore {
    return new Proxy(this.inner, {
      get: (target, prop, receiver) => {
        if (prop === 'subscribeToAll') return (options: SubscribeToAllOptions) => this.subscribe(options);
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  }

  private subscribe(options: SubscribeToAllOptions): AllSubscription {
    const sub = this.inner.subscribeToAll(options);
    const limit = this.dropAfter[this.drops];
    const countDrop = () => this.drops++;
    return {
      async *[Symbol.asyncIterator]() {
        let delivered = 0;
        for await (const e of sub as AsyncIterable<RecordedEvent>) {
          if (limit !== undefined && delivered === limit) {
            countDrop();
            throw new Error('14 UNAVAILABLE: connection reset (injected)');
          }
          delivered++;
          yield e;
        }
      },
      close: () => sub.close(),
    };
  }
}

describe('Projector: a dropped subscription', () => {
  it('resubscribes from its checkpoint with backoff, reports it, and loses nothing', async () => {
    const events = new SqliteEventStore({ filename: ':memory:' });
    await loadCatalogue(events, demoCatalogue(), new Date('2024-01-01T00:00:00Z'));
    const faults = new DroppingSubscriptions(events, [37, 5]);
    const reads = new SqliteReadStore(':memory:');
    const errors: string[] = [];
    const projector = new Projector(faults.asEventStore(), reads, reportsProjection(), {
      batchSize: 50,
      backoff: { initialMs: 1, maxMs: 4 },
      onError: (e) => errors.push((e as Error).message),
    });
    await projector.init();
    projector.start();
    await until(async () => (await projector.status()).state === 'live', 'live');
    // Appended while live: the subscription drops mid-stream, then again after it resubscribed.
    const h = history(3, 120);
    await h.first(events);
    await until(
      async () => faults.drops === 1 && (await projector.status()).lag === 0 && (await projector.status()).state === 'live',
      'caught up after one drop',
    );
    await h.second(events);
    await until(
      async () => faults.drops === 2 && (await projector.status()).lag === 0 && (await projector.status()).state === 'live',
      'caught up after two drops',
    );
    expect(errors.filter((m) => m.includes('UNAVAILABLE'))).toHaveLength(2);
    expect(await digestOf(reads)).toEqual(await rebuilt(events));
    await projector.stop();
    await events.close();
  });

  it('says reconnecting, with the attempts and the reason, while the store keeps failing', async () => {
    const events = new SqliteEventStore({ filename: ':memory:' });
    await loadCatalogue(events, demoCatalogue(), new Date('2024-01-01T00:00:00Z'));
    let failing = true;
    const broken = new Proxy(events, {
      get: (target, prop, receiver) => {
        if (prop === 'readAll' && failing)
          return () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('14 UNAVAILABLE: no leader (injected)')) }) });
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const projector = new Projector(broken, new SqliteReadStore(':memory:'), reportsProjection(), { backoff: { initialMs: 1, maxMs: 2 } });
    await projector.init();
    projector.start();
    await until(async () => ((await projector.status()).attempts ?? 0) >= 3, 'three attempts');
    expect(await projector.status()).toMatchObject({ state: 'reconnecting', error: expect.stringContaining('no leader') });
    failing = false;
    await until(async () => (await projector.status()).state === 'live', 'live again');
    expect((await projector.status()).lag).toBe(0);
    await projector.stop();
    await events.close();
  });
});

describe('Projector: two instances on one read store', () => {
  it('never both apply an event: the slower loses the compare-and-set, re-reads, and the result equals a rebuild', async () => {
    const dir = tempDir();
    const events = new SqliteEventStore({ filename: join(dir, 'itsm.sqlite') });
    await loadCatalogue(events, demoCatalogue(), new Date('2024-01-01T00:00:00Z'));
    const h = history(7, 200);
    await h.first(events);
    // Two processes' worth: two connections to one read-model file.
    const readsA = new SqliteReadStore(join(dir, 'read-models.sqlite'));
    const readsB = new SqliteReadStore(join(dir, 'read-models.sqlite'));
    let conflicts = 0;
    const onError = (e: unknown) => (e instanceof CheckpointConflictError ? conflicts++ : undefined);
    const a = new Projector(events, readsA, reportsProjection(), { batchSize: 40, onError });
    const b = new Projector(events, readsB, reportsProjection(), { batchSize: 40, onError });
    await a.init();
    await b.init();
    // Both build from scratch at once, then both follow live appends.
    const both = await Promise.allSettled([a.catchUp(), b.catchUp()]);
    conflicts += both.filter((r) => r.status === 'rejected' && r.reason instanceof CheckpointConflictError).length;
    a.start();
    b.start();
    await h.second(events);
    await until(async () => (await a.status()).lag === 0 && (await b.status()).lag === 0, 'both caught up');
    await a.stop();
    await b.stop();
    expect(await digestOf(readsA)).toEqual(await rebuilt(events));
    expect(conflicts).toBeGreaterThan(0); // they did race
    await Promise.all([readsA.close(), readsB.close(), events.close()]);
  });
});

describe('Projector: a version take-over', () => {
  it('readers of another process follow the serving version once the new one takes over', async () => {
    const dir = tempDir();
    const events = new SqliteEventStore({ filename: join(dir, 'itsm.sqlite') });
    await loadCatalogue(events, demoCatalogue(), new Date('2024-01-01T00:00:00Z'));
    await history(9, 80).first(events);
    const current = reportsProjection();
    // The serving side (an API that does not run the projector itself) reads through its own Projector.
    const apiReads = new SqliteReadStore(join(dir, 'read-models.sqlite'));
    const worker = new Projector(events, new SqliteReadStore(join(dir, 'read-models.sqlite')), current);
    await worker.init();
    await worker.catchUp();
    const api = new Projector(events, apiReads, current);
    await api.init();
    expect(api.collection('tickets')).toBe(physicalCollection('tickets', current.version));
    const served = await apiReads.count(api.collection('tickets'));
    expect(served).toBeGreaterThan(10);
    // A new version is built by another worker and takes over; the old collections are dropped.
    const next: ProjectionDefinition = { ...current, version: current.version + 1 };
    const upgraded = new Projector(events, new SqliteReadStore(join(dir, 'read-models.sqlite')), next);
    await upgraded.init();
    await upgraded.catchUp();
    await api.refresh();
    expect(api.collection('tickets')).toBe(physicalCollection('tickets', next.version));
    expect(await apiReads.count(api.collection('tickets'))).toBe(served);
    // An old instance still running never takes serving back.
    await worker.catchUp();
    await api.refresh();
    expect(api.collection('tickets')).toBe(physicalCollection('tickets', next.version));
    await events.close();
  });
});

describe('Projector: a long catch-up', () => {
  it('gives the event loop a turn between batches, so a process catching up still answers (health, other requests)', async () => {
    const events = new SqliteEventStore({ filename: ':memory:' });
    await loadCatalogue(events, demoCatalogue(), new Date('2024-01-01T00:00:00Z'));
    await history(11, 60).first(events);
    let waiting = 0;
    const turns: number[] = [];
    // Something else asked for a turn of the loop (an HTTP request, a timer) before the catch-up began.
    const ask = () => setImmediate(() => waiting++);
    ask();
    const projector = new Projector(events, new SqliteReadStore(':memory:'), reportsProjection(), {
      batchSize: 20,
      onBatch: () => (turns.push(waiting), ask()),
    });
    await projector.init();
    await projector.catchUp();
    expect(turns.length).toBeGreaterThan(5);
    // Before the second batch the waiting work ran; without yielding it would wait for the whole catch-up.
    expect(turns[1]).toBeGreaterThanOrEqual(1);
    expect(turns[turns.length - 1]).toBeGreaterThanOrEqual(turns.length - 1);
    await events.close();
  });
});
