import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseLogPosition, recordedAtOf, showPosition, yieldToEventLoop, type EventStore, type LogPosition } from '@itsm/event-store';
import { openSqliteReadStore, type EventStoreConfig, type SqliteReadStore } from '@itsm/store-adapters';
import type { ReadStore } from '@itsm/read-store';
import { physicalCollection } from '../projection';
import { Projector } from '../projector';
import { ReportQueries } from './report-queries';
import { reportsProjection } from './reports.projection';
import { ReplaySnapshots } from './replay-snapshots';
import { ReplayThread, replayLogSource, type ReplayLogSource, type ReplayRequest } from './replay-thread';

/** The read models as they stood at a position of the log. */
export interface ReportReplay {
  queries: ReportQueries;
  /** The replayed read store itself, read-only (digests: read-model-dump.ts), with the physical collection of a logical one. */
  reads: ReadStore;
  collection: (logical: string) => string;
  /** The last event the replay applied (≤ the position asked for); undefined when none. */
  position: LogPosition | undefined;
  /** When the system recorded that event: the replay's "now". */
  recordedAt: Date;
  /**
   * Where it was built: a worker thread, or this thread when no worker could be started; or not
   * built at all, a snapshot kept at that very position.
   */
  builtIn: 'worker' | 'in-process' | 'snapshot';
  /** The snapshot it started from (null: the log's start; undefined: built in-process, without snapshots). */
  from?: string | null;
  close(): Promise<void>;
}

/** More replays were asked for than may run or wait: the caller answers 503 with Retry-After. */
export class ReplaysBusyError extends Error {
  readonly code = 'REPORT.REPLAYS_BUSY';
  constructor(readonly retryAfterSeconds: number) {
    super('Too many replays of the log are running or waiting; ask again shortly (answers already replayed are served at once)');
    this.name = 'ReplaysBusyError';
  }
}

export interface ReportReplaysOptions {
  /** Replays kept for later requests (each an in-memory copy of the read models). */
  cacheSize?: number;
  /** Replays built at once: each costs a rebuild up to its position. */
  maxRunning?: number;
  /** Replays that may wait for their turn; beyond, ReplaysBusyError. */
  maxWaiting?: number;
  /**
   * How a worker thread opens the log: the configuration this process opened it with (as
   * createEventStore takes it). Needed for KurrentDB; without it a file-backed embedded store is
   * opened from its file. A log no worker can open (in memory) is replayed in-process, which is logged.
   */
  log?: EventStoreConfig;
  /**
   * Where workers write the replays they build (default: the OS's temporary folder). Each file is
   * unlinked as soon as it is opened: its space is freed when the replay is closed, even after a crash.
   */
  scratchDir?: string;
  /** Where a fallback to in-process replays is announced (default: console.warn). */
  onNotice?: (message: string) => void;
  /**
   * Where workers keep snapshots of the read models (see ReplaySnapshots), so a replay applies only
   * the tail after the latest one: default, `report-snapshots` beside a file-backed embedded log or
   * in the configured dataDir; false: none (every replay starts from the log's start).
   */
  snapshotDir?: string | false;
  /** A snapshot every so many events a worker applies (default 100,000). */
  snapshotEvery?: number;
  /** Snapshots kept, the latest positions (default 8). */
  snapshotsKept?: number;
}

/**
 * Events per batch of an in-process replay (the fallback when no worker can be started): it yields
 * to the event loop between batches, so this bounds how long other requests wait behind it (about
 * 250 events ≈ 10–30 ms here).
 */
const REPLAY_BATCH = 250;

/** Events read per step when looking for the position recorded by an instant, between yields. */
const RECORDED_PAGE = 500;

/** A worker thread left idle this long is stopped; the next replay starts another. */
const WORKER_IDLE_MS = 30_000;

/**
 * An evicted replay is closed a little later, never in the turn of the event loop that evicted it
 * or that built it (queries over a SQLite read store run to completion within the turn they were
 * handed the replay in). At most `cacheSize` wait so: beyond, the oldest is closed at once.
 */
const CLOSE_GRACE_MS = 60_000;

/**
 * Rebuilds the report read models in memory from the log up to a position, so a figure published
 * on a date can be reproduced exactly later. The last few replays are kept: an auditor usually
 * asks several reports of the same moment.
 *
 * A replay is built in a worker thread (ReplayThread), on the worker's own connection to the log,
 * so the API's event loop does none of it: the worker builds an in-memory SQLite read store and
 * writes its image to a file, opened here read-only to serve ReportQueries (opening costs this
 * thread nothing in the replay's size, as receiving and copying the image would). Only when no
 * worker can be started are replays built here, in small steps, and that is logged once.
 */
