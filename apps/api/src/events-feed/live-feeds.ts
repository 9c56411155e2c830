import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { FeedSubscription } from '@itsm/application';

/** Each live feed holds a subscription to the log: this bounds them per process. */
export const MAX_LIVE_FEEDS = 100;

/** The live feeds open in this process, closed before the stores are (else a shutdown would wait for their clients). */
@Injectable()
export class LiveFeeds implements BeforeApplicationShutdown {
  private readonly open = new Set<FeedSubscription>();

  get full(): boolean {
    return this.open.size >= MAX_LIVE_FEEDS;
  }

  add(feed: FeedSubscription): void {
    this.open.add(feed);
  }

  delete(feed: FeedSubscription): void {
    this.open.delete(feed);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.open].map((f) => f.close()));
  }
}
