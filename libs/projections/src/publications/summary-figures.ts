import { DateTime } from 'luxon';
import type { GroupServiceDeliverySummary, SideBySide } from '../summary/group-summary';
import type { ServiceDeliverySummary } from '../summary/service-delivery-summary';

export type FigureValue = number | string | boolean | null;

/**
 * One figure of a published document, named by a stable path (`metrics[incident.P2.resolution].actual`,
 * `counts.P2`, `demand[2023-07].incidents.P1`): rows are named by what they are about (a month, a
 * week, a supplier, a ticket, a measure), never by their place in a list, so the same figure has the
 * same path in the document as published and as built today.
 */
export interface Figure {
  path: string;
  value: FigureValue;
  /** The table it belongs to (counts, metrics, demand ...). */
  table: string;
  /** The tenants whose facts make it. */
  tenantIds: string[];
  /** The tickets the document lists for it, as `<tenantId>.<ticketId>`. */
  tickets: string[];
  /** The business time it counts, as [from, to) instants (ms). */
  periods: Array<[number, number]>;
  /** A group's total: made of its members' figures, with no facts of its own. */
  total?: boolean;
}

/** The committees' codes of the measures that are not SLA clocks, by what they measure: their key whatever the policy calls them. */
const DESK_MEASURES: Record<string, string> = {
  'Incidents fixed by the service desk at first line': 'SD2',
  'Users reporting a good or very good experience': 'SD7',
  'Complaints and escalations': 'SD11',
  'Tickets open over 30 days (latest week)': 'IM10',
};
const SATISFACTION_FIELDS = [
  'feedback',
  'resolved',
  'satisfactionAnswers',
  'positive',
  'neutral',
  'negative',
  'promoters',
  'detractors',
  'responseRatePct',
  'positivePct',
  'neutralPct',
  'negativePct',
  'goodOrVeryGoodPct',
  'npsAnswers',
  'nps',
  'complaints',
];
const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;

/** A key inside brackets: `\` and `]` escaped, so operators' names cannot make two paths one. */
const key = (k: string) => k.replace(/[\\\]]/g, '\\$&');

/** Collects figures; a path met twice (two rows alike) gets ` #2`, so no figure hides another. */
class Figures {
  readonly list: Figure[] = [];
  private readonly seen = new Map<string, number>();

  add(f: Omit<Figure, 'value'> & { value: FigureValue | undefined }): void {
    const n = (this.seen.get(f.path) ?? 0) + 1;
    this.seen.set(f.path, n);
    this.list.push({ ...f, path: n === 1 ? f.path : `${f.path} #${n}`, value: f.value ?? null });
  }
}

/**
 * The figures of a tenant's monthly summary, flattened: every count, percentage, goal and RAG of
 * every table; the ticket lists each figure is made of; the months it counts. `prefix` names a
 * member's page inside a group's (`members[CoL].`).
 */
