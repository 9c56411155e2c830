import { recordedAtOf, type EventStore } from '@itsm/event-store';
import { SqliteReadStore } from '@itsm/read-store';
import { physicalCollection } from '../projection';
import { Projector } from '../projector';
import { ReportQueries } from './report-queries';
import { reportsProjection } from './reports.projection';

/** The read models as they stood at a position of the log. */
export interface ReportReplay {
  queries: ReportQueries;
  /** The last event the replay applied (≤ the position asked for). */
  position: bigint;
  /** When the system recorded that event: the replay's "now". */
  recordedAt: Date;
  close(): Promise<void>;
}

/** An evicted replay may still be serving a request: it is closed a little later. */
const CLOSE_GRACE_MS = 60_000;

/**
 * Rebuilds the report read models in memory from the log up to a position, so a figure published
 * on a date can be reproduced exactly later. The last few replays are kept: an auditor usually
 * asks several reports of the same moment.
 */
export class ReportReplays {
  private readonly cache = new Map<bigint, Promise<ReportReplay>>();

  constructor(
    private readonly events: EventStore,
    private readonly cacheSize = 2,
  ) {}

  at(position: bigint): Promise<ReportReplay> {
    const hit = this.cache.get(position);
    if (hit) {
      this.cache.delete(position); // most recently used goes last
      this.cache.set(position, hit);
      return hit;
    }
    const replay = this.replay(position);
    this.cache.set(position, replay);
    replay.catch(() => this.cache.delete(position));
    while (this.cache.size > this.cacheSize) {
      const [oldest, evicted] = this.cache.entries().next().value!;
      this.cache.delete(oldest);
      setTimeout(() => void evicted.then((r) => r.close(), () => undefined), CLOSE_GRACE_MS).unref();
    }
    return replay;
  }

  /** The last position whose event the system had recorded by an instant (0 before the first). */
  async positionAtRecorded(instant: Date): Promise<bigint> {
    let position = 0n;
    for await (const e of this.events.readAll()) {
      if (recordedAtOf(e).getTime() > instant.getTime()) break;
      position = e.position;
    }
    return position;
  }

  async close(): Promise<void> {
    const replays = [...this.cache.values()];
    this.cache.clear();
    await Promise.all(replays.map((r) => r.then((x) => x.close(), () => undefined)));
  }

  private async replay(position: bigint): Promise<ReportReplay> {
    const reads = new SqliteReadStore(':memory:');
    const projection = reportsProjection();
    const projector = new Projector(this.events, reads, projection, { until: position, batchSize: 2000 });
    await projector.init();
    await projector.catchUp();
    let recordedAt = new Date(0);
    if (projector.checkpoint > 0n) {
      for await (const e of this.events.readAll({ fromPosition: projector.checkpoint, maxCount: 1 })) recordedAt = recordedAtOf(e);
    }
    return {
      queries: new ReportQueries(reads, (c) => physicalCollection(c, projection.version)),
      position: projector.checkpoint,
      recordedAt,
      close: () => reads.close(),
    };
  }
}
