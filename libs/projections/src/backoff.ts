import { WakeableSleep } from '@itsm/event-store';

export interface BackoffOptions {
  /** First wait (ms). */
  initialMs?: number;
  /** Longest wait (ms). */
  maxMs?: number;
}

/**
 * Waits that double after each failure in a row, up to a ceiling: a consumer retrying a dropped
 * subscription neither hammers a restarting server nor waits long once it is back. Cancelling
 * ends the current wait at once (shutdown must not wait out a backoff).
 */
export class Backoff {
  private readonly nap = new WakeableSleep();

  constructor(private readonly options: BackoffOptions = {}) {}

  /** The wait before attempt n (1-based). */
  delayMs(attempt: number): number {
    const initial = this.options.initialMs ?? 100;
    const max = this.options.maxMs ?? 10_000;
    return Math.min(max, initial * 2 ** Math.min(attempt - 1, 30));
  }

  wait(attempt: number): Promise<void> {
    return this.nap.sleep(this.delayMs(attempt));
  }

  cancel(): void {
    this.nap.wake();
  }
}
