/** Figures are shown to two decimals. */
export const round2 = (x: number) => Math.round(x * 100) / 100;

/** A percentage of a whole, to two decimals; null when there is nothing to measure. */
export const pct = (part: number, whole: number) => (whole > 0 ? round2((100 * part) / whole) : null);

/** A counter of an aggregate document: absent is 0 (the projection drops zero counters). */
export const counter = <C extends string>(d: { counts: Partial<Record<C, number>> }, name: C): number => d.counts[name] ?? 0;

/** How many of each key, keys in order. */
export function countBy<T>(xs: readonly T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
