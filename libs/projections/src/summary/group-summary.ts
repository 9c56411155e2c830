import type { LogPosition } from '@itsm/event-store';
import { DateTime } from 'luxon';
import { FIGURES, type FigureDefinition } from '../reports/figure-definitions';
import type { ReportQueries } from '../reports/report-queries';
import { buildServiceDeliverySummary, type ServiceDeliverySummary } from './service-delivery-summary';

/** A figure of each member, and the group's: counts summed, percentages from the summed counts. */
export interface SideBySide {
  /** What the row measures (a metric, a priority, a service...). */
  label: string;
  reference: string | null;
  goal: string | null;
  /** '%' for a percentage of met ÷ total, '' for a volume. */
  unit: '%' | '';
  byTenant: Record<string, { actual: number | null; met: number | null; total: number | null }>;
  group: { actual: number | null; met: number | null; total: number | null };
}

/** The monthly Service Delivery Summary of a tenant group: its members' pages side by side (seed 000). */
export interface GroupServiceDeliverySummary {
  groupId: string;
  name: string;
  tenantIds: string[];
  tenantNames: Record<string, string>;
  month: string;
  monthName: string;
  partial: boolean;
  asOf: string;
  logPosition: string | null;
  generatedAt: string;
  /** P1/P2 incident counts per member and for the group. */
  counts: Record<string, { P1: number; P2: number }>;
  /** The members' year-on-year P1/P2 counts, summed. */
  yearOnYear: ServiceDeliverySummary['yearOnYear'];
  /** Every member's P1/P2 incidents, each with its tenant. */
  priorityIncidents: Array<ServiceDeliverySummary['priorityIncidents'][number] & { tenantId: string }>;
  metrics: SideBySide[];
  demand: SideBySide[];
  backlog: SideBySide[];
  suppliers: SideBySide[];
  availability: SideBySide[];
  satisfaction: SideBySide[];
  /** Each major incident once, with the members it affected. */
  majorIncidents: Array<ServiceDeliverySummary['majorIncidents'][number] & { memberTenantIds: string[] }>;
  definitions: Record<keyof typeof FIGURES, FigureDefinition>;
  /** Each member's own page, exactly as its tenant reads it. */
  members: ServiceDeliverySummary[];
}

export const GROUP = '*';
const pct = (met: number, total: number) => (total ? Math.round((10_000 * met) / total) / 100 : null);

/**
 * Rows keyed across members: each member's figure where it has one, and the group's. A row whose
 * members count met and total gets the group percentage from their sums; a volume is summed.
 */
type Cell = {
  label: string;
  reference?: string | null;
  goal?: string | null;
  unit?: '%' | '';
  sortKey?: string;
  actual: number | null;
  met: number | null;
  total: number | null;
};
function sideBySide<T>(
  members: ServiceDeliverySummary[],
  rowsOf: (s: ServiceDeliverySummary) => T[],
  keyOf: (r: T) => string,
  cell: (r: T) => Cell,
  kind: 'ratio' | 'volume',
): SideBySide[] {
  const rows = new Map<string, SideBySide>();
  const sortKeys = new Map<SideBySide, string>();
  for (const s of members) {
    for (const r of rowsOf(s)) {
      const c = cell(r);
      const key = keyOf(r);
      const row = rows.get(key) ?? {
        label: c.label,
        reference: c.reference ?? null,
        goal: c.goal ?? null,
        unit: c.unit ?? (kind === 'ratio' ? '%' : ''),
        byTenant: {},
        group: { actual: null, met: null, total: null },
      };
      if (c.sortKey !== undefined) sortKeys.set(row, c.sortKey);
      if (row.goal !== (c.goal ?? null)) row.goal = null; // members with different goals: no group goal
      row.byTenant[s.tenantId] = { actual: c.actual, met: c.met, total: c.total };
      rows.set(key, row);
    }
  }
  for (const row of rows.values()) {
    const cells = Object.values(row.byTenant);
    const sum = (k: 'met' | 'total' | 'actual') => (cells.every((x) => x[k] !== null) ? cells.reduce((n, x) => n + (x[k] ?? 0), 0) : null);
    if (kind === 'ratio') {
      const [met, total] = [sum('met'), sum('total')];
      row.group = { met, total, actual: met === null || total === null ? null : pct(met, total) };
    } else row.group = { met: null, total: null, actual: sum('actual') };
  }
  // Rows one member lacks keep their place in the common order, where rows say one.
  return [...rows.values()].sort((a, b) => (sortKeys.get(a) ?? '').localeCompare(sortKeys.get(b) ?? ''));
}