export class ReportReplays {
  private readonly cache = new Map<string, Promise<ReportReplay>>();
  private readonly cacheSize: number;
  private readonly maxRunning: number;
  private readonly maxWaiting: number;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Where workers open the log, or why none can. */
  private readonly source: ReplayLogSource | string;
  /** Set once workers are found unusable: why replays run in-process. */
  private inProcessBecause: string | undefined;
  /** Workers between replays (at most maxRunning), each stopped after WORKER_IDLE_MS. */
  private readonly idle: Array<{ thread: ReplayThread; timer: NodeJS.Timeout }> = [];
  private readonly notice: (message: string) => void;
  private readonly scratchDir: string;
  /** Evicted replays waiting to be closed, oldest first: each closes it. */
  private readonly retiring: Array<() => void> = [];
  private closed = false;
  /** Where workers keep snapshots, if anywhere. */
  private readonly snapshots: ReplayRequest['snapshots'];

  /**
   * Bounded: at most `cacheSize` replays are kept and `maxRunning` built at once (each in its worker
   * thread), with `maxWaiting` queued behind them.
   */
  constructor(
    private readonly events: EventStore,
    options: ReportReplaysOptions = {},
  ) {
    this.cacheSize = options.cacheSize ?? 2;
    this.maxRunning = options.maxRunning ?? 1;
    this.maxWaiting = options.maxWaiting ?? 4;
    this.source = replayLogSource(events, options.log);
    this.notice = options.onNotice ?? ((message) => console.warn(message));
    this.scratchDir = options.scratchDir ?? tmpdir();
    const dir = options.snapshotDir === false ? undefined : (options.snapshotDir ?? defaultSnapshotDir(this.source));
    this.snapshots = dir ? { dir, every: options.snapshotEvery ?? 100_000, keep: options.snapshotsKept ?? 8 } : undefined;
  }

  /**
   * Brings the snapshots up to the head of the log, in a worker (nothing when replays run
   * in-process or keep no snapshots): afterwards a replay at any position applies at most
   * `snapshotEvery` events. Worth calling at start and now and then (e.g. after audit checkpoints).
   */
  async prepare(): Promise<void> {
    if (!this.snapshots) return;
    const head = await this.events.headPosition();
    if (head === undefined) return;
    await this.inTurn(async () => {
      const thread = await this.thread();
      if (!thread) return;
      const file = join(this.scratchDir, `itsm-replay-${process.pid}-${randomUUID()}.sqlite`);
      try {
        await thread.build(showPosition(head), file, this.snapshots);
      } finally {
        this.release(thread);
        await rm(file, { force: true });
      }
    });
  }

