import { mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventStore } from '@itsm/store-adapters';
import type { EventStore, LogPosition } from '@itsm/event-store';
import { SqliteReadStore } from '@itsm/read-store-sqlite';
import { appendHistory, demoCatalogue, generateHistory, loadCatalogue } from '@itsm/simulation';
import { physicalCollection, Projector, readModelsDigest, ReportReplays, reportsProjection } from '../src';

/**
 * One truth, four ways to build it: the live projector (small batches, catching up while the log
 * follows the log as it grows, its documents kept in memory across batches), a rebuild from scratch (large batches,
 * indexes suspended), a replay as of the head built from the log's start, and replays that start
 * from a snapshot. The SHA-256 of every document must be the same.
 */
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
const projection = reportsProjection();
const served = (c: string) => physicalCollection(c, projection.version);

describe('live, rebuilt and replayed read models are the same, document for document', () => {
  let dataDir: string;
  let store: EventStore;
  let live: SqliteReadStore;
  let liveDigest: { documents: number; sha256: string };
  let head: LogPosition;

  beforeAll(async () => {
    dataDir = tempDir('itsm-digest-');
    store = createEventStore({ dataDir });
    live = new SqliteReadStore(':memory:');
    const projector = new Projector(store, live, projection, { batchSize: 37 });
    await projector.init();
    await loadCatalogue(store, demoCatalogue(), new Date('2024-01-01T00:00:00Z'));
    // The live projector follows the log while a randomized history is appended.
    projector.start();
    await appendHistory(store, generateHistory(demoCatalogue(), { seed: 11, tickets: 700, from: '2024-02-05T00:00:00Z', days: 120 }), { seed: 11 });
    const end = await store.headPosition();
    while (projector.checkpoint !== end) await new Promise((r) => setTimeout(r, 20));
    await projector.stop();
    head = (await store.headPosition())!;
    liveDigest = await readModelsDigest(live, projection, served);
  }, 180_000);

  afterAll(async () => {
    await live.close();
    await store.close();
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  it('a rebuild from scratch equals the live read models', async () => {
    const fresh = new SqliteReadStore(':memory:');
    const rebuilt = new Projector(store, fresh, projection, { batchSize: 5000 });
    await rebuilt.init();
    await rebuilt.catchUp();
    expect(await readModelsDigest(fresh, projection, served)).toEqual(liveDigest);
    expect(liveDigest.documents).toBeGreaterThan(1000);
    await fresh.close();
  });

  it('a replay as of the head, from the log’s start, then one from a snapshot on the way and one at a kept snapshot, all equal the live read models', async () => {
    const snapshotDir = tempDir('itsm-digest-snapshots-');
    const options = { log: { dataDir }, scratchDir: tempDir('itsm-digest-scratch-'), snapshotDir, snapshotEvery: 1_000, onNotice: () => undefined };

    const first = new ReportReplays(store, options);
    const fromStart = await first.at(head);
    expect({ builtIn: fromStart.builtIn, from: fromStart.from }).toEqual({ builtIn: 'worker', from: null });
    expect(await readModelsDigest(fromStart.reads, projection, fromStart.collection)).toEqual(liveDigest);
    await first.close();
    // Snapshots were taken on the way (every 1,000 events) and at the head.
    expect(readdirSync(snapshotDir).filter((f) => f.endsWith('.sqlite')).length).toBeGreaterThan(2);

    // Another process asks for the head: the snapshot kept there is served as it is.
    const second = new ReportReplays(store, options);
    const kept = await second.at(head);
    expect(kept.builtIn).toBe('snapshot');
    expect(await readModelsDigest(kept.reads, projection, kept.collection)).toEqual(liveDigest);
    await second.close();

    // Without the head's snapshot, a replay as of the head starts from the latest one before it and applies the tail.
    rmSync(join(snapshotDir, `reports-v${projection.version}-${head.toString()}.sqlite`));
    const third = new ReportReplays(store, options);
    const fromSnapshot = await third.at(head);
    expect(fromSnapshot.builtIn).toBe('worker');
    expect(fromSnapshot.from).not.toBeNull();
    expect(await readModelsDigest(fromSnapshot.reads, projection, fromSnapshot.collection)).toEqual(liveDigest);
    await third.close();
  }, 180_000);

  it('a snapshot that does not match the log (another log’s, or tampered with) is never used, and is deleted', async () => {
    const snapshotDir = tempDir('itsm-digest-foreign-');
    const options = { log: { dataDir }, scratchDir: tempDir('itsm-digest-scratch-'), snapshotDir, snapshotEvery: 1_000_000, onNotice: () => undefined };
    const a = new ReportReplays(store, options);
    await (await a.at(head)).close();
    await a.close();
    const file = join(snapshotDir, `reports-v${projection.version}-${head.toString()}.sqlite`);
    // Its mark now names another event: as a snapshot of a different log would.
    const db = new SqliteReadStore(file);
    db.database.prepare("UPDATE replay_snapshot_mark SET mark = json_set(mark, '$.eventId', '00000000-0000-4000-8000-000000000000')").run();
    db.database.pragma('journal_mode = DELETE');
    await db.close();
    const b = new ReportReplays(store, options);
    const replay = await b.at(head);
    expect({ builtIn: replay.builtIn, from: replay.from }).toEqual({ builtIn: 'worker', from: null });
    expect(await readModelsDigest(replay.reads, projection, replay.collection)).toEqual(liveDigest);
    await b.close();
  }, 180_000);

  it('a snapshot of another projection version is never used', async () => {
    const snapshotDir = tempDir('itsm-digest-version-');
    const options = { log: { dataDir }, scratchDir: tempDir('itsm-digest-scratch-'), snapshotDir, snapshotEvery: 1_000_000, onNotice: () => undefined };
    const a = new ReportReplays(store, options);
    await (await a.at(head)).close();
    await a.close();
    for (const f of readdirSync(snapshotDir)) {
      const renamed = f.replace(`reports-v${projection.version}-`, `reports-v${projection.version - 1}-`);
      if (renamed !== f) renameSync(join(snapshotDir, f), join(snapshotDir, renamed));
    }
    const b = new ReportReplays(store, options);
    const replay = await b.at(head);
    expect({ builtIn: replay.builtIn, from: replay.from }).toEqual({ builtIn: 'worker', from: null });
    await b.close();
  }, 180_000);
});
