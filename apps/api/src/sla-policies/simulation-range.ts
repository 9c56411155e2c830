import { DateTime } from 'luxon';
import { invalid } from '@itsm/domain';
import type { SimulationRange } from '@itsm/application';
import { REPORT_ZONE } from '../reports/report-source';
import { isMonth } from './dto/simulate-sla-policy.dto';

/** A what-if spans at most a year: a committee compares a year at most, and every ticket in it is replayed. */
export const MAX_SIMULATION_MONTHS = 12;

/**
 * [from, to) of a what-if: a month starts at its first local midnight and, as `to`, counts whole
 * (up to the next month's); an instant is itself (`to` exclusive).
 */
export function simulationRange(from: string, to: string): SimulationRange {
  const month = (m: string) => DateTime.fromFormat(m, 'yyyy-MM', { zone: REPORT_ZONE });
  const start = isMonth(from) ? month(from).toMillis() : Date.parse(from);
  const end = isMonth(to) ? month(to).plus({ months: 1 }).toMillis() : Date.parse(to);
  if (!(end > start)) throw invalid('SLA_SIMULATION.EMPTY_RANGE', 'to must be after from (a month as to counts whole)', 'to');
  if (end > DateTime.fromMillis(start, { zone: REPORT_ZONE }).plus({ months: MAX_SIMULATION_MONTHS }).toMillis()) {
    throw invalid('SLA_SIMULATION.RANGE_TOO_LONG', `from and to may span at most ${MAX_SIMULATION_MONTHS} months`, 'to');
  }
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}
