/**
 * A sleep that can be ended early: a consumer waiting (for a poll, a backoff) wakes at once on
 * news or on shutdown. Each sleep replaces the previous one.
 */
export class WakeableSleep {
  private wakeUp: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /** Ends the current sleep now, if any. */
  wake(): void {
    this.wakeUp?.();
  }
}
