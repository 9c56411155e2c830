import { recordedAtOf, type EventStore, type LogPosition } from '@itsm/event-store';
import { SqliteReadStore } from '@itsm/read-store';
import { physicalCollection } from '../projection';
import { Projector } from '../projector';
import { ReportQueries } from './report-queries';
import { reportsProjection } from './reports.projection';

/** The read models as they stood at a position of the log. */
export interface ReportReplay {
  queries: ReportQueries;
  /** The last event the replay applied (≤ the position asked for); undefined when none. */
  position: LogPosition | undefined;
  /** When the system recorded that event: the replay's "now". */
  recordedAt: Date;
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
}

/**
 * Events per replay batch: the replay yields to the event loop between batches, so this bounds how
 * long other requests wait behind it (about 250 events ≈ 10–30 ms here).
 */
const REPLAY_BATCH = 250;

/** An evicted replay may still be serving a request: it is closed a little later. */
const CLOSE_GRACE_MS = 60_000;

/**
 * Rebuilds the report read models in memory from the log up to a position, so a figure published
 * on a date can be reproduced exactly later. The last few replays are kept: an auditor usually
 * asks several reports of the same moment.
 */
export class ReportReplays {
  private readonly cache = new Map<string, Promise<ReportReplay>>();
  private readonly cacheSize: number;
  private readonly maxRunning: number;
  private readonly maxWaiting: number;
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  /**
   * Bounded: at most `cacheSize` replays are kept and `maxRunning` built at once (each yields to the
   * event loop between batches, so the API keeps answering), with `maxWaiting` queued behind them.
   */
  constructor(
    private readonly events: EventStore,
    options: ReportReplaysOptions = {},
  ) {
    this.cacheSize = options.cacheSize ?? 2;
    this.maxRunning = options.maxRunning ?? 1;
    this.maxWaiting = options.maxWaiting ?? 4;
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
      setTimeout(() => void evicted.then((r) => r.close(), () => undefined), CLOSE_GRACE_MS).unref();
    }
    return replay;
  }

  /** The last position whose event the system had recorded by an instant (undefined before the first). */
  async positionAtRecorded(instant: Date): Promise<LogPosition | undefined> {
    let position: LogPosition | undefined;
    for await (const e of this.events.readAll()) {
      if (recordedAtOf(e).getTime() > instant.getTime()) break;
      position = e.position;
    }
    return position;
  }

  /** Runs a replay when fewer than maxRunning are running, in the order asked. */
  private async inTurn<T>(build: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxRunning) await new Promise<void>((resolve) => this.waiting.push(resolve)); // handed a slot
    else this.running++;
    try {
      return await build();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight on
      else this.running--;
    }
  }

  async close(): Promise<void> {
    const replays = [...this.cache.values()];
    this.cache.clear();
    await Promise.all(replays.map((r) => r.then((x) => x.close(), () => undefined)));
  }

  private async replay(position: LogPosition | undefined): Promise<ReportReplay> {
    const reads = new SqliteReadStore(':memory:');
    const projection = reportsProjection();
    let recordedAt = new Date(0);
    const projector = new Projector(this.events, reads, projection, { until: position, batchSize: REPLAY_BATCH, bulkIndexes: false, onBatch: (last) => (recordedAt = recordedAtOf(last)) });
    await projector.init();
    if (position !== undefined) await projector.catchUp();
    return {
      queries: new ReportQueries(reads, (c) => physicalCollection(c, projection.version)),
      position: projector.checkpoint,
      recordedAt,
      close: () => reads.close(),
    };
  }
}
