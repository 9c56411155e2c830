import { Controller, Get, Inject } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@itsm/event-store';
import { APP_CONFIG, type AppConfig } from '@itsm/config';
import { Public } from '../auth/auth.decorators';

/** Open to all: says which adapters are in use and whether the store answers. */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async health() {
    const reachable = await this.eventStore.ping();
    const headPosition = reachable ? (await this.eventStore.headPosition()).toString() : null;
    return {
      status: reachable ? 'ok' : 'degraded',
      eventStore: { adapter: this.eventStore.kind, reachable, headPosition },
      readStore: { adapter: this.config.mongoDbUri ? 'mongodb' : 'sqlite' },
    };
  }
}
