import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore } from '@itsm/store-adapters';
import type { AllSubscription, EventStore, LogPosition, ReadAllOptions, RecordedEvent } from '@itsm/event-store';
import { SqliteReadStore } from '@itsm/read-store-sqlite';
import { appendHistory, demoCatalogue, generateHistory, loadCatalogue } from '@itsm/simulation';
import { physicalCollection, Projector, ReportQueries, ReportReplays, reportsProjection, type ReportReplay } from '../src';

/**
 * Replays are built in a worker thread, off the event loop that serves requests: the main thread
 * reads none of the log for them and applies no event, in any turn of its event loop, however
 * large the replay. Counted in events and turns, never in time.
 */

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

const TENANTS = ['CoL', 'CoLP', 'LBB', 'LBL', 'LBS'];

/** The store, counting the events this thread reads from the log. */
class CountingStore implements EventStore {
  eventsRead = 0;
  constructor(private readonly inner: EventStore) {}
  get kind() {
    return this.inner.kind;
  }
  append: EventStore['append'] = (...args) => this.inner.append(...args);
  readStream: EventStore['readStream'] = (...args) => this.inner.readStream(...args);
  async *readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    for await (const e of this.inner.readAll(options)) {
      this.eventsRead++;
      yield e;
    }
  }
  subscribeToAll(): AllSubscription {
    throw new Error('a replay never subscribes');
  }
  headPosition = () => this.inner.headPosition();
  countEventsAfter: EventStore['countEventsAfter'] = (...args) => this.inner.countEventsAfter(...args);
  ping = () => this.inner.ping();
  close = () => this.inner.close();
}

/**
 * Turns the event loop while a replay is built, and counts the events this thread read from the log
 * in each turn: the most in any one turn is what a request arriving then waits behind.
 */
async function eventsReadPerTurn(
  store: CountingStore,
  replaying: Promise<ReportReplay>,
): Promise<{ replay: ReportReplay; turns: number; mostInOneTurn: number }> {
  let settled = false;
  replaying.then(
    () => (settled = true),
    () => (settled = true),
  );
  let turns = 0;
  let mostInOneTurn = 0;
  let before = store.eventsRead;
  while (!settled) {
    await new Promise((resolve) => setImmediate(resolve));
    turns++;
    mostInOneTurn = Math.max(mostInOneTurn, store.eventsRead - before);
    before = store.eventsRead;
  }
  return { replay: await replaying, turns, mostInOneTurn };
}

/** Every answer compared: each tenant's tickets, all pages, and its SLA performance per month. */
async function answers(queries: ReportQueries) {
  const out: unknown[] = [];
  for (const tenantId of TENANTS) {
    let cursor: string | null | undefined;
    do {
      const page = await queries.tickets({ tenantId, limit: 500, cursor: cursor ?? undefined, sort: { field: 'raisedAt', direction: 'asc' } });
      out.push(page.items);
      cursor = page.nextCursor;
    } while (cursor);
    out.push(await queries.slaPerformance({ tenantId, range: { from: '2024-01', to: '2024-05' }, granularity: 'month', dimension: 'all' }));
  }
  return out;
}

/** What a clean build of the log up to a position answers: the reference. */
async function rebuiltAnswers(store: EventStore, until: LogPosition) {
  const reads = new SqliteReadStore(':memory:');
  const projection = reportsProjection();
  const projector = new Projector(store, reads, projection, { until, batchSize: 1000 });
  await projector.init();
  await projector.catchUp();
  const result = await answers(new ReportQueries(reads, (c) => physicalCollection(c, projection.version)));
  await reads.close();
  return result;
}