export function summaryFigures(s: ServiceDeliverySummary, prefix = ''): Figure[] {
  const out = new Figures();
  const tenantIds = [s.tenantId];
  const start = DateTime.fromFormat(s.month, 'yyyy-MM', { zone: s.zone });
  /** `months` months ending `back` months before the summary's month. */
  const span = (months = 1, back = 0): [number, number] => [
    start.minus({ months: back + months - 1 }).toMillis(),
    start.minus({ months: back }).plus({ months: 1 }).toMillis(),
  ];
  const monthOf = (m: string): [number, number] => {
    const first = DateTime.fromFormat(m, 'yyyy-MM', { zone: s.zone });
    return [first.toMillis(), first.plus({ months: 1 }).toMillis()];
  };
  const ticket = (id: string) => `${s.tenantId}.${id}`;
  const add = (path: string, value: FigureValue | undefined, table: string, tickets: string[] = [], periods: Array<[number, number]> = [span()]) =>
    out.add({ path: `${prefix}${path}`, value, table, tenantIds, tickets, periods });

  const incidents = s.priorityIncidents;
  for (const p of ['P1', 'P2'] as const)
    add(
      `counts.${p}`,
      s.counts[p],
      'counts',
      incidents.filter((t) => t.priority === p).map((t) => ticket(t.id)),
    );
  for (const side of ['underItManagement', 'outsideItManagement'] as const) {
    const listed = incidents.filter((t) => t.underItManagement === (side === 'underItManagement')).map((t) => ticket(t.id));
    add(`priorityIncidentsByManagement.${side}.count`, s.priorityIncidentsByManagement[side].count, 'counts', listed);
    add(`priorityIncidentsByManagement.${side}.outageMinutes`, s.priorityIncidentsByManagement[side].outageMinutes, 'counts', listed);
  }
  for (const t of incidents) {
    for (const field of ['priority', 'outageMinutes', 'resolvedWithinTarget'] as const)
      add(`priorityIncidents[${key(t.id)}].${field}`, t[field], 'priorityIncidents', [ticket(t.id)]);
  }

  const aged = (s.backlog.at(-1)?.ticketIds ?? []).map(ticket);
  for (const m of s.metrics) {
    const name = m.metric ? `${m.kind}.${m.priority}.${m.metric}` : (DESK_MEASURES[m.measure] ?? m.measure);
    const listed = name === 'IM10' ? aged : [];
    for (const field of ['actual', 'met', 'total', 'goal', 'rag'] as const) add(`metrics[${key(name)}].${field}`, m[field], 'metrics', listed);
  }

  for (const y of s.yearOnYear) {
    const months = y.period === 'month' ? 1 : 3;
    add(`yearOnYear[${y.priority} ${y.period}].now`, y.now, 'yearOnYear', [], [span(months)]);
    add(`yearOnYear[${y.priority} ${y.period}].yearEarlier`, y.yearEarlier, 'yearOnYear', [], [span(months, 12)]);
  }
  for (const kind of ['incident', 'service_request'] as const) {
    for (const row of s.trend[kind]) for (const p of PRIORITIES) add(`trend.${kind}[${row.month}].${p}`, row[p], 'trend', [], [monthOf(row.month)]);
  }
  for (const d of s.demand) {
    for (const p of PRIORITIES) add(`demand[${d.month}].incidents.${p}`, d.incidents[p], 'demand', [], [monthOf(d.month)]);
    add(`demand[${d.month}].serviceRequests`, d.serviceRequests, 'demand', [], [monthOf(d.month)]);
    add(`demand[${d.month}].total`, d.total, 'demand', [], [monthOf(d.month)]);
  }
  // Who is in a week's backlog is its list: the tickets named then or now are what moved it.
  for (const w of s.backlog) add(`backlog[${w.week}].total`, w.total, 'backlog', w.ticketIds.map(ticket), []);

  for (const x of s.suppliers) {
    const listed = [...new Set([...x.ticketIds, ...x.p1p2Ids])].map(ticket);
    const at = `suppliers[${key(x.supplierId)}]`;
    for (const field of [
      'tickets',
      'p1p2',
      'resolved',
      'firstTimeFixes',
      'firstTimeFixPct',
      'meanWorkingMinutesToResolve',
      'breaches',
      'outageMinutes',
    ] as const)
      add(`${at}.${field}`, x[field], 'suppliers', listed);
    for (const c of x.contract) {
      for (const field of ['target', 'actual', 'rag'] as const) add(`${at}.contract[${key(c.measure)}].${field}`, c[field], 'suppliers', listed);
    }
  }

  const outageTickets = (services: typeof s.availability.services) => [
    ...new Set(services.flatMap((v) => v.outages.filter((o) => o.ticketId !== null).map((o) => `${o.tenantId}.${o.ticketId}`))),
  ];
  for (const v of s.availability.services) {
    for (const field of ['outageMinutes', 'availabilityPct', 'targetPct', 'targetMet'] as const)
      add(`availability.services[${key(v.serviceId)}].${field}`, v[field], 'availability', outageTickets([v]));
  }
  for (const side of ['underItManagement', 'outsideItManagement'] as const) {
    add(
      `availability.${side}.outageMinutes`,
      s.availability[side].outageMinutes,
      'availability',
      outageTickets(s.availability.services.filter((v) => v.underItManagement === (side === 'underItManagement'))),
    );
  }

  for (const field of SATISFACTION_FIELDS) add(`satisfaction.month.${field}`, s.satisfaction.month?.[field], 'satisfaction');
  add('satisfaction.lastThreeMonthsNps', s.satisfaction.lastThreeMonthsNps, 'satisfaction', [], [span(3)]);

  const register = s.majorIncidents.map((m) => `${m.ticketTenantId}.${m.ticketId}`);
  add('majorIncidents.count', s.majorIncidents.length, 'majorIncidents', register);
  for (const m of s.majorIncidents) {
    const ticket = `${m.ticketTenantId}.${m.ticketId}`;
    const listed = [ticket];
    for (const field of ['status', 'outageMinutes'] as const) add(`majorIncidents[${key(ticket)}].${field}`, m[field], 'majorIncidents', listed);
  }
  return out.list;
}

/**
 * The figures of a group's monthly summary: each member's own page (`members[CoL].…`, exactly its
 * tenant's figures), then the group's totals (`total.…`), each row of a side-by-side table named by
 * its label.
 */
export function groupSummaryFigures(g: GroupServiceDeliverySummary): Figure[] {
  const out = new Figures();
  for (const f of g.members.flatMap((m) => summaryFigures(m, `members[${key(m.tenantId)}].`))) out.add(f);
  const add = (path: string, value: FigureValue | undefined, table: string) =>
    out.add({ path: `total.${path}`, value, table, tenantIds: g.tenantIds, tickets: [], periods: [], total: true });
  const total = g.counts['*'];
  for (const p of ['P1', 'P2'] as const) add(`counts.${p}`, total?.[p], 'counts');
  for (const y of g.yearOnYear) {
    add(`yearOnYear[${y.priority} ${y.period}].now`, y.now, 'yearOnYear');
    add(`yearOnYear[${y.priority} ${y.period}].yearEarlier`, y.yearEarlier, 'yearOnYear');
  }
  const tables: Record<string, SideBySide[]> = {
    metrics: g.metrics,
    demand: g.demand,
    backlog: g.backlog,
    suppliers: g.suppliers,
    availability: g.availability,
    satisfaction: g.satisfaction,
  };
  for (const [table, rows] of Object.entries(tables)) {
    for (const r of rows) {
      const at = `${table}[${key(r.reference ? `${r.reference} ${r.label}` : r.label)}]`;
      for (const field of ['actual', 'met', 'total'] as const) add(`${at}.${field}`, r.group[field], table);
    }
  }
  return out.list;
}
