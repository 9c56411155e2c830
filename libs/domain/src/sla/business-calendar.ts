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

/**
 * Business time: how much working time lies between two instants, and which instant lies a given
 * amount of working time after another. All zone and DST arithmetic is Luxon's; every instant is
 * UTC epoch milliseconds. Exact to the millisecond.
 */
export class BusinessCalendar {
  private readonly days = new Map<string, Array<[number, number]>>();
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
    let day = this.dayStart(from);
    for (let i = 0; i <= MAX_DAYS && day.toMillis() < to; i++, day = day.plus({ days: 1 })) {
      for (const [s, e] of this.intervalsOf(day)) {
        const a = Math.max(s, from);
        const b = Math.min(e, to);
        if (b > a) total += b - a;
      }
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
    let day = this.dayStart(start);
    for (let i = 0; i <= MAX_DAYS; i++, day = day.plus({ days: 1 })) {
      for (const [s, e] of this.intervalsOf(day)) {
        const a = Math.max(s, start);
        if (e <= a) continue;
        if (remaining <= e - a) return a + remaining;
        remaining -= e - a;
      }
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
    let day = this.dayStart(at);
    for (let i = 0; i <= MAX_DAYS; i++, day = day.plus({ days: 1 })) {
      for (const [s, e] of this.intervalsOf(day)) if (e > at) return Math.max(s, at);
    }
    throw invalid('CALENDAR.NO_WORKING_TIME', `Calendar ${this.id} has no working time within ten years`);
  }

  private dayStart(ms: number): DateTime {
    return DateTime.fromMillis(ms, { zone: this.definition.timeZone }).startOf('day');
  }

  /** Working intervals of one local day, as UTC ms; none on holidays and closures. */
  private intervalsOf(day: DateTime): Array<[number, number]> {
    const key = day.toISODate()!;
    let intervals = this.days.get(key);
    if (intervals) return intervals;
    intervals = [];
    const region = this.definition.holidays ?? 'none';
    const closed = this.closures.has(key) || publicHolidays(region, day.year).has(key);
    const hours = closed ? [] : (this.definition.hours?.[WEEKDAYS[day.weekday - 1]] ?? []);
    for (const [from, to] of hours) intervals.push([this.at(day, from), this.at(day, to)]);
    this.days.set(key, intervals);
    return intervals;
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
