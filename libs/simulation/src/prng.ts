/** mulberry32: a small, fast, seedable PRNG, so a seed always gives the same history. */
export function prng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws from a seeded PRNG in the shapes the generator needs. */
export class Random {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(xs: readonly T[]): T {
    const x = xs[Math.floor(this.next() * xs.length)];
    if (x === undefined) throw new Error('Cannot pick from an empty list');
    return x;
  }
  /** Picks by weight: [[value, weight], ...]. */
  weighted<T>(table: ReadonlyArray<readonly [T, number]>): T {
    const total = table.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [v, w] of table) if ((r -= w) < 0) return v;
    // Rounding can leave r a hair above zero after the last weight: the last entry takes it.
    const last = table.at(-1);
    if (!last) throw new Error('Cannot pick from an empty table');
    return last[0];
  }
  /** Log-normal with this median: durations are mostly short with a long tail, as in real desks. */
  logNormal(median: number, sigma: number): number {
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(sigma * z);
  }
}
