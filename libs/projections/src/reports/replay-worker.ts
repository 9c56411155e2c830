/**
 * The code of a replay worker thread (see ReplayThread): opens the log on its own connection, then
 * for each request replays the reports projection up to the position into an in-memory SQLite
 * read store and writes its image to the file asked for, so the API's event loop does none of it.
 */
import { writeFile } from 'node:fs/promises';
import { constants, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createEventStore, parseLogPosition, recordedAtOf, showPosition, SqliteEventStore, type EventStore } from '@itsm/event-store';
import { SqliteReadStore } from '@itsm/read-store';
import { Projector } from '../projector';
import { reportsProjection } from './reports.projection';
import type { ReplayLogSource, ReplayRequest, ReplayWorkerMessage } from './replay-thread';

/** Nothing else waits on this thread: big batches, indexes built once at the end. */
const WORKER_BATCH = 1_000;

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
const events: EventStore = 'config' in source ? createEventStore(source.config) : new SqliteEventStore({ filename: source.sqliteFile, positions: source.positions });

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
  const reads = new SqliteReadStore(':memory:');
  let image: Buffer;
  let recordedAt = new Date(0);
  let applied: string | null;
  try {
    const projector = new Projector(events, reads, reportsProjection(), { until: position, batchSize: WORKER_BATCH, onBatch: (last) => (recordedAt = recordedAtOf(last)) });
    await projector.init();
    if (position !== undefined) await projector.catchUp();
    applied = showPosition(projector.checkpoint);
    image = reads.serialize();
  } finally {
    await reads.close();
  }
  // A new file only this user can read (the read models are every tenant's figures).
  await writeFile(request.file, image, { mode: 0o600, flag: 'wx' });
  return { kind: 'built', position: applied, recordedAt: recordedAt.toISOString() };
}
