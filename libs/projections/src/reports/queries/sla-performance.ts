import type { AggregateDoc, TicketDoc } from '../reports.projection';
import { periodOf, type Granularity, type PeriodRange } from '../periods';
import { countBy, counter, pct } from './report-arithmetic';
import type { ReportReads } from './report-reads';

/** An sla_performance document: completed clocks of one metric × kind × priority × month × dimension value. */
export interface SlaPerformanceDoc extends AggregateDoc {
  tenantId: string;
  metric: string;
  kind: string;
  priority: string;
  month: string;
  /** all, service, supplier or group; `value` is the service, supplier or group ('*' for all). */
  dimension: string;
  value: string;
  reference: string | null;
  goalPct: number | null;
  targetMinutes: number | null;
  counts: Partial<Record<'total' | 'met' | 'breached', number>>;
}

export interface SlaRowsQuery {
  tenantId: string;
  range: PeriodRange;
  granularity: Granularity;
  dimension: string;
}

export interface SlaPerformanceQuery extends SlaRowsQuery {
  /** One value of the dimension (a supplier, say); all values when absent. */
  value?: string;
}

export type SlaRow = {
  period: string;
  metric: string;
  kind: string;
  priority: string;
  dimension: string;
  value: string;
  reference: string | null;
  goalPct: number | null;
  targetMinutes: number | null;
  total: number;
  met: number;
  breached: number;
  pctMet: number | null;
  goalMet: boolean | null;
};

export type SlaPerformanceAnswer = {
  rows: SlaRow[];
  /** Open tickets with a live breach, per priority. */
  breachedStillOpen: Record<string, number>;
  breachedStillOpenTicketIds: string[];
};

/** % within SLA per metric × kind × priority × period, by all / service / supplier / group. */
export async function slaPerformance(reads: ReportReads, q: SlaPerformanceQuery): Promise<SlaPerformanceAnswer> {
  const rows = await slaRows(reads, q);
  const openBreached = await reads.all<TicketDoc>('tickets', { tenantId: q.tenantId, breachedOpen: true });
  return {
    rows: q.value === undefined ? rows : rows.filter((r) => r.value === q.value),
    breachedStillOpen: countBy(openBreached, (t) => t.priority),
    breachedStillOpenTicketIds: openBreached.map((t) => t.ticketId).sort(),
  };
}

/** The SLA rows of every value of a dimension (every supplier, say), sorted. */
export async function slaRows(reads: ReportReads, q: SlaRowsQuery): Promise<SlaRow[]> {
  const docs = await slaDocs(reads, q);
  const rows = new Map<string, Omit<SlaRow, 'pctMet' | 'goalMet'>>();
  for (const d of docs) {
    const period = periodOf(d.month, q.granularity);
    const key = [period, d.metric, d.kind, d.priority, d.value].join('|');
    const row = rows.get(key) ?? {
      period,
      metric: d.metric,
      kind: d.kind,
      priority: d.priority,
      dimension: q.dimension,
      value: d.value,
      reference: d.reference,
      goalPct: d.goalPct,
      targetMinutes: d.targetMinutes,
      total: 0,
      met: 0,
      breached: 0,
    };
    row.total += counter(d, 'total');
    row.met += counter(d, 'met');
    row.breached += counter(d, 'breached');
    rows.set(key, row);
  }
  return [...rows.values()]
    .sort(
      (a, b) =>
        a.period.localeCompare(b.period) ||
        a.metric.localeCompare(b.metric) ||
        a.kind.localeCompare(b.kind) ||
        a.priority.localeCompare(b.priority) ||
        a.value.localeCompare(b.value),
    )
    .map((r) => {
      const pctMet = pct(r.met, r.total);
      return { ...r, pctMet, goalMet: pctMet === null || r.goalPct === null ? null : pctMet >= r.goalPct };
    });
}

/**
 * The documents of a tenant's dimension over a range. For one month the filter names the month
 * alone (equality) and the dimension is kept here: with tenant, month and dimension together, the
 * SQLite store reads through its dimension index, a quarter of the collection, where the month's
 * index holds a twelfth. A compound (tenantId, dimension, month) index would serve both exactly.
 */
async function slaDocs(reads: ReportReads, q: SlaRowsQuery): Promise<SlaPerformanceDoc[]> {
  if (q.range.from !== q.range.to)
    return reads.all<SlaPerformanceDoc>('sla_performance', { tenantId: q.tenantId, month: { $gte: q.range.from, $lte: q.range.to }, dimension: q.dimension });
  const month = await reads.all<SlaPerformanceDoc>('sla_performance', { tenantId: q.tenantId, month: q.range.from });
  return month.filter((d) => d.dimension === q.dimension);
}
