import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { CatalogueRepository, SlaPolicyRepository, SlaTimer, TicketService } from '@itsm/application';
import { APP_CONFIG, type AppConfig } from '@itsm/config';
import { EVENT_STORE, type EventStore } from '@itsm/event-store';
import { CLOCK, type Clock } from './common/clock';

/** The Nest-free application services, made injectable. */
export const applicationProviders: Provider[] = [
  { provide: CatalogueRepository, inject: [EVENT_STORE], useFactory: (store: EventStore) => new CatalogueRepository(store) },
  { provide: SlaPolicyRepository, inject: [EVENT_STORE], useFactory: (store: EventStore) => new SlaPolicyRepository(store) },
  { provide: TicketService, inject: [EVENT_STORE, CLOCK], useFactory: (store: EventStore, clock: Clock) => new TicketService(store, clock) },
  {
    provide: SlaTimer,
    inject: [EVENT_STORE, TicketService, CLOCK],
    useFactory: (store: EventStore, tickets: TicketService, clock: Clock) => {
      const logger = new Logger('SlaTimer');
      return new SlaTimer(store, tickets, clock, { onError: (e, id) => logger.error(`ticket ${id}: ${(e as Error)?.stack ?? String(e)}`) });
    },
  },
];

/** In embedded mode the API runs the SLA timer itself; in production the projector does (ITSM_SLA_TIMER=off). */
@Injectable()
export class SlaTimerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly timer: SlaTimer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.slaTimer) this.timer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.timer.stop();
  }
}
