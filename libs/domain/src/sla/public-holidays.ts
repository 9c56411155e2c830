import Holidays from 'date-holidays';

/** Holiday sets the calendars can name; England and Wales is the default for these tenants. */
export const HOLIDAY_REGIONS = {
  'england-and-wales': ['GB', 'ENG'],
  scotland: ['GB', 'SCT'],
  'northern-ireland': ['GB', 'NIR'],
  none: null,
} as const;
export type HolidayRegion = keyof typeof HOLIDAY_REGIONS;

const cache = new Map<string, Set<string>>();

/** Local dates (YYYY-MM-DD) that are public/bank holidays in a region and year, from date-holidays. */
export function publicHolidays(region: HolidayRegion, year: number): Set<string> {
  const key = `${region}/${year}`;
  let set = cache.get(key);
  if (!set) {
    const spec = HOLIDAY_REGIONS[region];
    set = new Set();
    if (spec) {
      const hd = new Holidays(spec[0], spec[1]);
      for (const h of hd.getHolidays(year)) if (h.type === 'public' || h.type === 'bank') set.add(h.date.slice(0, 10));
    }
    cache.set(key, set);
  }
  return set;
}
