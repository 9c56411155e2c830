import { Controller, Get, Inject } from '@nestjs/common';
import { EVENT_STORE, showPosition, type EventStore } from '@itsm/event-store';
import { APP_CONFIG, type AppConfig } from '@itsm/config';
import { Public } from '../auth/auth.decorators';
import { Projector } from '@itsm/projections';
import { READ_STORE, type ReadStore } from '@itsm/read-store';

/** Open to all: says which adapters are in use and whether the store answers. */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly projector: Projector,
  ) {}

  @Get()
  async health() {
    const reachable = await this.eventStore.ping();
    const headPosition = reachable ? showPosition(await this.eventStore.headPosition()) : null;
    const readReachable = await this.readStore.ping();
    const projection = reachable ? await this.projector.status() : undefined;
    return {
      status: reachable && readReachable && projection?.state !== 'failed' && projection?.state !== 'reconnecting' ? 'ok' : 'degraded',
      eventStore: { adapter: this.eventStore.kind, reachable, headPosition },
      readStore: { adapter: this.readStore.kind, reachable: readReachable },
      projections: projection ? [projection] : [],
    };
  }
}
