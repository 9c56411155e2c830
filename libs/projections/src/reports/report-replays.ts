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

/** An evicted replay may still be serving a request: it is closed a little later. */
const CLOSE_GRACE_MS = 60_000;

/**
 * Rebuilds the report read models in memory from the log up to a position, so a figure published
 * on a date can be reproduced exactly later. The last few replays are kept: an auditor usually
 * asks several reports of the same moment.
 */
export class ReportReplays {
  private readonly cache = new Map<string, Promise<ReportReplay>>();

  constructor(
    private readonly events: EventStore,
    private readonly cacheSize = 2,
  ) {}

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
    const replay = this.replay(position);
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

  async close(): Promise<void> {
    const replays = [...this.cache.values()];
    this.cache.clear();
    await Promise.all(replays.map((r) => r.then((x) => x.close(), () => undefined)));
  }

  private async replay(position: LogPosition | undefined): Promise<ReportReplay> {
    const reads = new SqliteReadStore(':memory:');
    const projection = reportsProjection();
    let recordedAt = new Date(0);
    const projector = new Projector(this.events, reads, projection, { until: position, batchSize: 2000, onBatch: (last) => (recordedAt = recordedAtOf(last)) });
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
