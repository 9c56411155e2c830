import { showPosition, type LogPosition } from '@itsm/event-store';
import { DateTime } from 'luxon';
import { FIGURES, type FigureDefinition } from '../reports/figure-definitions';
import { rag, type AvailabilityRow, type MajorIncidentEntry, type ReportQueries } from '../reports/report-queries';
import { targetText } from './target-text';

export type Rag = 'green' | 'amber' | 'red' | 'grey';

/** One line of the metric table: a measure, its actual figure against its goal. */
export interface SummaryMetric {
  /** The committee's code (SD3, IM2 ...), or null where the tenant's policy names none. */
  reference: string | null;
  /** The priority an SLA metric measures (one reference may cover several, e.g. SRM1). */
  priority?: string;
  kind?: string;
  metric?: string;
  measure: string;
  /** The target in the policy's own units ("4 working hours"). */
  target?: string;
  /** Percentage, or a volume for SD11 / IM10. */
  actual: number | null;
  unit: '%' | 'tickets';
  goal: string;
  rag: Rag;
  /** How many it counts (completed clocks, resolved incidents, answers), null for volumes. */
  total: number | null;
  met: number | null;
}

type Priorities = { P1: number; P2: number; P3: number; P4: number };
type TrendRow = { month: string; P1: number | null; P2: number | null; P3: number | null; P4: number | null };

/** Everything in the monthly Service Delivery Summary; every figure read from the read models. */
export interface ServiceDeliverySummary {
  tenantId: string;
  tenantName: string;
  month: string;
  /** The tenant's time zone: months, weeks and times on the page are read in it. */
  zone: string;
  /** The month by name, as committees read it: "July 2023". */
  monthName: string;
  /** The month had not ended at `asOf`: its figures are to date. */
  partial: boolean;
  /** The moment the figures stand for (the request's clock, or the replay's). */
  asOf: string;
  /** The last event the figures reflect; null when there was none. Ask again with asOfPosition to reproduce. */
  logPosition: string | null;
  generatedAt: string;
  summary: string[];
  counts: { P1: number; P2: number };
  priorityIncidents: Awaited<ReturnType<ReportQueries['priorityIncidents']>>;
  /** P1/P2 incidents on services under IT's management and outside it (seed 001). */
  priorityIncidentsByManagement: { underItManagement: { count: number; outageMinutes: number }; outsideItManagement: { count: number; outageMinutes: number } };
  metrics: SummaryMetric[];
  /**
   * P1 and P2 incidents raised this month and in the three months to it, against the same periods a
   * year earlier (seed 003: "4 P1 incidents in the last 3 months, against 15 in the same period of 2016").
   */
  yearOnYear: Array<{ period: 'month' | 'three months'; priority: 'P1' | 'P2'; now: number; yearEarlier: number }>;
  /** % of resolution clocks met per final priority: incidents and service requests apart. */
  trend: { incident: TrendRow[]; service_request: TrendRow[] };
  demand: Array<{ month: string; partial: boolean; incidents: Priorities; serviceRequests: number; total: number }>;
  backlog: Array<{ week: string; total: number; ticketIds: string[] }>;
  suppliers: Array<{
    supplierId: string;
    name: string;
    tickets: number;
    ticketIds: string[];
    p1p2: number;
    p1p2Ids: string[];
    resolved: number;
    firstTimeFixes: number;
    firstTimeFixPct: number | null;
    meanWorkingMinutesToResolve: number | null;
    breaches: number;
    outageMinutes: number;
    contract: Array<{ measure: string; target: number; actual: number | null; rag: Rag }>;
  }>;
  availability: {
    month: string;
    minutesInMonth: number;
    services: AvailabilityRow[];
    underItManagement: { outageMinutes: number };
    outsideItManagement: { outageMinutes: number };
  };
  satisfaction: { month: Record<string, number | null> | null; lastThreeMonthsNps: number | null };
  majorIncidents: MajorIncidentEntry[];
  /** The definition of each table's figures, printed under it. */
  definitions: Record<keyof typeof FIGURES, FigureDefinition>;
}

