import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@itsm/config';
import { EVENT_STORE, type EventStore } from '@itsm/event-store';
import { Projector, ReportQueries, ReportReplays, reportsProjection } from '@itsm/projections';
import { createReadStore } from '@itsm/store-adapters';
import { READ_STORE, type ReadStore } from '@itsm/read-store';

export const readModelProviders: Provider[] = [
  { provide: READ_STORE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createReadStore(config) },
  {
    provide: Projector,
    inject: [EVENT_STORE, READ_STORE],
    useFactory: async (events: EventStore, reads: ReadStore) => {
      const logger = new Logger('Projector');
      const projector = new Projector(events, reads, reportsProjection(), { onError: (e) => logger.error(String((e as Error)?.stack ?? e)) });
      await projector.init();
      return projector;
    },
  },
  // Replays build in worker threads; one opens a KurrentDB log from the configuration (an embedded log from its file).
  {
    provide: ReportReplays,
    inject: [EVENT_STORE, APP_CONFIG],
    useFactory: (events: EventStore, config: AppConfig) => new ReportReplays(events, { log: config.kurrentDbConnectionString ? config : undefined }),
  },
  { provide: ReportQueries, inject: [READ_STORE, Projector], useFactory: (reads: ReadStore, p: Projector) => new ReportQueries(reads, (c) => p.collection(c)) },
];

/** The first snapshot waits for start-up's own work (catch-up, timer index) to finish. */
const SNAPSHOT_FIRST_MS = 60_000;
const SNAPSHOT_INTERVAL_MS = 10 * 60_000;

/** Embedded, the API runs the projector in-process (ITSM_PROJECTOR=off when apps/projector does it). */
@Injectable()
export class ProjectorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly projector: Projector,
    private readonly replays: ReportReplays,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private readonly logger = new Logger('ReportReplays');
  private readonly snapshotTimers: NodeJS.Timeout[] = [];

  onApplicationBootstrap(): void {
    if (this.config.projector) this.projector.start();
    // Read-model snapshots for report replays, brought up to the head in a low-priority worker on
    // the audit checkpoints' rhythm: a replay as of any position then applies at most
    // snapshotEvery events, and one as of a snapshot's position none.
    if (this.config.auditCheckpoints) {
      const prepare = () => void this.replays.prepare().catch((e: unknown) => this.logger.warn(`snapshots not brought up to date: ${String(e)}`));
      this.snapshotTimers.push(setInterval(prepare, SNAPSHOT_INTERVAL_MS).unref(), setTimeout(prepare, SNAPSHOT_FIRST_MS).unref());
    }
  }

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.snapshotTimers) clearTimeout(timer);
    await this.projector.stop();
    await this.replays.close();
    await this.reads.close();
  }
}
