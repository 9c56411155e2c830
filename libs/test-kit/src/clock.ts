/**
 * The clocks tests hand to the code under test: time is data, never the wall clock, so no test
 * waits for a real deadline and every figure is the same on every run.
 */

/** An instant as tests write it: epoch milliseconds, an ISO-8601 string or a Date. */
export type Instant = number | string | Date;

const millisOf = (at: Instant): number => {
  const ms = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (!Number.isFinite(ms)) throw new Error(`not an instant: ${String(at)}`);
  return ms;
};

/** A clock stopped at one instant. Each reading is a fresh Date, so a caller that mutates it changes nothing. */
export const fixedClock = (at: Instant): { now(): Date } => {
  const ms = millisOf(at);
  return { now: () => new Date(ms) };
};

/** A clock the test moves by hand, forwards or back: deadlines pass without waiting. */
export class MovableClock {
  private ms: number;

  constructor(at: Instant) {
    this.ms = millisOf(at);
  }

  now(): Date {
    return new Date(this.ms);
  }

  /** Puts the clock at this instant. */
  set(at: Instant): void {
    this.ms = millisOf(at);
  }

  /** Moves the clock on by this many milliseconds (back, if negative). */
  advance(ms: number): void {
    if (!Number.isFinite(ms)) throw new Error(`not a duration: ${ms}`);
    this.ms += ms;
  }
}
