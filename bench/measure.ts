/** Small helpers shared by the benchmarks: timing, percentiles, peak memory. */
export const now = () => Number(process.hrtime.bigint()) / 1e6;

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const i = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, i)] ?? NaN;
}

/** The middle figure (the mean of the middle two for an even count); NaN for none. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const upper = s[Math.floor(s.length / 2)];
  if (upper === undefined) return NaN;
  return s.length % 2 ? upper : ((s[s.length / 2 - 1] ?? upper) + upper) / 2;
}

/** Each run's figure over its pair's: the runs alternate, so run i of each was measured in the same round. */
export const pairedRatios = (xs: readonly number[], ys: readonly number[]) => xs.map((x, i) => x / (ys[i] ?? NaN));

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Peak resident set size of this process so far, in MB. */
export const peakRssMb = () => round(process.resourceUsage().maxRSS / 1024);

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = now();
  const value = await fn();
  return { ms: now() - start, value };
}
