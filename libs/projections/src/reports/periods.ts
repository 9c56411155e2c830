import { DateTime } from 'luxon';

/** Reporting periods are read in the tenant's time zone: a month is a local calendar month. */
export function monthOf(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM');
}

/** Local Monday 00:00 instants in (from, to]. */
export function weekStartsIn(from: number, to: number, zone: string): number[] {
  const out: number[] = [];
  if (!(to > from)) return out;
  let w = DateTime.fromMillis(from, { zone }).startOf('week'); // Luxon weeks start on Monday
  while (w.toMillis() <= from) w = w.plus({ weeks: 1 });
  for (; w.toMillis() <= to; w = w.plus({ weeks: 1 })) out.push(w.toMillis());
  return out;
}

/** Local first-of-month 00:00 instants in (from, to]: each is the end of the month before. */
export function monthStartsIn(from: number, to: number, zone: string): number[] {
  const out: number[] = [];
  if (!(to > from)) return out;
  let m = DateTime.fromMillis(from, { zone }).startOf('month');
  while (m.toMillis() <= from) m = m.plus({ months: 1 });
  for (; m.toMillis() <= to; m = m.plus({ months: 1 })) out.push(m.toMillis());
  return out;
}

/** Start and end (exclusive) of a local month 'YYYY-MM'. */
export function monthRange(month: string, zone: string): [number, number] {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone });
  return [start.toMillis(), start.plus({ months: 1 }).toMillis()];
}

export const quarterOf = (month: string) => `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
export const yearOf = (month: string) => month.slice(0, 4);
