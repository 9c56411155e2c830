/**
 * The code of a replay worker thread (see ReplayThread): opens the log on its own connection, then
 * for each request replays the reports projection up to the position into an in-memory SQLite
 * read store and writes its image to the file asked for, so the API's event loop does none of it.
 * With a snapshot folder, it starts from the latest snapshot at or before the position (checked
 * against the log) and takes new ones on the way and at the position asked for.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { constants, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createEventStore, openSqliteEventStore, openSqliteReadStore, type SqliteReadStore } from '@itsm/store-adapters';
import { parseLogPosition, recordedAtOf, showPosition, type EventStore, type RecordedEvent } from '@itsm/event-store';
import { physicalCollection, type ProjectionDefinition } from '../projection';
import { Projector } from '../projector';
import { ReplaySnapshots } from './replay-snapshots';
import { reportsProjection } from './reports.projection';
import type { ReplayLogSource, ReplayRequest, ReplayWorkerMessage } from './replay-thread';

/** Nothing else waits on this thread: big batches, indexes built once at the end. */
const WORKER_BATCH = 5_000;

const port = parentPort;
if (!port) throw new Error('replay-worker runs as a worker thread (see ReplayThread)');
// A replay is background work: when the CPUs are busy, it gives way to the API's event loop (nice
// 10: most of a busy core goes to the API, yet the replay keeps moving). On Linux a thread has its
// own nice value, so this lowers this thread alone (elsewhere it would lower the whole process:
// left as is).
if (process.platform === 'linux') {
  try {
    setPriority(constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // not permitted here: the replay runs at the process's priority
  }
}
const source = (workerData as { source: ReplayLogSource }).source;
const events: EventStore =
  'config' in source ? createEventStore(source.config) : openSqliteEventStore({ filename: source.sqliteFile, positions: source.positions });

const post = (m: ReplayWorkerMessage) => port.postMessage(m);

// Requests arrive one at a time: the main thread waits for each answer before it asks again.
port.on('message', (request: ReplayRequest) => {
  build(request).then(
    (built) => post(built),
    (error: unknown) => {
      const e = error instanceof Error ? error : new Error(String(error));
      post({ kind: 'failed', name: e.name, message: e.message, stack: e.stack });
    },
  );
});
post({ kind: 'ready' });

async function build(request: ReplayRequest): Promise<Extract<ReplayWorkerMessage, { kind: 'built' }>> {
  const position = parseLogPosition(request.position);
  const projection = reportsProjection();
  const snapshots = request.snapshots ? new ReplaySnapshots(request.snapshots.dir, projection.version, request.snapshots.keep) : undefined;
  let recordedAt = new Date(0);
  let from: string | null = null;
  let reads: SqliteReadStore | undefined;
  // Start from the latest snapshot at or before the position that the log confirms; replay only the tail.
  for (let s = position === undefined ? undefined : snapshots?.latestAtOrBefore(position); s && !reads; s = snapshots!.latestAtOrBefore(position!)) {
    const candidate = openSqliteReadStore(await readFile(s.file));
    const mark = await snapshots!.verify(s, candidate, events);
    if (mark) {
      reads = candidate;
      recordedAt = new Date(mark.recordedAt);
      from = mark.position;
    } else await candidate.close();
  }
  reads ??= openSqliteReadStore(':memory:');
  let image: Buffer;
  let applied: string | null;
  let taken = 0;
  let lastApplied: RecordedEvent | undefined;
  try {
    let sinceSnapshot = 0;
    const projector = new Projector(events, reads, projection, {
      until: position,
      // Snapshots fall between batches: batches no longer than their spacing.
      batchSize: Math.min(WORKER_BATCH, request.snapshots?.every ?? WORKER_BATCH),
      onBatch: async (last, n) => {
        recordedAt = recordedAtOf(last);
        lastApplied = last;
        sinceSnapshot += n;
        // Every so many events, a snapshot on the way: later replays start from it.
        if (snapshots && sinceSnapshot >= request.snapshots!.every && (position === undefined || last.position < position)) {
          await takeSnapshot(snapshots, reads, projection, last);
          sinceSnapshot = 0;
          taken++;
        }
      },
    });
    await projector.init();
    if (position !== undefined) await projector.catchUp();
    applied = showPosition(projector.checkpoint);
    // The position asked for is kept too (the store has every index by now): a published figure
    // is asked for again, to verify it or compare with it.
    if (snapshots && lastApplied && applied !== from) {
      snapshots.take(reads, lastApplied);
      taken++;
    }
    image = reads.serialize();
  } finally {
    await reads.close();
  }
  // A new file only this user can read (the read models are every tenant's figures).
  await writeFile(request.file, image, { mode: 0o600, flag: 'wx' });
  return { kind: 'built', position: applied, recordedAt: recordedAt.toISOString(), from, snapshotsTaken: taken };
}

/**
 * A snapshot carries every index (a replay asked at its very position is served from the file
 * as it is): a store built from scratch has its indexes suspended, so they are built on a copy.
 */
async function takeSnapshot(snapshots: ReplaySnapshots, reads: SqliteReadStore, projection: ProjectionDefinition, last: RecordedEvent): Promise<void> {
  const copy = openSqliteReadStore(reads.serialize());
  try {
    for (const [logical, fields] of Object.entries(projection.collections))
      await copy.declareCollection(physicalCollection(logical, projection.version), fields, projection.compoundIndexes?.[logical]);
    snapshots.take(copy, last);
  } finally {
    await copy.close();
  }
}
