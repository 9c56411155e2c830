import fc from 'fast-check';
import { DateTime } from 'luxon';
import { monthOf, monthStartsIn, quarterOf, weekStartsIn } from '../src';

describe('reporting periods in a tenant time zone', () => {
  it('puts an instant in its local month (BST midnight is 23:00 UTC)', () => {
    expect(monthOf(Date.parse('2023-07-31T22:59:59Z'), 'Europe/London')).toBe('2023-07');
    expect(monthOf(Date.parse('2023-07-31T23:00:00Z'), 'Europe/London')).toBe('2023-08');
    expect(monthOf(Date.parse('2023-12-31T23:59:59Z'), 'Europe/London')).toBe('2023-12');
    expect(quarterOf('2023-08')).toBe('2023-Q3');
  });

  it('lists local Monday midnights and month starts in (from, to]', () => {
    expect(weekStartsIn(Date.parse('2023-10-23T00:00:00Z'), Date.parse('2023-11-06T00:00:00Z'), 'Europe/London').map((x) => new Date(x).toISOString())).toEqual(
      [
        '2023-10-30T00:00:00.000Z', // GMT again after 29 October
        '2023-11-06T00:00:00.000Z',
      ],
    );
    expect(
      monthStartsIn(Date.parse('2023-02-15T00:00:00Z'), Date.parse('2023-04-01T00:00:00Z'), 'Europe/London').map((x) => new Date(x).toISOString()),
    ).toEqual([
      '2023-03-01T00:00:00.000Z',
      '2023-03-31T23:00:00.000Z', // 1 April 00:00 BST
    ]);
  });

  it('agrees with Luxon directly, for any instant and zone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2015-01-01'), max: Date.parse('2035-01-01') }),
        fc.constantFrom('Europe/London', 'America/New_York', 'Asia/Kolkata', 'UTC'),
        (ms, zone) => {
          const d = DateTime.fromMillis(ms, { zone });
          const weekStart = d.startOf('week').toMillis();
          return monthOf(ms, zone) === d.toFormat('yyyy-MM') && weekStartsIn(weekStart - 1, weekStart, zone)[0] === weekStart;
        },
      ),
      { numRuns: 500 },
    );
  });
});
