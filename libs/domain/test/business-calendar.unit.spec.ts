import fc from 'fast-check';
import { BusinessCalendar, LONDON_WORKING_HOURS, ROUND_THE_CLOCK, type CalendarDefinition } from '../src';

const ms = (iso: string) => Date.parse(iso);
const iso = (n: number) => new Date(n).toISOString();
const HOUR = 60;
const working = new BusinessCalendar(LONDON_WORKING_HOURS);
const roundTheClock = new BusinessCalendar(ROUND_THE_CLOCK);
const allDayLondon = new BusinessCalendar({
  id: 'all-day-london',
  kind: 'working_hours',
  timeZone: 'Europe/London',
  hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])),
});

describe('BusinessCalendar: hand-worked deadlines (Mon–Fri 09:00–17:00 Europe/London, E&W bank holidays)', () => {
  it.each([
    // [case, start (UTC), working minutes, deadline (UTC)]
    ['P1 raised Friday 16:30 BST, 4 working hours: 30 min Friday, 3h30 Monday', '2023-07-07T15:30:00Z', 4 * HOUR, '2023-07-10T11:30:00Z'],
    ['raised on a Saturday: the clock starts Monday 09:00', '2023-07-08T10:00:00Z', 2 * HOUR, '2023-07-10T10:00:00Z'],
    ['raised before opening: starts at 09:00', '2023-07-10T06:00:00Z', 30, '2023-07-10T08:30:00Z'],
    ['spring DST (26 Mar 2023): Friday 16:00 GMT + 8h ends Monday 16:00 BST', '2023-03-24T16:00:00Z', 8 * HOUR, '2023-03-27T15:00:00Z'],
    ['autumn DST (29 Oct 2023): Friday 16:00 BST + 2h ends Monday 10:00 GMT', '2023-10-27T15:00:00Z', 2 * HOUR, '2023-10-30T10:00:00Z'],
    ['Good Friday to Easter Monday 2023: Thursday 16:00 + 8h ends Tuesday 16:00', '2023-04-06T15:00:00Z', 8 * HOUR, '2023-04-11T15:00:00Z'],
    [
      'Christmas to Boxing Day 2023: Friday 22 Dec 15:00 + 2 working days ends Thursday 28 Dec 15:00',
      '2023-12-22T15:00:00Z',
      16 * HOUR,
      '2023-12-28T15:00:00Z',
    ],
    ['a substitute bank holiday (Mon 2 Jan 2023) is closed too', '2022-12-30T16:00:00Z', 2 * HOUR, '2023-01-03T10:00:00Z'],
    [
      'the Coronation bank holiday (8 May 2023) is closed: Friday 17:00 BST + 2h ends Tuesday 11:00 BST',
      '2023-05-05T16:00:00Z',
      2 * HOUR,
      '2023-05-09T10:00:00Z',
    ],
    ['a deadline can fall exactly at closing time', '2023-07-10T15:00:00Z', 1 * HOUR, '2023-07-10T16:00:00Z'],
  ])('%s', (_name, start, minutes, deadline) => {
    expect(iso(working.addBusinessMinutes(ms(start), minutes))).toBe(new Date(deadline).toISOString());
    expect(working.businessMinutesBetween(ms(start), ms(deadline))).toBe(minutes);
  });

  it('counts business minutes between two instants across a weekend', () => {
    expect(working.businessMinutesBetween(ms('2023-07-07T15:30:00Z'), ms('2023-07-10T11:30:00Z'))).toBe(240);
    expect(working.businessMinutesBetween(ms('2023-07-08T00:00:00Z'), ms('2023-07-09T23:59:00Z'))).toBe(0);
  });

  it('honours a tenant closure day (27 Dec 2023): the same ticket ends Friday 29 Dec 15:00', () => {
    const closed = new BusinessCalendar({ ...LONDON_WORKING_HOURS, id: 'with-closure', closures: ['2023-12-27'] });
    expect(iso(closed.addBusinessMinutes(ms('2023-12-22T15:00:00Z'), 16 * HOUR))).toBe('2023-12-29T15:00:00.000Z');
  });

  it('reads hours in the calendar time zone (New York 09:00–17:00)', () => {
    const ny: CalendarDefinition = { ...LONDON_WORKING_HOURS, id: 'ny', timeZone: 'America/New_York', holidays: 'none' };
    // 2023-07-10 09:00 EDT = 13:00Z; one hour later 14:00Z.
    expect(iso(new BusinessCalendar(ny).addBusinessMinutes(ms('2023-07-10T12:00:00Z'), 60))).toBe('2023-07-10T14:00:00.000Z');
  });

  it('a local day has 23 hours in spring and 25 in autumn', () => {
    expect(allDayLondon.businessMinutesBetween(ms('2023-03-26T00:00:00Z'), ms('2023-03-26T23:00:00Z'))).toBe(23 * HOUR);
    expect(allDayLondon.businessMinutesBetween(ms('2023-10-28T23:00:00Z'), ms('2023-10-30T00:00:00Z'))).toBe(25 * HOUR);
  });

  it('24x7 counts real elapsed time, unaffected by DST', () => {
    expect(iso(roundTheClock.addBusinessMinutes(ms('2023-03-26T00:30:00Z'), 2 * HOUR))).toBe('2023-03-26T02:30:00.000Z');
    expect(roundTheClock.businessMinutesBetween(ms('2023-10-29T00:00:00Z'), ms('2023-10-29T03:00:00Z'))).toBe(180);
  });

  it('refuses invalid definitions with a clear code', () => {
    expect(() => new BusinessCalendar({ ...LONDON_WORKING_HOURS, timeZone: 'Europe/Atlantis' })).toThrow(/IANA/);
    expect(() => new BusinessCalendar({ ...LONDON_WORKING_HOURS, hours: { mon: [['17:00', '09:00']] } })).toThrow(/ordered/);
    expect(() => new BusinessCalendar({ ...LONDON_WORKING_HOURS, id: 'never', hours: {} }).addBusinessMinutes(0, 1)).toThrow(/no working time/);
  });
});

describe('BusinessCalendar properties (fast-check)', () => {
  const start = fc.integer({ min: ms('2022-01-01T00:00:00Z'), max: ms('2026-12-31T00:00:00Z') });
  const minutes = fc.integer({ min: 0, max: 20 * 8 * 60 });
  const calendars = fc.constantFrom(working, roundTheClock, allDayLondon);

  it('deadline(start, d) is monotonic in d', () => {
    fc.assert(
      fc.property(calendars, start, minutes, minutes, (cal, s, a, b) => {
        const [d1, d2] = a <= b ? [a, b] : [b, a];
        return cal.addBusinessMinutes(s, d1) <= cal.addBusinessMinutes(s, d2);
      }),
      { numRuns: 300 },
    );
  });

  it('businessMinutes(start, deadline(start, d)) = d', () => {
    fc.assert(
      fc.property(calendars, start, minutes, (cal, s, d) => cal.businessMinutesBetween(s, cal.addBusinessMinutes(s, d)) === d),
      { numRuns: 300 },
    );
  });

  it('business time is additive: between(a, c) = between(a, b) + between(b, c)', () => {
    fc.assert(
      fc.property(
        calendars,
        start,
        fc.integer({ min: 0, max: 10 * 86_400_000 }),
        fc.integer({ min: 0, max: 10 * 86_400_000 }),
        (cal, a, x, y) => cal.businessMsBetween(a, a + x + y) === cal.businessMsBetween(a, a + x) + cal.businessMsBetween(a + x, a + x + y),
      ),
      { numRuns: 200 },
    );
  });
});
