import { DateTime } from 'luxon';
import { invalid } from '../shared/domain-error';
import { HOLIDAY_REGIONS, publicHolidays, type HolidayRegion } from './public-holidays';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A calendar as policies define it: round the clock, or working hours in a zone less holidays. */
export interface CalendarDefinition {
  id: string;
  kind: '24x7' | 'working_hours';
  /** IANA zone the hours are read in (working_hours only). */
  timeZone?: string;
  /** Local opening hours per weekday, "HH:mm"-"HH:mm" ("24:00" ends at midnight). Missing day: closed. */
  hours?: Partial<Record<Weekday, Array<[string, string]>>>;
  holidays?: HolidayRegion;
  /** Extra local dates (YYYY-MM-DD) when the desk is closed, e.g. a tenant's privilege days. */
  closures?: string[];
}

const MINUTE = 60_000;
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
/** A calendar with no working time in ten years is a mistake, not a reason to loop for ever. */
const MAX_DAYS = 3_660;

/** One calendar year of local days: where each starts (UTC ms) and its working intervals. */
interface YearTable {
  year: number;
  starts: number[];
  /** Start of the next year's first local day. */
  end: number;
  intervals: Array<Array<[number, number]>>;
}

/** Start (UTC ms) of local day `i`; locate() and next() only ever yield indices inside the table. */
function dayStart(table: YearTable, i: number): number {
  const start = table.starts[i];
  if (start === undefined) throw new Error(`Calendar year ${table.year} has no day ${i}`);
  return start;
}

/** Working intervals of local day `i`, under the same invariant as dayStart(). */
function dayIntervals(table: YearTable, i: number): Array<[number, number]> {
  const intervals = table.intervals[i];
  if (intervals === undefined) throw new Error(`Calendar year ${table.year} has no day ${i}`);
  return intervals;
}

/**
 * Business time: how much working time lies between two instants, and which instant lies a given
 * amount of working time after another. All zone and DST arithmetic is Luxon's, done once per
 * calendar year into a table of local days; every instant is UTC epoch milliseconds, exact to the ms.
 */
export class BusinessCalendar {
  private readonly years = new Map<number, YearTable>();
  private readonly closures: Set<string>;

  constructor(readonly definition: CalendarDefinition) {
    validateCalendar(definition);
    this.closures = new Set(definition.closures ?? []);
  }

  get id(): string {
    return this.definition.id;
  }

  /** Working milliseconds in [from, to). */
  businessMsBetween(from: number, to: number): number {
    if (!(to > from)) return 0;
    if (this.definition.kind === '24x7') return to - from;
    let total = 0;
    let [table, i] = this.locate(from);
    for (let n = 0; n <= MAX_DAYS && dayStart(table, i) < to; n++) {
      for (const [s, e] of dayIntervals(table, i)) {
        const a = Math.max(s, from);
        const b = Math.min(e, to);
        if (b > a) total += b - a;
      }
      [table, i] = this.next(table, i);
    }
    return total;
  }

  businessMinutesBetween(from: number, to: number): number {
    return this.businessMsBetween(from, to) / MINUTE;
  }

  /** The earliest instant at which `amount` ms of working time have passed since `start`. */
  addBusinessMs(start: number, amount: number): number {
    if (amount <= 0) return start;
    if (this.definition.kind === '24x7') return start + amount;
    let remaining = amount;
    let [table, i] = this.locate(start);
    for (let n = 0; n <= MAX_DAYS; n++) {
      for (const [s, e] of dayIntervals(table, i)) {
        const a = Math.max(s, start);
        if (e <= a) continue;
        if (remaining <= e - a) return a + remaining;
        remaining -= e - a;
      }
      [table, i] = this.next(table, i);
    }
    throw invalid('CALENDAR.NO_WORKING_TIME', `Calendar ${this.id} has no working time within ten years`);
  }

  addBusinessMinutes(start: number, minutes: number): number {
    return this.addBusinessMs(start, minutes * MINUTE);
  }

  /**
   * The first instant at or after `at` from which working time accrues: `at` itself inside working
   * hours, else the next opening. Used to date a threshold crossing ("more than N minutes used").
   */
  nextWorkingInstant(at: number): number {
    if (this.definition.kind === '24x7') return at;
    let [table, i] = this.locate(at);
    for (let n = 0; n <= MAX_DAYS; n++) {
      for (const [s, e] of dayIntervals(table, i)) if (e > at) return Math.max(s, at);
      [table, i] = this.next(table, i);
    }
    throw invalid('CALENDAR.NO_WORKING_TIME', `Calendar ${this.id} has no working time within ten years`);
  }