/** Builds each member's summary of the month, then puts them side by side with the group's totals. */
export async function buildGroupServiceDeliverySummary(
  q: ReportQueries,
  options: { group: { groupId: string; name: string; tenantIds: string[] }; month: string; zone: string; logPosition: LogPosition | undefined; now: Date },
): Promise<GroupServiceDeliverySummary> {
  const { group, month, zone } = options;
  const members: ServiceDeliverySummary[] = [];
  for (const tenantId of group.tenantIds)
    members.push(await buildServiceDeliverySummary(q, { tenantId, month, zone, logPosition: options.logPosition, now: options.now }));
  const [first] = members;
  if (first === undefined) throw new Error(`Group ${group.groupId} has no members to summarise`);
  const counts: GroupServiceDeliverySummary['counts'] = Object.fromEntries(members.map((s) => [s.tenantId, s.counts]));
  counts[GROUP] = { P1: members.reduce((n, s) => n + s.counts.P1, 0), P2: members.reduce((n, s) => n + s.counts.P2, 0) };

  const metrics = sideBySide(
    members,
    (s) => s.metrics,
    (m) => `${m.reference ?? ''}|${m.measure}`,
    (m) => ({
      label: m.measure,
      reference: m.reference,
      goal: m.goal,
      unit: m.unit === '%' ? '%' : '',
      // SLA clocks by kind, priority and metric; the desk's measures after them, in the page's order.
      sortKey: m.metric
        ? `0|${m.kind}|${m.priority}|${m.metric === 'response' ? 0 : 1}`
        : `1|${['SD2', 'SD7', 'SD11', 'IM10'].indexOf(m.reference ?? '')}|${m.measure}`,
      actual: m.actual,
      met: m.unit === '%' ? m.met : null,
      total: m.unit === '%' ? m.total : null,
    }),
    'ratio',
  );
  // Volumes (complaints, aged tickets) are summed, not divided.
  for (const row of metrics.filter((r) => Object.values(r.byTenant).every((c) => c.total === null))) {
    row.group = { met: null, total: null, actual: Object.values(row.byTenant).reduce((n, c) => n + (c.actual ?? 0), 0) };
  }
  const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
  const demand = sideBySide(
    members,
    (s) => {
      const d = s.demand.at(-1)!;
      return [
        ...PRIORITIES.map((p) => [`Incidents ${p}`, d.incidents[p]] as const),
        ['Service requests', d.serviceRequests] as const,
        ['All tickets', d.total] as const,
      ];
    },
    ([label]) => label,
    ([label, n]) => ({ label, actual: n, met: null, total: null }),
    'volume',
  );
  const backlog = sideBySide(
    members,
    (s) => s.backlog,
    (w) => w.week,
    (w) => ({ label: DateTime.fromISO(w.week).setLocale('en-GB').toFormat('ccc d LLL yyyy'), actual: w.total, met: null, total: null }),
    'volume',
  );
  const suppliers = sideBySide(
    members,
    (s) => s.suppliers,
    (x) => x.supplierId,
    (x) => ({ label: x.name, actual: x.firstTimeFixPct, met: x.firstTimeFixes, total: x.resolved }),
    'ratio',
  );
  const availability = sideBySide(
    members,
    (s) => s.availability.services,
    (v) => v.serviceId,
    (v) => ({ label: v.name, goal: `${v.targetPct}%`, unit: '%', actual: v.availabilityPct, met: null, total: null }),
    'volume',
  );
  // A group's availability of a service is not a sum of its members': the figure is left to the
  // group's service-availability report (the union of their outages); here each member's stands.
  for (const row of availability) row.group = { actual: null, met: null, total: null };
  const satisfaction = sideBySide(
    members,
    (s) => (s.satisfaction.month ? [s.satisfaction.month] : []),
    () => 'good or very good',
    (m) => ({ label: 'Good or very good', actual: m.goodOrVeryGoodPct ?? null, met: m.positive ?? 0, total: m.satisfactionAnswers ?? 0 }),
    'ratio',
  );

  const majorIncidents = new Map<string, GroupServiceDeliverySummary['majorIncidents'][number]>();
  for (const s of members) {
    for (const m of s.majorIncidents) {
      const key = `${m.ticketTenantId}.${m.ticketId}`;
      const seen = majorIncidents.get(key);
      if (seen) seen.memberTenantIds.push(s.tenantId);
      else majorIncidents.set(key, { ...m, memberTenantIds: [s.tenantId] });
    }
  }
  return {
    groupId: group.groupId,
    name: group.name,
    tenantIds: group.tenantIds,
    tenantNames: Object.fromEntries(members.map((s) => [s.tenantId, s.tenantName])),
    month,
    monthName: first.monthName,
    partial: first.partial,
    asOf: first.asOf,
    logPosition: first.logPosition,
    generatedAt: first.generatedAt,
    counts,
    yearOnYear: first.yearOnYear.map((y) => ({
      ...y,
      now: members.reduce((n, s) => n + s.yearOnYear.find((x) => x.period === y.period && x.priority === y.priority)!.now, 0),
      yearEarlier: members.reduce((n, s) => n + s.yearOnYear.find((x) => x.period === y.period && x.priority === y.priority)!.yearEarlier, 0),
    })),
    priorityIncidents: members.flatMap((s) => s.priorityIncidents.map((t) => ({ ...t, tenantId: s.tenantId }))),
    metrics,
    demand,
    backlog,
    suppliers,
    availability,
    satisfaction,
    majorIncidents: [...majorIncidents.values()],
    definitions: FIGURES,
    members,
  };
}
