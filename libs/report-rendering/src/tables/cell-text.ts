import { DateTime } from 'luxon';

/** How the summary documents print their values, one way in every format that prints text. */
export const minutes = (m: number) => (m >= 60 ? `${Math.floor(m / 60)} h ${Math.round(m % 60)} min` : `${Math.round(m)} min`);
export const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : `${v}%`);
export const yesNo = (v: boolean) => (v ? 'yes' : 'no');
/** A clock's outcome: met, missed, or still open. */
export const withinTarget = (v: boolean | null) => (v === null ? 'open' : yesNo(v));
export const monthName = (m: string) => DateTime.fromFormat(m, 'yyyy-MM').setLocale('en-GB').toFormat('LLL yyyy');
export const dayName = (d: string) => DateTime.fromISO(d).setLocale('en-GB').toFormat('ccc d LLL yyyy');
/** An instant in the tenant's zone, as an outage's start or end is printed. */
export const localMinute = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).setLocale('en-GB').toFormat('d LLL yyyy HH:mm');
/** A list of ticket ids, '—' when none. */
export const ids = (xs: string[]) => (xs.length ? xs.join(', ') : '—');
