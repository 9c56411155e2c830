import { type AllSubscription, type RecordedEvent, type LogPosition, WakeableSleep } from '@itsm/event-store';

export interface PollingSubscriptionOptions {
  /** Deliver events strictly after this position (undefined: from the start). */
  after: LogPosition | undefined;
  /** Reads the next page of events after a position (empty when caught up). */
  readPage: (after: LogPosition | undefined) => RecordedEvent[];
  /** Registers a callback fired after each local commit; returns the unregister function. */
  onAppend: (wake: () => void) => () => void;
  /** Fallback poll for appends made by another process on the same file. */
  pollIntervalMs: number;
  onClose?: () => void;
}

/**
 * Catch-up subscription over a store that can be read by position: reads pages until caught up,
 * then sleeps until a local commit (or the poll interval) wakes it. It tracks the last position
 * it delivered, so it never skips or repeats an event.
 */
export class PollingSubscription implements AllSubscription {
  private closed = false;
  private readonly nap = new WakeableSleep();

  constructor(private readonly options: PollingSubscriptionOptions) {}

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    let after = this.options.after;
    const unregister = this.options.onAppend(() => this.nap.wake());
    try {
      while (!this.closed) {
        const page = this.options.readPage(after);
        for (const event of page) {
          if (this.closed) return;
          yield event;
          after = event.position;
        }
        if (page.length === 0) await this.sleep();
      }
    } finally {
      unregister();
    }
  }

  private sleep(): Promise<void> {
    return this.nap.sleep(this.options.pollIntervalMs);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.nap.wake();
    this.options.onClose?.();
  }
}
