import { minutesCovered, openAt, openWindow, overlaps, unionMinutes } from '../src';

const at = (iso: string) => Date.parse(iso);
const july: readonly [number, number] = [at('2023-07-01T00:00:00Z'), at('2023-08-01T00:00:00Z')];

describe('open windows: what every report clips to a period', () => {
  it('a recorded window runs from its start to its end', () => {
    expect(openWindow('2023-07-03T08:00:00Z', '2023-07-03T08:19:00Z', 0)).toEqual([at('2023-07-03T08:00:00Z'), at('2023-07-03T08:19:00Z')]);
  });

  it('one still open counts up to the answer’s now, never before its own start', () => {
    expect(openWindow('2023-07-03T08:00:00Z', null, at('2023-07-03T09:00:00Z'))).toEqual([at('2023-07-03T08:00:00Z'), at('2023-07-03T09:00:00Z')]);
    expect(openWindow('2023-07-03T08:00:00Z', undefined, at('2023-07-01T00:00:00Z'))).toEqual([at('2023-07-03T08:00:00Z'), at('2023-07-03T08:00:00Z')]);
  });

  it('overlaps a period when they share time; touching its end or start is not sharing', () => {
    expect(overlaps([at('2023-06-30T23:00:00Z'), at('2023-07-01T01:00:00Z')], july)).toBe(true);
    expect(overlaps([at('2023-06-30T23:00:00Z'), july[0]], july)).toBe(false);
    expect(overlaps([july[1], at('2023-08-01T01:00:00Z')], july)).toBe(false);
    // Still open, cut at a "now" before the month: not in it.
    expect(overlaps(openWindow('2023-06-30T23:00:00Z', null, at('2023-06-30T23:30:00Z')), july)).toBe(false);
  });

  it('minutes covered clip each window to the period and count overlapping time once', () => {
    const windows = [
      openWindow('2023-06-30T23:00:00Z', '2023-07-01T01:00:00Z'), // 60 minutes in July
      openWindow('2023-07-10T10:00:00Z', '2023-07-10T11:00:00Z'),
      openWindow('2023-07-10T10:30:00Z', '2023-07-10T12:00:00Z'), // 10:00–12:00 together: 120
      openWindow('2023-07-31T23:30:00Z', '2023-08-01T02:00:00Z'), // 30 in July
    ];
    expect(minutesCovered(windows, july)).toBe(60 + 120 + 30);
    expect(unionMinutes(windows as Array<[number, number]>, ...july)).toBe(210);
    expect(minutesCovered([], july)).toBe(0);
  });

  it('open at an instant: a window holds its start, not its end', () => {
    const w = [openWindow('2023-07-10T10:00:00Z', '2023-07-10T11:00:00Z')];
    expect(openAt(w, at('2023-07-10T10:00:00Z'))).toBe(true);
    expect(openAt(w, at('2023-07-10T11:00:00Z'))).toBe(false);
    expect(openAt([[at('2023-07-10T10:00:00Z'), Infinity]], at('2024-01-01T00:00:00Z'))).toBe(true);
  });
});