  /** The read models as they stood at a position (undefined: before the first event); beyond the head, at the head. */
  async at(asked: LogPosition | undefined): Promise<ReportReplay> {
    const head = await this.events.headPosition();
    const position = asked === undefined || head === undefined ? undefined : asked > head ? head : asked;
    const key = position?.toString() ?? 'start';
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key); // most recently used goes last
      this.cache.set(key, hit);
      return hit;
    }
    if (this.running >= this.maxRunning && this.waiting.length >= this.maxWaiting) throw new ReplaysBusyError(5);
    const replay = this.inTurn(() => this.replay(position));
    this.cache.set(key, replay);
    replay.catch(() => this.cache.delete(key));
    while (this.cache.size > this.cacheSize) {
      const [oldest, evicted] = this.cache.entries().next().value!;
      this.cache.delete(oldest);
      this.retire(evicted);
    }
    return replay;
  }

  /** Closes an evicted replay after CLOSE_GRACE_MS, or sooner when more than cacheSize wait. */
  private retire(evicted: Promise<ReportReplay>): void {
    const close = () => {
      clearTimeout(timer);
      const i = this.retiring.indexOf(close);
      if (i < 0) return;
      this.retiring.splice(i, 1);
      void evicted.then(
        (r) => void setImmediate(() => void r.close().catch(() => undefined)),
        () => undefined,
      );
    };
    const timer = setTimeout(close, CLOSE_GRACE_MS).unref();
    this.retiring.push(close);
    while (this.retiring.length > this.cacheSize) this.retiring[0]?.();
  }

  /**
   * The last position whose event the system had recorded by an instant (undefined before the
   * first). A scan of the log, in steps that yield to the event loop.
   */
  async positionAtRecorded(instant: Date): Promise<LogPosition | undefined> {
    let position: LogPosition | undefined;
    for (;;) {
      let read = 0;
      for await (const e of this.events.readAll({ after: position, maxCount: RECORDED_PAGE })) {
        if (recordedAtOf(e).getTime() > instant.getTime()) return position;
        position = e.position;
        read++;
      }
      if (read < RECORDED_PAGE) return position;
      await yieldToEventLoop();
    }
  }

  /** Runs a replay when fewer than maxRunning are running, in the order asked. */
  private async inTurn<T>(build: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxRunning)
      await new Promise<void>((resolve) => this.waiting.push(resolve)); // handed a slot
    else this.running++;
    try {
      return await build();
    } finally {
      const next = this.waiting.shift();
      if (next)
        next(); // the slot passes straight on
      else this.running--;
    }
  }

  /** Closes the replays kept and stops the workers; replays still waiting for their turn fail. */
  async close(): Promise<void> {
    this.closed = true;
    const replays = [...this.cache.values()];
    this.cache.clear();
    while (this.retiring.length) this.retiring[0]?.();
    await Promise.all(this.idle.splice(0).map(({ thread, timer }) => (clearTimeout(timer), thread.terminate())));
    await Promise.all(
      replays.map((r) =>
        r.then(
          (x) => x.close(),
          () => undefined,
        ),
      ),
    );
  }

  private async replay(position: LogPosition | undefined): Promise<ReportReplay> {
    const kept = await this.snapshotAt(position);
    if (kept) return kept;
    const thread = await this.thread();
    if (!thread) return this.replayInProcess(position);
    const file = join(this.scratchDir, `itsm-replay-${process.pid}-${randomUUID()}.sqlite`);
    let removed = false;
    try {
      const built = await thread.build(showPosition(position), file, this.snapshots);
      // Opening a file costs this thread nothing in its size: pages are mapped as queries touch them.
      const reads = openSqliteReadStore(file, { readonly: true });
      return {
        queries: new ReportQueries(reads, servedCollection),
        reads,
        collection: servedCollection,
        position: parseLogPosition(built.position),
        recordedAt: built.recordedAt,
        builtIn: 'worker',
        from: built.from,
        close: async () => {
          await reads.close();
          if (!removed) await rm(file, { force: true }).catch(() => undefined);
        },
      };
    } finally {
      this.release(thread);
      // Open, the file lives on as the connection's alone (POSIX); where it cannot be removed while open, close() does.
      removed = await rm(file, { force: true }).then(
        () => true,
        () => false,
      );
    }
  }

  /**
   * The snapshot kept at that very position, checked against the log, opened as it is: nothing to
   * build. Undefined when there is none (or it did not match the log, and was deleted).
   */
  private async snapshotAt(position: LogPosition | undefined): Promise<ReportReplay | undefined> {
    if (!this.snapshots || position === undefined || typeof this.source === 'string') return undefined;
    const snapshots = new ReplaySnapshots(this.snapshots.dir, reportsProjection().version, this.snapshots.keep);
    const kept = snapshots.list().find((s) => s.position === position);
    if (!kept) return undefined;
    let reads: SqliteReadStore;
    try {
      reads = openSqliteReadStore(kept.file, { readonly: true });
    } catch {
      return undefined; // pruned meanwhile
    }
    const mark = await snapshots.verify(kept, reads, this.events);
    if (!mark) {
      await reads.close();
      return undefined;
    }
    return {
      queries: new ReportQueries(reads, servedCollection),
      reads,
      collection: servedCollection,
      position,
      recordedAt: new Date(mark.recordedAt),
      builtIn: 'snapshot',
      from: mark.position,
      // Open, the file lives on as the connection's alone even if pruned meanwhile (POSIX).
      close: () => reads.close(),
    };
  }

  /** An idle worker, else a new one; undefined when none can be started (then said once). */
  private async thread(): Promise<ReplayThread | undefined> {
    if (this.closed) throw new Error('Report replays are closed');
    for (let idle = this.idle.pop(); idle; idle = this.idle.pop()) {
      clearTimeout(idle.timer);
      if (idle.thread.alive) return idle.thread;
    }
    if (this.inProcessBecause !== undefined) return undefined;
    if (typeof this.source === 'string') return this.inProcess(this.source);
    try {
      return await ReplayThread.start(this.source);
    } catch (error) {
      return this.inProcess(`no worker thread could be started (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  private inProcess(because: string): undefined {
    this.inProcessBecause = because;
    this.notice(`Report replays run in-process, on this process's event loop: ${because}`);
    return undefined;
  }

  private release(thread: ReplayThread): void {
    if (!thread.alive) return;
    if (this.closed) {
      void thread.terminate();
      return;
    }
    const entry = {
      thread,
      timer: setTimeout(() => {
        const i = this.idle.indexOf(entry);
        if (i >= 0) this.idle.splice(i, 1);
        void thread.terminate();
      }, WORKER_IDLE_MS).unref(),
    };
    this.idle.push(entry);
  }

  /** The fallback: the replay built on this thread, in small steps that yield to the event loop. */
  private async replayInProcess(position: LogPosition | undefined): Promise<ReportReplay> {
    const reads = openSqliteReadStore(':memory:');
    const projection = reportsProjection();
    let recordedAt = new Date(0);
    const projector = new Projector(this.events, reads, projection, {
      until: position,
      batchSize: REPLAY_BATCH,
      bulkIndexes: false,
      onBatch: (last) => (recordedAt = recordedAtOf(last)),
    });
    await projector.init();
    if (position !== undefined) await projector.catchUp();
    return {
      queries: new ReportQueries(reads, servedCollection),
      reads,
      collection: servedCollection,
      position: projector.checkpoint,
      recordedAt,
      builtIn: 'in-process',
      close: () => reads.close(),
    };
  }
}

/** Snapshots beside a file-backed embedded log, or in the configured data folder; none otherwise. */
function defaultSnapshotDir(source: ReplayLogSource | string): string | undefined {
  if (typeof source === 'string') return undefined;
  if ('sqliteFile' in source) return join(dirname(source.sqliteFile), 'report-snapshots');
  return source.config.dataDir ? join(source.config.dataDir, 'report-snapshots') : undefined;
}

/** A replay's collections are the current version's. */
const servedCollection = (logical: string) => physicalCollection(logical, reportsProjection().version);
