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

/** Embedded, the API runs the projector in-process (ITSM_PROJECTOR=off when apps/projector does it). */
@Injectable()
export class ProjectorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly projector: Projector,
    private readonly replays: ReportReplays,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.projector) this.projector.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projector.stop();
    await this.replays.close();
    await this.reads.close();
  }
}
