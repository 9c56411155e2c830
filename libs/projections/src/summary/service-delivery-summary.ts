import { showPosition, type LogPosition } from '@itsm/event-store';
import { DateTime } from 'luxon';
import { rag, type ReportQueries } from '../reports/report-queries';

export type Rag = 'green' | 'amber' | 'red' | 'grey';

/** One line of the metric table: a measure, its actual figure against its goal. */
export interface SummaryMetric {
  reference: string;
  /** The priority an SLA metric measures (one reference may cover several, e.g. SRM1). */
  priority?: string;
  measure: string;
  /** Percentage, or a volume for SD11 / IM10. */
  actual: number | null;
  unit: '%' | 'tickets';
  goal: string;
  rag: Rag;
  total: number | null;
}

/** Everything in the monthly Service Delivery Summary; every figure read from the read models. */
export interface ServiceDeliverySummary {
  tenantId: string;
  tenantName: string;
  month: string;
  /** The log position the read models stood at: ask the reports again with asOfPosition to reproduce it. */
  /** The last event the figures reflect; null when there was none. */
  logPosition: string | null;
  generatedAt: string;
  summary: string[];
  counts: { P1: number; P2: number };
  priorityIncidents: Awaited<ReturnType<ReportQueries['priorityIncidents']>>;
  metrics: SummaryMetric[];
  trend: Array<{ month: string; P1: number | null; P2: number | null; P3: number | null; P4: number | null }>;
  demand: Array<{ month: string; P1: number; P2: number; P3: number; P4: number }>;
  backlog: Array<{ week: string; total: number }>;
  suppliers: Array<{ supplierId: string; name: string; tickets: number; p1p2: number; breaches: number; outageMinutes: number; contract: Array<{ measure: string; target: number; actual: number | null; rag: Rag }> }>;
  availability: Awaited<ReturnType<ReportQueries['serviceAvailability']>>;
  satisfaction: { month: ReturnType<typeof pickPeriod>; lastThreeMonthsNps: number | null };
  majorIncidents: Array<Record<string, unknown>>;
}

const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
/** The committees' order of the metric table. */
const METRIC_ORDER = ['SD3', 'SD4', 'SD5', 'SD6', 'IM1', 'IM2', 'IM3', 'IM4', 'SRM1', 'SRM2'];
const pickPeriod = (rows: Array<Record<string, unknown>>, period: string) => (rows.find((r) => r.period === period) ?? null) as Record<string, number | null> | null;
const plural = (n: number, one: string, many: string) => (n === 1 ? `was 1 ${one}` : `were ${n} ${many}`);

