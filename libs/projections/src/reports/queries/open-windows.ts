/**
 * Open windows: the spans something was open (an outage, a ticket between raise and resolution),
 * as epoch-ms pairs [from, to). Every report that clips a window to a period, or unions windows
 * within one, does it here, so "how long was it open in this month" has one answer.
 */
export type OpenWindow = readonly [from: number, to: number];
/** A reporting period, [start, end) in epoch ms (a local month: monthRange). */
export type Period = readonly [start: number, end: number];

/**
 * The window of something recorded from `from` to `to` (ISO instants), or still open (`to` null):
 * then it counts up to `now`, the moment the answer stands for (never before its own start).
 */
export function openWindow(from: string, to: string): OpenWindow;
export function openWindow(from: string, to: string | null | undefined, now: number): OpenWindow;
export function openWindow(from: string, to: string | null | undefined, now?: number): OpenWindow {
  const start = Date.parse(from);
  return [start, to === null || to === undefined ? Math.max(now!, start) : Date.parse(to)];
}

/** Whether the window and the period share any time. */
export const overlaps = ([from, to]: OpenWindow, [start, end]: Period) => from < end && to > start;

/** Whether any window is open at an instant (a window holds its start, not its end). */
export const openAt = (windows: readonly OpenWindow[], at: number) => windows.some(([from, to]) => from <= at && at < to);

/** Minutes of the period covered by at least one window (overlapping windows count once). */
export function minutesCovered(windows: readonly OpenWindow[], [start, end]: Period): number {
  const clipped = windows
    .map(([a, b]) => [Math.max(a, start), Math.min(b, end)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [curA, curB] = [NaN, NaN];
  for (const [a, b] of clipped) {
    if (Number.isNaN(curA) || a > curB) {
      if (!Number.isNaN(curA)) total += curB - curA;
      [curA, curB] = [a, b];
    } else curB = Math.max(curB, b);
  }
  if (!Number.isNaN(curA)) total += curB - curA;
  return total / 60_000;
}

/** Minutes of [start, end) covered by at least one interval (minutesCovered, as earlier callers name it). */
export const unionMinutes = (intervals: Array<[number, number]>, start: number, end: number): number => minutesCovered(intervals, [start, end]);
