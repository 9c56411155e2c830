import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { createEventStore } from '@itsm/store-adapters';
import { EVENT_STORE, type EventStore } from '@itsm/event-store';
import { APP_CONFIG, type AppConfig } from '@itsm/config';

export const eventStoreProvider: Provider = {
  provide: EVENT_STORE,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): EventStore => createEventStore(config),
};

/** Closes the store when Nest shuts down, so the SQLite file is left clean. */
@Injectable()
export class EventStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