  /** The local day containing an instant, as (year table, day index). */
  private locate(ms: number): [YearTable, number] {
    let table = this.yearTable(new Date(ms).getUTCFullYear());
    if (ms < dayStart(table, 0)) table = this.yearTable(table.year - 1);
    else if (ms >= table.end) table = this.yearTable(table.year + 1);
    let lo = 0;
    let hi = table.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (dayStart(table, mid) <= ms) lo = mid;
      else hi = mid - 1;
    }
    return [table, lo];
  }

  private next(table: YearTable, i: number): [YearTable, number] {
    return i + 1 < table.starts.length ? [table, i + 1] : [this.yearTable(table.year + 1), 0];
  }

  private yearTable(year: number): YearTable {
    let table = this.years.get(year);
    if (table) return table;
    const starts: number[] = [];
    const intervals: Array<Array<[number, number]>> = [];
    let day = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: this.definition.timeZone });
    const holidays = publicHolidays(this.definition.holidays ?? 'none', year);
    while (day.year === year) {
      starts.push(day.toMillis());
      intervals.push(this.intervalsOf(day, holidays));
      day = day.plus({ days: 1 });
    }
    table = { year, starts, end: day.toMillis(), intervals };
    this.years.set(year, table);
    return table;
  }

  /** Working intervals of one local day, as UTC ms; none on holidays and closures. */
  private intervalsOf(day: DateTime, holidays: Set<string>): Array<[number, number]> {
    const key = day.toISODate()!;
    if (this.closures.has(key) || holidays.has(key)) return [];
    const weekday = WEEKDAYS[day.weekday - 1]; // Luxon's ISO weekday: 1 is Monday, 7 Sunday
    if (weekday === undefined) throw new Error(`${key} has no ISO weekday`);
    const hours = this.definition.hours?.[weekday] ?? [];
    return hours.map(([from, to]) => [this.at(day, from), this.at(day, to)]);
  }

  private at(day: DateTime, hhmm: string): number {
    if (hhmm === '24:00') return day.plus({ days: 1 }).toMillis();
    const [hour, minute] = hhmm.split(':').map(Number);
    return day.set({ hour, minute }).toMillis();
  }
}

export function validateCalendar(c: CalendarDefinition): void {
  if (!c.id) throw invalid('CALENDAR.INVALID', 'a calendar needs an id', 'calendars.id');
  if (c.kind === '24x7') return;
  if (c.kind !== 'working_hours') throw invalid('CALENDAR.INVALID', "kind must be '24x7' or 'working_hours'", 'calendars.kind');
  if (!c.timeZone || !DateTime.local().setZone(c.timeZone).isValid) {
    throw invalid('CALENDAR.INVALID_TIME_ZONE', `calendar ${c.id}: timeZone must be an IANA zone`, 'calendars.timeZone');
  }
  if (c.holidays !== undefined && !(c.holidays in HOLIDAY_REGIONS)) {
    throw invalid('CALENDAR.INVALID_HOLIDAYS', `holidays must be one of ${Object.keys(HOLIDAY_REGIONS).join(', ')}`, 'calendars.holidays');
  }
  for (const [day, ranges] of Object.entries(c.hours ?? {})) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) throw invalid('CALENDAR.INVALID_HOURS', `unknown weekday ${day}`, 'calendars.hours');
    let last = '00:00';
    for (const [from, to] of ranges ?? []) {
      if (!HHMM.test(from) || !HHMM.test(to) || !(from < to) || from < last) {
        throw invalid('CALENDAR.INVALID_HOURS', `calendar ${c.id}: ${day} hours must be ordered "HH:mm" ranges`, 'calendars.hours');
      }
      last = to;
    }
  }
  for (const d of c.closures ?? []) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw invalid('CALENDAR.INVALID_CLOSURE', 'closures are local dates YYYY-MM-DD', 'calendars.closures');
  }
}

/** Monday to Friday 09:00–17:00, Europe/London, England and Wales bank holidays: the shared service's day. */
export const LONDON_WORKING_HOURS: CalendarDefinition = {
  id: 'working-hours',
  kind: 'working_hours',
  timeZone: 'Europe/London',
  hours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] },
  holidays: 'england-and-wales',
};

export const ROUND_THE_CLOCK: CalendarDefinition = { id: '24x7', kind: '24x7' };
