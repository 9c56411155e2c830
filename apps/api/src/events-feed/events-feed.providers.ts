import type { Provider } from '@nestjs/common';
import { EventFeed } from '@itsm/application';
import { EVENT_STORE, type EventStore } from '@itsm/event-store';
import { LiveFeeds } from './live-feeds';

export const eventsFeedProviders: Provider[] = [
  { provide: EventFeed, inject: [EVENT_STORE], useFactory: (store: EventStore) => new EventFeed(store) },
  LiveFeeds,
];