type IncidentPriority = 'P1' | 'P2' | 'P3' | 'P4';
/** The committees' order of the metric table. */
const METRIC_ORDER = ['SD3', 'SD4', 'SD5', 'SD6', 'IM1', 'IM2', 'IM3', 'IM4', 'SRM1', 'SRM2'];
const KIND_PLURAL: Record<string, string> = {
  incident: 'incidents',
  service_request: 'service requests',
  starter_mover_leaver: 'starters, movers and leavers',
};
const pickPeriod = (rows: Array<Record<string, unknown>>, period: string) =>
  (rows.find((r) => r.period === period) ?? null) as Record<string, number | null> | null;
const plural = (n: number, one: string, many: string) => (n === 1 ? `was 1 ${one}` : `were ${n} ${many}`);
const pct = (part: number, whole: number) => (whole ? Math.round((10_000 * part) / whole) / 100 : null);

/** Builds the summary of one tenant's month from the read models. */
export async function buildServiceDeliverySummary(
  q: ReportQueries,
  options: { tenantId: string; month: string; zone: string; logPosition: LogPosition | undefined; now: Date },
): Promise<ServiceDeliverySummary> {
  const { tenantId, month, zone } = options;
  const now = options.now.getTime();
  const first = DateTime.fromFormat(month, 'yyyy-MM', { zone });
  const monthEnd = first.plus({ months: 1 });
  const partial = now < monthEnd.toMillis();
  const yearAgo = first.minus({ months: 11 }).toFormat('yyyy-MM');
  const names = await q.catalogueNames();
  const tenantName = names.get(`tenant:${tenantId}`) ?? tenantId;
  const policy = await q.slaPolicyAt(tenantId, Math.min(now, monthEnd.toMillis() - 1));
  // Committee codes (SD2, IM10 ...) belong to policies that name their targets so (City of London's).
  // A reference that only repeats the priority (the Shared ICT policy's "P2") is no code.
  const codeOf = (reference: string | null, priority: string) => (reference && reference !== priority ? reference : null);
  const coded = !!policy?.targets.some((t) => codeOf(t.reference ?? null, t.priority));

  const incidents = await q.priorityIncidents({ tenantId, month, zone, names });
  const counts = { P1: incidents.filter((t) => t.priority === 'P1').length, P2: incidents.filter((t) => t.priority === 'P2').length };
  const split = (under: boolean) => {
    const xs = incidents.filter((t) => t.underItManagement === under);
    return { count: xs.length, outageMinutes: xs.reduce((n, t) => n + t.outageMinutes, 0) };
  };
  const sla = await q.slaPerformance({ tenantId, range: { from: yearAgo, to: month }, granularity: 'month', dimension: 'all' });
  const thisMonth = sla.rows.filter((r) => r.period === month);
  const demandRows = await q.demand({ tenantId, range: { from: first.minus({ months: 14 }).toFormat('yyyy-MM'), to: month }, granularity: 'month', now, zone });
  const satisfactionRows = await q.satisfaction({ tenantId, range: { from: first.minus({ months: 2 }).toFormat('yyyy-MM'), to: month }, granularity: 'month' });
  const backlog = await q.agedBacklog({
    tenantId,
    fromWeek: first.minus({ weeks: 12 }).toISODate()!,
    toWeek: monthEnd.minus({ days: 1 }).toISODate()!,
    now: Math.min(now, monthEnd.toMillis()),
    days: 30,
    zone,
  });

  const metrics: SummaryMetric[] = [];
  const order = (ref: string | null) => {
    const i = METRIC_ORDER.indexOf(ref ?? '');
    return i < 0 ? METRIC_ORDER.length : i;
  };
  const calendarOf = (id: string | undefined) => policy?.calendars.find((c) => c.id === id);
  for (const r of thisMonth.sort(
    (a, b) =>
      order(a.reference) - order(b.reference) || a.kind.localeCompare(b.kind) || a.priority.localeCompare(b.priority) || a.metric.localeCompare(b.metric),
  )) {
    const target = policy?.targets.find((t) => t.kind === r.kind && t.priority === r.priority && t.metric === r.metric);
    const within = r.targetMinutes === null ? '' : ` within ${targetText(r.targetMinutes, calendarOf(target?.calendarId))}`;
    metrics.push({
      reference: codeOf(r.reference, r.priority),
      priority: r.priority,
      kind: r.kind,
      metric: r.metric,
      measure: `${r.priority} ${KIND_PLURAL[r.kind] ?? r.kind} ${r.metric === 'response' ? 'responded to' : 'resolved'}${within}`,
      target: within.slice(8) || undefined,
      actual: r.pctMet,
      unit: '%',
      goal: r.goalPct === null ? '—' : `${r.goalPct}%`,
      rag: r.goalPct === null ? 'grey' : rag(r.pctMet, r.goalPct, 'higher'),
      total: r.total,
      met: r.met,
    });
  }
  const code = (c: string) => (coded ? c : null);
  const monthDemand = demandRows.filter((r) => r.period === month);
  const incidentsResolved = monthDemand.reduce((n, r) => n + r.incidentsResolved, 0);
  const firstLine = monthDemand.reduce((n, r) => n + r.firstLineFixes, 0);
  const sd2 = pct(firstLine, incidentsResolved);
  metrics.push({
    reference: code('SD2'),
    measure: 'Incidents fixed by the service desk at first line',
    actual: sd2,
    unit: '%',
    goal: 'over 87.5%',
    rag: rag(sd2, 87.5, 'higher'),
    total: incidentsResolved,
    met: firstLine,
  });
  const sat = pickPeriod(satisfactionRows, month);
  metrics.push({
    reference: code('SD7'),
    measure: 'Users reporting a good or very good experience',
    actual: sat?.goodOrVeryGoodPct ?? null,
    unit: '%',
    goal: '—',
    rag: 'grey',
    total: sat?.satisfactionAnswers ?? 0,
    met: sat?.positive ?? 0,
  });
  metrics.push({
    reference: code('SD11'),
    measure: 'Complaints and escalations',
    actual: sat?.complaints ?? 0,
    unit: 'tickets',
    goal: 'volume',
    rag: 'grey',
    total: null,
    met: null,
  });
  metrics.push({
    reference: code('IM10'),
    measure: 'Tickets open over 30 days (latest week)',
    actual: backlog.weeks.at(-1)?.total ?? 0,
    unit: 'tickets',
    goal: 'volume, weekly',
    rag: 'grey',
    total: null,
    met: null,
  });

  const months = Array.from({ length: 12 }, (_, i) => first.minus({ months: 11 - i }).toFormat('yyyy-MM'));
  const resolutionPct = (m: string, kind: string, p: string) => {
    const rows = sla.rows.filter((r) => r.period === m && r.kind === kind && r.priority === p && r.metric === 'resolution');
    return pct(
      rows.reduce((n, r) => n + r.met, 0),
      rows.reduce((n, r) => n + r.total, 0),
    );
  };
  const trendOf = (kind: string) =>
    months.map((m) => ({
      month: m,
      P1: resolutionPct(m, kind, 'P1'),
      P2: resolutionPct(m, kind, 'P2'),
      P3: resolutionPct(m, kind, 'P3'),
      P4: resolutionPct(m, kind, 'P4'),
    }));
  const demand = months.map((m) => {
    const rows = demandRows.filter((x) => x.period === m);
    const incidentsBy = { P1: 0, P2: 0, P3: 0, P4: 0 };
    for (const r of rows.filter((x) => x.kind === 'incident')) incidentsBy[r.priority as IncidentPriority] += r.raised;
    const serviceRequests = rows.filter((x) => x.kind === 'service_request').reduce((n, r) => n + r.raised, 0);
    return { month: m, partial: rows.some((r) => r.partial), incidents: incidentsBy, serviceRequests, total: rows.reduce((n, r) => n + r.raised, 0) };
  });

  const raisedIn = (p: string, monthsBack: number, span: number) => {
    const months = Array.from({ length: span }, (_, i) => first.minus({ months: monthsBack + i }).toFormat('yyyy-MM'));
    return demandRows.filter((r) => r.kind === 'incident' && r.priority === p && months.includes(r.period)).reduce((n, r) => n + r.raised, 0);
  };
  const yearOnYear = (['P1', 'P2'] as const).flatMap((priority) => [
    { period: 'month' as const, priority, now: raisedIn(priority, 0, 1), yearEarlier: raisedIn(priority, 12, 1) },
    { period: 'three months' as const, priority, now: raisedIn(priority, 0, 3), yearEarlier: raisedIn(priority, 12, 3) },
  ]);
  const cards = await q.supplierScorecards({ month, zone, tenantId, now });
  const suppliers = cards
    .filter((c) => c.tickets > 0 || c.resolved > 0 || c.outageMinutes > 0)
    .map((c) => ({
      supplierId: c.supplierId,
      name: c.name,
      tickets: c.tickets,
      ticketIds: c.raisedTickets.map((t) => t.ticketId),
      p1p2: c.p1p2.length,
      p1p2Ids: c.p1p2.map((t) => t.ticketId),
      resolved: c.resolved,
      firstTimeFixes: c.resolvedTickets.filter((t) => t.firstTimeFix).length,
      firstTimeFixPct: c.firstTimeFixPct,
      meanWorkingMinutesToResolve: c.meanWorkingMinutesToResolve,
      breaches: c.breaches,
      outageMinutes: c.outageMinutes,
      contract: c.contract,
    }));
  const availability = await q.serviceAvailability({ month, zone, tenantId, now });
  const npsRows = satisfactionRows.filter((r) => r.nps !== null);
  const lastThreeMonthsNps = npsRows.length ? Math.round(npsRows.reduce((n, r) => n + (r.nps ?? 0), 0) / npsRows.length) : null;
  const localMonth = (iso: string | null) => (iso === null ? null : DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM'));
  const register = (await q.majorIncidents({ tenantId, names })).filter((m) => localMonth(m.raisedAt) === month || localMonth(m.declaredAt) === month);

  const within = incidents.filter((t) => t.resolvedWithinTarget === true).length;
  const summary = [
    `There ${plural(counts.P1, 'P1 incident', 'P1 incidents')} for ${tenantName}.`,
    `There ${plural(counts.P2, 'P2 incident', 'P2 incidents')} for ${tenantName}.`,
    incidents.length ? `${within} of ${incidents.length} P1 and P2 incidents were resolved within target.` : 'There were no P1 or P2 incidents.',
    ...(['P1', 'P2'] as const).map((p) => {
      const [m, q3] = [
        yearOnYear.find((y) => y.priority === p && y.period === 'month')!,
        yearOnYear.find((y) => y.priority === p && y.period === 'three months')!,
      ];
      return `${p} incidents: ${m.now} this month (${m.yearEarlier} in the same month a year earlier); ${q3.now} in the last 3 months (${q3.yearEarlier} a year earlier).`;
    }),
    lastThreeMonthsNps === null
      ? 'No Net Promoter Score answers in the last 3 months.'
      : `The Net Promoter Score average for the last 3 months is ${lastThreeMonthsNps}${lastThreeMonthsNps > 50 ? ' (over 50 is very good)' : ''}.`,
    sat?.goodOrVeryGoodPct == null
      ? 'No satisfaction survey answers this month.'
      : `${sat.goodOrVeryGoodPct}% of users who answered the satisfaction survey reported a good or very good experience.`,
  ];
  return {
    tenantId,
    tenantName,
    month,
    zone,
    monthName: first.setLocale('en-GB').toFormat('LLLL yyyy'),
    partial,
    asOf: options.now.toISOString(),
    logPosition: showPosition(options.logPosition),
    generatedAt: options.now.toISOString(),
    summary,
    counts,
    priorityIncidents: incidents,
    priorityIncidentsByManagement: { underItManagement: split(true), outsideItManagement: split(false) },
    yearOnYear,
    metrics,
    trend: { incident: trendOf('incident'), service_request: trendOf('service_request') },
    demand,
    backlog: backlog.weeks.map((w) => ({ week: w.week, total: w.total, ticketIds: w.ticketIds })),
    suppliers,
    availability,
    satisfaction: { month: sat, lastThreeMonthsNps },
    majorIncidents: register,
    definitions: FIGURES,
  };
}
