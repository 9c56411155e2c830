import type { AggregateDoc, TicketDoc } from '../reports.projection';
import { monthOf, periodOf, type Granularity, type PeriodRange } from '../periods';
import { counter } from './report-arithmetic';
import type { ReportReads } from './report-reads';

/** A demand document: one tenant's tickets of a kind × priority in a month. */
export interface DemandDoc extends AggregateDoc {
  tenantId: string;
  kind: string;
  priority: string;
  month: string;
  counts: Partial<Record<'raised' | 'resolved' | 'openAtEnd' | 'incidentsResolved' | 'firstLineFixes', number>>;
}

export interface DemandQuery {
  tenantId: string;
  range: PeriodRange;
  granularity: Granularity;
  /** The request's moment: the period holding it is partial. */
  now?: number;
  zone?: string;
}

export type DemandRow = {
  period: string;
  kind: string;
  priority: string;
  raised: number;
  resolved: number;
  openAtEnd: number;
  incidentsResolved: number;
  firstLineFixes: number;
  partial: boolean;
};

/**
 * Raised, resolved and open at period end per kind × priority. A period that has not ended by
 * `now` is `partial`, and its open-at-end is the tickets open now.
 */
export async function demand(reads: ReportReads, q: DemandQuery): Promise<DemandRow[]> {
  const docs = await reads.all<DemandDoc>('demand', { tenantId: q.tenantId, month: { $gte: q.range.from, $lte: q.range.to } });
  type Row = DemandRow & { lastMonth: string };
  const rows = new Map<string, Row>();
  const row = (period: string, kind: string, priority: string): Row => {
    const key = [period, kind, priority].join('|');
    let r = rows.get(key);
    if (!r)
      rows.set(
        key,
        (r = { period, kind, priority, raised: 0, resolved: 0, openAtEnd: 0, incidentsResolved: 0, firstLineFixes: 0, partial: false, lastMonth: '' }),
      );
    return r;
  };
  for (const d of docs.sort((a, b) => a.month.localeCompare(b.month))) {
    const r = row(periodOf(d.month, q.granularity), d.kind, d.priority);
    r.raised += counter(d, 'raised');
    r.resolved += counter(d, 'resolved');
    r.incidentsResolved += counter(d, 'incidentsResolved');
    r.firstLineFixes += counter(d, 'firstLineFixes');
    // Open at the end of a quarter or year is the figure of its last month.
    if (d.month > r.lastMonth) {
      r.openAtEnd = counter(d, 'openAtEnd');
      r.lastMonth = d.month;
    } else r.openAtEnd += counter(d, 'openAtEnd');
  }
  // The period in progress: nothing has been counted at its end yet; what is open now stands for it.
  const current = q.now === undefined ? undefined : monthOf(q.now, q.zone ?? 'Europe/London');
  if (current !== undefined && current >= q.range.from && current <= q.range.to) {
    const period = periodOf(current, q.granularity);
    for (const r of rows.values()) if (r.period === period) r.openAtEnd = 0;
    for (const t of await reads.all<TicketDoc>('tickets', { tenantId: q.tenantId, open: true })) row(period, t.kind, t.priority).openAtEnd++;
    for (const r of rows.values()) if (r.period === period) r.partial = true;
  }
  return [...rows.values()]
    .map(({ lastMonth: _l, ...r }) => r)
    .sort((a, b) => a.period.localeCompare(b.period) || a.kind.localeCompare(b.kind) || a.priority.localeCompare(b.priority));
}
