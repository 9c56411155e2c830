import type { CalendarDefinition } from '@itsm/domain';

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The length of the calendar's usual working day in minutes: its most common day length. */
function workingDayMinutes(calendar: CalendarDefinition): number | undefined {
  const lengths = Object.values(calendar.hours ?? {})
    .map((spans) => (spans ?? []).reduce((n, [a, b]) => n + minutesOf(b) - minutesOf(a), 0))
    .filter((n) => n > 0);
  if (!lengths.length) return undefined;
  const counts = new Map<number, number>();
  for (const l of lengths) counts.set(l, (counts.get(l) ?? 0) + 1);
  const [commonest] = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0]);
  return commonest?.[0];
}

/**
 * A target in the policy's own units, as a committee reads it: "4 hours" on a round-the-clock
 * calendar, "2 working days" (days of the calendar's usual working day) or "4 working hours" on a
 * working-hours calendar; minutes only when nothing larger divides the target.
 */
export function targetText(targetMinutes: number, calendar: CalendarDefinition | undefined): string {
  if (!calendar || calendar.kind === '24x7') {
    if (targetMinutes % 1440 === 0) return plural(targetMinutes / 1440, 'day');
    if (targetMinutes % 60 === 0) return plural(targetMinutes / 60, 'hour');
    return plural(targetMinutes, 'minute');
  }
  const day = workingDayMinutes(calendar);
  if (day && targetMinutes >= day && targetMinutes % day === 0) return plural(targetMinutes / day, 'working day');
  if (targetMinutes % 60 === 0) return plural(targetMinutes / 60, 'working hour');
  return plural(targetMinutes, 'working minute');
}