/** Builds the summary of one tenant's month from the read models. */
export async function buildServiceDeliverySummary(
  q: ReportQueries,
  options: { tenantId: string; month: string; zone: string; logPosition: LogPosition | undefined; now: Date },
): Promise<ServiceDeliverySummary> {
  const { tenantId, month, zone } = options;
  const first = DateTime.fromFormat(month, 'yyyy-MM', { zone });
  const yearAgo = first.minus({ months: 11 }).toFormat('yyyy-MM');
  const names = await q.catalogueNames();
  const tenantName = names.get(`tenant:${tenantId}`) ?? tenantId;

  const incidents = await q.priorityIncidents({ tenantId, month, zone, names });
  const counts = { P1: incidents.filter((t) => t.priority === 'P1').length, P2: incidents.filter((t) => t.priority === 'P2').length };
  const sla = await q.slaPerformance({ tenantId, range: { from: yearAgo, to: month }, granularity: 'month', dimension: 'all' });
  const thisMonth = sla.rows.filter((r) => r.period === month);
  const demandRows = await q.demand({ tenantId, range: { from: yearAgo, to: month }, granularity: 'month' });
  const satisfactionRows = await q.satisfaction({ tenantId, range: { from: first.minus({ months: 2 }).toFormat('yyyy-MM'), to: month }, granularity: 'month' });
  const monthEnd = first.plus({ months: 1 });
  const backlog = await q.agedBacklog({ tenantId, fromWeek: first.minus({ weeks: 12 }).toUTC().toISO()!, toWeek: monthEnd.toUTC().toISO()!, now: Math.min(options.now.getTime(), monthEnd.toMillis()), days: 30 });

  const metrics: SummaryMetric[] = [];
  const order = (ref: string | null) => {
    const i = METRIC_ORDER.indexOf(ref ?? '');
    return i < 0 ? METRIC_ORDER.length : i;
  };
  for (const r of thisMonth.filter((x) => x.reference).sort((a, b) => order(a.reference) - order(b.reference) || a.kind.localeCompare(b.kind) || a.priority.localeCompare(b.priority))) {
    metrics.push({
      reference: r.reference!,
      priority: r.priority,
      measure: `${r.priority} ${r.kind === 'incident' ? '' : `${r.kind.replace(/_/g, ' ')} `}time to ${r.metric === 'response' ? 'respond' : 'resolve'} (${r.targetMinutes} min)`,
      actual: r.pctMet,
      unit: '%',
      goal: r.goalPct === null ? '—' : `${r.goalPct}%`,
      rag: r.goalPct === null ? 'grey' : rag(r.pctMet, r.goalPct, 'higher'),
      total: r.total,
    });
  }
  const incidentsResolved = demandRows.filter((r) => r.period === month).reduce((n, r) => n + r.incidentsResolved, 0);
  const firstLine = demandRows.filter((r) => r.period === month).reduce((n, r) => n + r.firstLineFixes, 0);
  const sd2 = incidentsResolved ? Math.round((10_000 * firstLine) / incidentsResolved) / 100 : null;
  metrics.push({ reference: 'SD2', measure: 'Service desk first-line fix', actual: sd2, unit: '%', goal: 'over 87.5%', rag: rag(sd2, 87.5, 'higher'), total: incidentsResolved });
  const sat = pickPeriod(satisfactionRows, month);
  metrics.push({ reference: 'SD7', measure: 'User satisfaction (good or very good)', actual: sat?.goodOrVeryGoodPct ?? null, unit: '%', goal: '—', rag: 'grey', total: sat?.feedback ?? 0 });
  metrics.push({ reference: 'SD11', measure: 'Complaints and escalations', actual: sat?.complaints ?? 0, unit: 'tickets', goal: 'volume', rag: 'grey', total: null });
  metrics.push({ reference: 'IM10', measure: 'Tickets open over 30 days (latest week)', actual: backlog.weeks.at(-1)?.total ?? 0, unit: 'tickets', goal: 'volume, weekly', rag: 'grey', total: null });

  const resolutionPct = (m: string, p: string) => {
    const rows = sla.rows.filter((r) => r.period === m && r.priority === p && r.metric === 'resolution');
    const total = rows.reduce((n, r) => n + r.total, 0);
    return total ? Math.round((10_000 * rows.reduce((n, r) => n + r.met, 0)) / total) / 100 : null;
  };
  const months = Array.from({ length: 12 }, (_, i) => first.minus({ months: 11 - i }).toFormat('yyyy-MM'));
  const trend = months.map((m) => ({ month: m, P1: resolutionPct(m, 'P1'), P2: resolutionPct(m, 'P2'), P3: resolutionPct(m, 'P3'), P4: resolutionPct(m, 'P4') }));
  const demand = months.map((m) => {
    const row = { month: m, P1: 0, P2: 0, P3: 0, P4: 0 };
    for (const r of demandRows.filter((x) => x.period === m)) row[r.priority as (typeof PRIORITIES)[number]] += r.raised;
    return row;
  });

  const cards = await q.supplierScorecards({ month, zone, tenantId });
  const suppliers = cards
    .filter((c) => c.tickets > 0 || c.outageMinutes > 0)
    .map((c) => ({ supplierId: c.supplierId, name: c.name, tickets: c.tickets, p1p2: c.p1p2.length, breaches: c.breaches, outageMinutes: c.outageMinutes, contract: c.contract }));
  const availability = await q.serviceAvailability({ month, zone, tenantId });
  const npsRows = satisfactionRows.filter((r) => r.nps !== null);
  const lastThreeMonthsNps = npsRows.length ? Math.round(npsRows.reduce((n, r) => n + (r.nps ?? 0), 0) / npsRows.length) : null;
  const register = (await q.majorIncidents({ tenantId })).filter((m) => String(m.raisedAt ?? '').startsWith(month) || String(m.declaredAt ?? '').startsWith(month));

  const within = incidents.filter((t) => t.resolvedWithinTarget === true).length;
  const summary = [
    `There ${plural(counts.P1, 'P1 incident', 'P1 incidents')} for ${tenantName}.`,
    `There ${plural(counts.P2, 'P2 incident', 'P2 incidents')} for ${tenantName}.`,
    incidents.length ? `${within} of ${incidents.length} priority incidents were resolved within target.` : 'There were no priority incidents.',
    lastThreeMonthsNps === null ? 'No Net Promoter Score answers in the last 3 months.' : `The Net Promoter Score average for the last 3 months is ${lastThreeMonthsNps}${lastThreeMonthsNps > 50 ? ' (over 50 is very good)' : ''}.`,
    sat?.goodOrVeryGoodPct == null ? 'No satisfaction survey answers this month.' : `${sat.goodOrVeryGoodPct}% of users who answered the satisfaction survey reported a good or very good experience.`,
  ];
  return {
    tenantId,
    tenantName,
    month,
    logPosition: showPosition(options.logPosition),
    generatedAt: options.now.toISOString(),
    summary,
    counts,
    priorityIncidents: incidents,
    metrics,
    trend,
    demand,
    backlog: backlog.weeks.map((w) => ({ week: w.week, total: w.total })),
    suppliers,
    availability,
    satisfaction: { month: sat, lastThreeMonthsNps },
    majorIncidents: register,
  };
}
