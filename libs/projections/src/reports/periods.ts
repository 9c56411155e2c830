import { DateTime } from 'luxon';

/**
 * Reporting periods are read in the tenant's time zone: a month is a local calendar month, a week
 * starts on local Monday 00:00. Luxon computes each zone's boundaries once per year into sorted
 * tables; lookups are binary searches (projections ask for them on every event).
 */
class ZonePeriods {
  private years = new Set<number>();
  readonly monthStarts: number[] = [];
  readonly monthLabels: string[] = [];
  readonly weekStarts: number[] = [];

  constructor(private readonly zone: string) {}

  /** Makes sure the tables cover an instant (with a year of margin either side). */
  cover(ms: number): void {
    const y = new Date(ms).getUTCFullYear();
    let added = false;
    for (const year of [y - 1, y, y + 1]) {
      if (this.years.has(year)) continue;
      this.years.add(year);
      added = true;
      for (let m = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: this.zone }); m.year === year; m = m.plus({ months: 1 })) {
        this.monthStarts.push(m.toMillis());
        this.monthLabels.push(m.toFormat('yyyy-MM'));
      }
      let w = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: this.zone }).startOf('week');
      if (w.year < year) w = w.plus({ weeks: 1 });
      for (; w.year === year; w = w.plus({ weeks: 1 })) this.weekStarts.push(w.toMillis());
    }
    if (added) {
      // 'yyyy-MM' labels sort as their months' starts do, so each list sorts on its own.
      this.monthStarts.sort((a, b) => a - b);
      this.monthLabels.sort();
      this.weekStarts.sort((a, b) => a - b);
    }
  }
}

const zones = new Map<string, ZonePeriods>();
function periodsOf(zone: string, ...instants: number[]): ZonePeriods {
  let z = zones.get(zone);
  if (!z) zones.set(zone, (z = new ZonePeriods(zone)));
  for (const ms of instants) if (Number.isFinite(ms)) z.cover(ms);
  return z;
}

/** Index of the last element <= x (or -1). */
function floorIndex(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) {
      // lo <= mid <= hi < xs.length
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Elements of a sorted list in (from, to]. */
function within(xs: number[], from: number, to: number): number[] {
  if (!(to > from)) return [];
  return xs.slice(floorIndex(xs, from) + 1, floorIndex(xs, to) + 1);
}

export function monthOf(ms: number, zone: string): string {
  const z = periodsOf(zone, ms);
  const label = z.monthLabels[floorIndex(z.monthStarts, ms)];
  if (label === undefined) throw new Error(`No month of ${zone} holds the instant ${ms}`);
  return label;
}

/** Local Monday 00:00 instants in (from, to]. */
export function weekStartsIn(from: number, to: number, zone: string): number[] {
  if (!(to > from)) return [];
  const z = periodsOf(zone, from, to);
  for (let y = new Date(from).getUTCFullYear(); y <= new Date(to).getUTCFullYear(); y++) z.cover(Date.UTC(y, 6, 1));
  return within(z.weekStarts, from, to);
}

/** Local first-of-month 00:00 instants in (from, to]: each is the end of the month before. */
export function monthStartsIn(from: number, to: number, zone: string): number[] {
  if (!(to > from)) return [];
  const z = periodsOf(zone, from, to);
  for (let y = new Date(from).getUTCFullYear(); y <= new Date(to).getUTCFullYear(); y++) z.cover(Date.UTC(y, 6, 1));
  return within(z.monthStarts, from, to);
}

/** The local calendar date of an instant: 'YYYY-MM-DD'. */
export function dayOf(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISODate()!;
}

/** The Monday dates ('YYYY-MM-DD') from `from` to `to` inclusive (both 'YYYY-MM-DD'). */
export function mondaysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const start = DateTime.fromISO(from, { zone: 'UTC' });
  const end = DateTime.fromISO(to, { zone: 'UTC' });
  for (let d = start.plus({ days: (8 - start.weekday) % 7 }); d <= end; d = d.plus({ weeks: 1 })) out.push(d.toISODate()!);
  return out;
}

/** Start and end (exclusive) of a local month 'YYYY-MM'. */
export function monthRange(month: string, zone: string): [number, number] {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone });
  return [start.toMillis(), start.plus({ months: 1 }).toMillis()];
}

export const quarterOf = (month: string) => `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
export const yearOf = (month: string) => month.slice(0, 4);
/**
 * The UK public sector's financial year runs April to March: 2023-04..2023-06 is `2023-24 Q1`,
 * 2024-01..2024-03 is `2023-24 Q4`.
 */
export const financialQuarterOf = (month: string) => {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const start = m >= 4 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')} Q${Math.floor(((m + 8) % 12) / 3) + 1}`;
};
/** The financial year (April–March) a month falls in: `2023-24`. */
export const financialYearOf = (month: string) => financialQuarterOf(month).slice(0, 7);

/** Calendar month, quarter or year; or the financial year (April–March) and its quarters. */
export type Granularity = 'month' | 'quarter' | 'year' | 'financial-quarter' | 'financial-year';
export const GRANULARITIES: readonly Granularity[] = ['month', 'quarter', 'year', 'financial-quarter', 'financial-year'];
const PERIOD_OF: Record<Granularity, (month: string) => string> = {
  month: (m) => m,
  quarter: quarterOf,
  year: yearOf,
  'financial-quarter': financialQuarterOf,
  'financial-year': financialYearOf,
};
/** The period of a granularity that a month ('YYYY-MM') falls in. */
export const periodOf = (month: string, g: Granularity) => PERIOD_OF[g](month);

/** Months from `from` to `to`, both 'YYYY-MM' and inclusive. */
export interface PeriodRange {
  from: string;
  to: string;
}