describe('report replays are built in a worker thread', () => {
  let dataDir: string;
  let store: EventStore;
  let head: LogPosition;
  let events: number;
  let reference: unknown[];

  beforeAll(async () => {
    dataDir = tempDir('itsm-replay-worker-');
    store = createEventStore({ dataDir });
    await loadCatalogue(store, demoCatalogue(), new Date('2024-01-01T00:00:00Z'));
    const loaded = await appendHistory(store, generateHistory(demoCatalogue(), { seed: 5, tickets: 1_000, from: '2024-02-05T00:00:00Z', days: 40 }), {
      seed: 5,
    });
    events = loaded.events;
    head = (await store.headPosition())!;
    reference = await rebuiltAnswers(store, head);
  }, 120_000);

  afterAll(async () => {
    await store.close();
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('the main thread reads none of the log and applies no event, in any turn, while a large replay builds', async () => {
    const counting = new CountingStore(store);
    const notices: string[] = [];
    const scratchDir = tempDir('itsm-replay-scratch-');
    // The configuration the log was opened with, as the API has it (and as a KurrentDB log needs).
    const replays = new ReportReplays(counting, { log: { dataDir }, scratchDir, onNotice: (m) => notices.push(m) });
    const { replay, turns, mostInOneTurn } = await eventsReadPerTurn(counting, replays.at(head));
    expect(replay.builtIn).toBe('worker');
    expect(counting.eventsRead).toBe(0);
    expect(mostInOneTurn).toBe(0);
    expect(turns).toBeGreaterThan(0); // the loop kept turning while the worker built
    expect(notices).toEqual([]);
    expect(replay.position).toBe(head);
    expect(await answers(replay.queries)).toEqual(reference);
    // Opened, the replay's file is the connection's alone: nothing is left in the scratch folder.
    expect(readdirSync(scratchDir)).toEqual([]);
    await replays.close();
  }, 120_000);

  it('in-process (no worker can read the log), the same replay reads the whole log here, a batch per turn: the fallback says so', async () => {
    const counting = new CountingStore(store);
    const notices: string[] = [];
    // No configuration and not the embedded store itself: no worker can open this log.
    const replays = new ReportReplays(counting, { onNotice: (m) => notices.push(m) });
    const { replay, turns, mostInOneTurn } = await eventsReadPerTurn(counting, replays.at(head));
    expect(replay.builtIn).toBe('in-process');
    expect(counting.eventsRead).toBeGreaterThanOrEqual(events);
    expect(mostInOneTurn).toBeGreaterThan(0);
    expect(mostInOneTurn).toBeLessThanOrEqual(500); // small steps, as before workers
    expect(turns).toBeGreaterThan(events / 500);
    expect(notices).toEqual([expect.stringContaining('Report replays run in-process')]);
    expect(await answers(replay.queries)).toEqual(reference);
    await replays.close();
  }, 120_000);

  it('a replay of an earlier position in the worker equals a rebuild up to it; its store is read-only', async () => {
    const positions: LogPosition[] = [];
    for await (const e of store.readAll()) positions.push(e.position);
    const middle = positions[Math.floor(positions.length / 2)]!; // the seeded log is not empty
    // The embedded store's own file; snapshots in a folder of this test's own (beside the log, earlier tests keep one at the head).
    const replays = new ReportReplays(store, {
      scratchDir: tempDir('itsm-replay-scratch-'),
      snapshotDir: tempDir('itsm-replay-snapshots-'),
      onNotice: () => undefined,
    });
    const replay = await replays.at(middle);
    expect(replay.builtIn).toBe('worker');
    expect(replay.position).toBe(middle);
    expect(await answers(replay.queries)).toEqual(await rebuiltAnswers(store, middle));
    const [same, head1] = [await replays.at(middle), await replays.at(head)]; // kept; and a second replay from the same worker
    expect(same).toBe(replay);
    expect(head1.builtIn).toBe('worker');
    expect(await answers(head1.queries)).toEqual(reference);
    await replays.close();
  }, 120_000);

  it('a worker that cannot be started (its log cannot be opened) falls back to in-process replays and logs it once', async () => {
    const notRoom = join(tempDir('itsm-replay-bad-'), 'a-file');
    writeFileSync(notRoom, 'not a folder');
    const notices: string[] = [];
    const replays = new ReportReplays(new CountingStore(store), { log: { dataDir: join(notRoom, 'data') }, onNotice: (m) => notices.push(m) });
    const first = await replays.at(head);
    const positions: LogPosition[] = [];
    for await (const e of store.readAll({ maxCount: 10 })) positions.push(e.position);
    const second = await replays.at(positions[9]);
    expect([first.builtIn, second.builtIn]).toEqual(['in-process', 'in-process']);
    expect(notices).toEqual([expect.stringMatching(/Report replays run in-process.*no worker thread could be started/)]);
    expect(await answers(first.queries)).toEqual(reference);
    await replays.close();
  }, 120_000);

  it('from the build (dist/, as `npm start` runs), the compiled worker builds the replay', () => {
    const root = join(__dirname, '..', '..', '..');
    const compiled = join(root, 'dist', 'libs', 'projections', 'src', 'index.js');
    if (!existsSync(compiled)) throw new Error(`${compiled} is missing: npm test builds it (npm run build) before jest`);
    const script = `
      const { createEventStore } = require(${JSON.stringify(join(root, 'dist', 'libs', 'store-adapters', 'src'))});
      const { ReportReplays } = require(${JSON.stringify(compiled)});
      (async () => {
        const store = createEventStore({ dataDir: ${JSON.stringify(dataDir)} });
        const replays = new ReportReplays(store, { snapshotDir: false, onNotice: (m) => console.error(m) });
        const replay = await replays.at(await store.headPosition());
        const page = await replay.queries.tickets({ tenantId: 'CoL', limit: 1 });
        console.log(JSON.stringify({ builtIn: replay.builtIn, position: String(replay.position), tickets: page.items.length }));
        await replays.close();
        await store.close();
      })().catch((e) => { console.error(e); process.exit(1); });
    `;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ builtIn: 'worker', position: String(head), tickets: 1 });
  }, 150_000);
});
