import { GROUP, type GroupServiceDeliverySummary, type SideBySide } from '@itsm/projections';
import { withinTarget } from './cell-text';
import { columns, type SummarySection, type SummaryTable, type TableCell, type TableColumn } from './summary-table';

/** A column per member, then the group's. */
const memberColumns = (s: GroupServiceDeliverySummary, first: TableColumn[]): TableColumn[] => [
  ...first,
  ...s.tenantIds.map((t) => ({ header: t, weight: 4, align: 'right' as const })),
  ...columns(['Group', 4, 'right']),
];

/** One side-by-side table: a column per member and the group's; a ratio's counts beside its figure. */
export function sideBySideTable(s: GroupServiceDeliverySummary, head: string, rows: SideBySide[], empty?: string): SummaryTable {
  const cell = (r: SideBySide, c: SideBySide['group'] | undefined): TableCell => {
    if (c === undefined) return null;
    const figure = c.actual === null ? null : `${c.actual}${r.unit}`;
    return c.total === null ? figure : { figure, counted: `${c.met} / ${c.total}` };
  };
  const refs = rows.some((r) => r.reference);
  const goals = rows.some((r) => r.goal);
  return {
    columns: [...memberColumns(s, [...(refs ? columns(['Ref', 3]) : []), ...columns([head, 12])]), ...(goals ? columns(['Goal', 4, 'right']) : [])],
    rows: rows.map((r) => [
      ...(refs ? [r.reference] : []),
      r.label,
      ...s.tenantIds.map((t) => cell(r, r.byTenant[t])),
      cell(r, r.group),
      ...(goals ? [r.goal] : []),
    ]),
    empty,
    compact: true,
  };
}

/** The tables of a tenant group's monthly summary, each once, as every text format shows them. */
export function groupSummaryTables(s: GroupServiceDeliverySummary) {
  return {
    counts: {
      columns: memberColumns(s, columns(['Priority', 6])),
      rows: (['P1', 'P2'] as const).map((p) => [p, ...s.tenantIds.map((t) => s.counts[t]?.[p] ?? null), s.counts[GROUP]?.[p] ?? null]),
    },
    priorityIncidents: {
      columns: columns(['Tenant', 4], ['Ticket', 7], ['Priority', 4], ['Affected service', 8], ['Reason', 10], ['Supplier', 7], ['Resolved within target', 6]),
      rows: s.priorityIncidents.map((t) => [t.tenantId, t.id, t.priority, t.service, t.reason, t.supplier, withinTarget(t.resolvedWithinTarget)]),
      empty: 'There were no P1 or P2 incidents.',
    },
    serviceLevels: sideBySideTable(s, 'Measure', s.metrics),
    demand: sideBySideTable(s, 'Tickets', s.demand),
    backlog: sideBySideTable(s, 'Week starting (Monday)', s.backlog),
    suppliers: sideBySideTable(s, 'Supplier', s.suppliers, 'No supplier activity.'),
    availability: sideBySideTable(s, 'Service', s.availability),
    satisfaction: sideBySideTable(s, 'Answers', s.satisfaction, 'No feedback this month.'),
    majorIncidents: {
      columns: columns(['Reference', 5], ['Ticket', 6], ['Members affected', 5], ['Service', 6], ['Description', 10], ['Status', 4], ['Cause', 8]),
      rows: s.majorIncidents.map((m) => [
        m.reference,
        `${m.ticketId} (${m.ticketTenantId})`,
        m.memberTenantIds.join(', '),
        m.service,
        m.description,
        m.status,
        m.rootCause,
      ]),
      empty: 'No major incidents were declared.',
    },
  } satisfies Record<string, SummaryTable>;
}

/** The sections of a group's summary: its members side by side with the group, each table with its definition. */
export function groupSummarySections(s: GroupServiceDeliverySummary): SummarySection[] {
  const t = groupSummaryTables(s);
  const d = s.definitions;
  const yearOnYear = s.yearOnYear
    .filter((y) => y.period === 'three months')
    .map((y) => `${y.priority} incidents in the last 3 months across the group: ${y.now} (${y.yearEarlier} in the same period a year earlier).`);
  return [
    {
      heading: 'P1 and P2 incidents',
      blocks: [{ table: t.counts }, { bullets: yearOnYear }, { table: t.priorityIncidents }, { definition: d.priorityIncidents }],
    },
    { heading: 'Service levels', blocks: [{ table: t.serviceLevels }, { definition: d.slaPerformance }] },
    { heading: `Demand: tickets raised in ${s.monthName}`, blocks: [{ table: t.demand }, { definition: d.demand }] },
    { heading: 'Aged backlog (open over 30 days)', blocks: [{ table: t.backlog }, { definition: d.agedBacklog }] },
    { heading: 'Supplier first-time fix', blocks: [{ table: t.suppliers }, { definition: d.suppliers }] },
    {
      heading: 'Availability',
      blocks: [
        { table: t.availability },
        {
          text: "Each member's availability counts the outages recorded against it; the group's, the union of its members' outages, is in the group's service-availability report.",
        },
        { definition: d.availability },
      ],
    },
    { heading: 'Customer satisfaction', blocks: [{ table: t.satisfaction }, { definition: d.satisfaction }] },
    { heading: 'Major incidents', blocks: [{ table: t.majorIncidents }, { definition: d.majorIncidents }] },
  ];
}
