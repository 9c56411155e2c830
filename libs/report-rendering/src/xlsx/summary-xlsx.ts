import { DateTime } from 'luxon';
import {
  GROUP,
  type FigureDefinition,
  type GroupServiceDeliverySummary,
  type ServiceDeliverySummary,
  type SideBySide,
  type SummaryStamp,
} from '@itsm/projections';
import { writeWorkbook, type XlsxSheet, type XlsxValue } from './xlsx-workbook';

/** A sheet from a header and rows: widths from the header. */
const sheet = (name: string, header: string[], rows: XlsxValue[][]): XlsxSheet => ({ name, columns: header.map((h) => ({ header: h })), rows });
/** An instant as the tenant's local time, as the page prints it. */
const localTime = (iso: string | null, zone: string) => (iso === null ? null : DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd HH:mm'));

/** Where the figures stand, first on the first sheet. */
function about(
  title: string,
  at: { month: string; partial: boolean; asOf: string; generatedAt: string },
  stamp: SummaryStamp,
  more: Array<[string, XlsxValue]>,
): XlsxValue[][] {
  return [
    ['Title', title],
    ['Month', at.month],
    ['Month in progress', at.partial],
    ['As of', at.asOf],
    ['Generated at', at.generatedAt],
    ['Log position', stamp.logPosition],
    ['Global chain head hash', stamp.headGlobalHash],
    ...(stamp.lines ?? []),
    ...more,
  ];
}

/** Each figure's written definition, as printed under its table. */
const definitions = (d: Record<string, FigureDefinition>) =>
  sheet(
    'Definitions',
    ['Figure', 'Title', 'Who counts', 'When', 'Period', 'Met'],
    Object.entries(d).map(([k, v]) => [k, v.title, v.population, v.clock, v.period, v.met]),
  );

/** P1 and P2 incidents raised, against the same periods a year earlier. */
const yearOnYear = (rows: ServiceDeliverySummary['yearOnYear']) =>
  sheet(
    'Year on year',
    ['Period', 'Priority', 'Raised', 'A year earlier'],
    rows.map((y) => [y.period, y.priority, y.now, y.yearEarlier]),
  );

/** The ticket lists behind the figures, one sheet each; in a group's workbook each row names its tenant first. */
function ticketListSheets(members: ServiceDeliverySummary[], zone: string, byTenant: boolean): XlsxSheet[] {
  const t = (iso: string | null) => localTime(iso, zone);
  const list = (name: string, header: string[], rows: (m: ServiceDeliverySummary) => XlsxValue[][]) =>
    sheet(
      name,
      [...(byTenant ? ['Tenant'] : []), ...header],
      members.flatMap((m) => rows(m).map((r) => (byTenant ? [m.tenantId, ...r] : r))),
    );
  return [
    list('Backlog tickets', ['Week starting (Monday)', 'Ticket'], (m) => m.backlog.flatMap((b) => b.ticketIds.map((id) => [b.week, id]))),
    list('Supplier tickets', ['Supplier id', 'Supplier', 'List', 'Ticket'], (m) =>
      m.suppliers.flatMap((x) => [
        ...x.ticketIds.map((id) => [x.supplierId, x.name, 'raised', id]),
        ...x.p1p2Ids.map((id) => [x.supplierId, x.name, 'P1/P2', id]),
      ]),
    ),
    list('Outages', ['Service id', 'Service', 'Ticket', `From (${zone})`, `To (${zone})`, 'Minutes in month'], (m) =>
      m.availability.services.flatMap((v) =>
        v.outages.map((o) => [v.serviceId, v.name, o.ticketId ?? "another organisation's ticket", t(o.from), t(o.to), o.minutesInMonth]),
      ),
    ),
  ];
}

/** The sheets of a tenant's summary: one per table, then the ticket lists behind them. */
export function summarySheets(s: ServiceDeliverySummary, stamp: SummaryStamp): XlsxSheet[] {
  const t = (iso: string | null) => localTime(iso, s.zone);
  const trend = (rows: ServiceDeliverySummary['trend']['incident']) => rows.map((r) => [r.month, r.P1, r.P2, r.P3, r.P4]);
  const split = s.priorityIncidentsByManagement;
  const sat = s.satisfaction.month;
  return [
    sheet(
      'Summary',
      ['Item', 'Value'],
      [
        ...about(`IT Service Delivery Summary — ${s.tenantName}, ${s.monthName}`, s, stamp, [
          ['Tenant', s.tenantId],
          ['Tenant name', s.tenantName],
          ['Time zone', s.zone],
          ['P1 incidents', s.counts.P1],
          ['P2 incidents', s.counts.P2],
        ]),
        ...s.summary.map((line): XlsxValue[] => ['Summary', line]),
      ],
    ),
    sheet(
      'Service levels',
      ['Ref', 'Priority', 'Kind', 'Metric', 'Measure', 'Target', 'Actual', 'Unit', 'Goal', 'Met', 'Counted', 'RAG'],
      s.metrics.map((m) => [
        m.reference,
        m.priority ?? null,
        m.kind ?? null,
        m.metric ?? null,
        m.measure,
        m.target ?? null,
        m.actual,
        m.unit,
        m.goal,
        m.met,
        m.total,
        m.rag,
      ]),
    ),
    sheet('Incidents within SLA', ['Month', 'P1 %', 'P2 %', 'P3 %', 'P4 %'], trend(s.trend.incident)),
    sheet('Requests within SLA', ['Month', 'P1 %', 'P2 %', 'P3 %', 'P4 %'], trend(s.trend.service_request)),
    sheet(
      'Demand',
      ['Month', 'Month in progress', 'Incidents P1', 'Incidents P2', 'Incidents P3', 'Incidents P4', 'Service requests', 'All tickets'],
      s.demand.map((d) => [d.month, d.partial, d.incidents.P1, d.incidents.P2, d.incidents.P3, d.incidents.P4, d.serviceRequests, d.total]),
    ),
    yearOnYear(s.yearOnYear),
    sheet(
      'IT management',
      ['Services', 'P1/P2 incidents', 'P1/P2 outage minutes', 'Availability outage minutes'],
      [
        ["Under IT's management", split.underItManagement.count, split.underItManagement.outageMinutes, s.availability.underItManagement.outageMinutes],
        ["Outside IT's management", split.outsideItManagement.count, split.outsideItManagement.outageMinutes, s.availability.outsideItManagement.outageMinutes],
      ],
    ),
    sheet(
      'Aged backlog',
      ['Week starting (Monday)', 'Tickets open over 30 days'],
      s.backlog.map((b) => [b.week, b.total]),
    ),
    sheet(
      'Suppliers',
      [
        'Supplier id',
        'Supplier',
        'Tickets raised',
        'P1/P2 incidents',
        'Resolved',
        'First-time fixes',
        'First-time fix %',
        'Mean working minutes to resolve',
        'SLA breaches',
        'Outage minutes',
      ],
      s.suppliers.map((x) => [
        x.supplierId,
        x.name,
        x.tickets,
        x.p1p2,
        x.resolved,
        x.firstTimeFixes,
        x.firstTimeFixPct,
        x.meanWorkingMinutesToResolve,
        x.breaches,
        x.outageMinutes,
      ]),
    ),
    sheet(
      'Supplier contracts',
      ['Supplier id', 'Supplier', 'Measure', 'Target', 'Actual', 'RAG'],
      s.suppliers.flatMap((x) => x.contract.map((c) => [x.supplierId, x.name, c.measure, c.target, c.actual, c.rag])),
    ),
    sheet(
      'Availability',
      ['Service id', 'Service', 'Ownership', 'Under IT management', 'Supplier id', 'Outage minutes', 'Availability %', 'Target %', 'Target met'],
      s.availability.services.map((v) => [
        v.serviceId,
        v.name,
        v.ownership,
        v.underItManagement,
        v.supplierId,
        v.outageMinutes,
        v.availabilityPct,
        v.targetPct,
        v.targetMet,
      ]),
    ),
    sheet(
      'Satisfaction',
      ['Measure', 'Value'],
      [
        ...(sat
          ? Object.entries(sat)
              .filter(([k]) => k !== 'period')
              .map(([k, v]): XlsxValue[] => [k, v])
          : []),
        ['lastThreeMonthsNps', s.satisfaction.lastThreeMonthsNps],
      ],
    ),
    sheet(
      'P1 and P2 incidents',
      [
        'Ticket',
        'Priority',
        'Service id',
        'Affected service',
        'Under IT management',
        'Title',
        'Reason',
        'Resolution',
        'Supplier id',
        'Supplier',
        'Outage minutes',
        `Raised (${s.zone})`,
        `Resolved (${s.zone})`,
        'Status',
        'Major incident',
        'Resolved within target',
      ],
      s.priorityIncidents.map((x) => [
        x.id,
        x.priority,
        x.serviceId,
        x.service,
        x.underItManagement,
        x.title,
        x.reason,
        x.resolution,
        x.supplierId ?? null,
        x.supplier,
        x.outageMinutes,
        t(x.raisedAt),
        t(x.resolvedAt ?? null),
        x.status,
        x.majorIncident,
        x.resolvedWithinTarget,
      ]),
    ),
    ...ticketListSheets([s], s.zone, false),
    sheet(
      'Major incidents',
      [
        'Reference',
        'Ticket',
        'Ticket tenant',
        'Tenants affected',
        'Priority',
        'Service',
        'Description',
        'Status',
        `Raised (${s.zone})`,
        `Declared (${s.zone})`,
        `Resolved (${s.zone})`,
        'Cause',
        'Resolution',
        'Outage minutes',
      ],
      s.majorIncidents.map((m) => [
        m.reference,
        m.ticketId,
        m.ticketTenantId,
        m.tenantsAffected.join(', '),
        m.priority,
        m.service,
        m.description,
        m.status,
        t(m.raisedAt),
        t(m.declaredAt),
        t(m.resolvedAt),
        m.rootCause,
        m.resolution,
        m.outageMinutes,
      ]),
    ),
    definitions(s.definitions),
  ];
}

/** A side-by-side table: per member (and the group) its figure, and the counts a ratio divides. */
function sideBySideSheet(name: string, s: GroupServiceDeliverySummary, rows: SideBySide[]): XlsxSheet {
  const ratio = rows.some((r) => r.group.total !== null || Object.values(r.byTenant).some((c) => c.total !== null));
  const who = [...s.tenantIds, GROUP];
  const columns = who.flatMap((t) =>
    ratio
      ? [`${t === GROUP ? 'Group' : t} actual`, `${t === GROUP ? 'Group' : t} met`, `${t === GROUP ? 'Group' : t} counted`]
      : [`${t === GROUP ? 'Group' : t}`],
  );
  const cells = (c: SideBySide['group'] | undefined): XlsxValue[] => (ratio ? [c?.actual ?? null, c?.met ?? null, c?.total ?? null] : [c?.actual ?? null]);
  return sheet(
    name,
    ['Ref', 'Figure', 'Unit', 'Goal', ...columns],
    rows.map((r) => [r.reference, r.label, r.unit, r.goal, ...s.tenantIds.flatMap((t) => cells(r.byTenant[t])), ...cells(r.group)]),
  );
}

/** The sheets of a group's summary: the side-by-side tables, then every member's ticket lists, each row naming its tenant. */
export function groupSummarySheets(s: GroupServiceDeliverySummary, stamp: SummaryStamp): XlsxSheet[] {
  const zone = s.members[0]?.zone ?? 'UTC';
  const t = (iso: string | null) => localTime(iso, zone);
  return [
    sheet(
      'Summary',
      ['Item', 'Value'],
      about(`IT Service Delivery Summary — ${s.name}, ${s.monthName}`, s, stamp, [
        ['Group', s.groupId],
        ['Group name', s.name],
        ['Members', s.tenantIds.join(', ')],
        ...s.tenantIds.map((id): [string, XlsxValue] => [`Member ${id}`, s.tenantNames[id] ?? null]),
      ]),
    ),
    sheet(
      'P1 and P2 counts',
      ['Priority', ...s.tenantIds, 'Group'],
      (['P1', 'P2'] as const).map((p) => [p, ...s.tenantIds.map((id) => s.counts[id]?.[p] ?? null), s.counts[GROUP]?.[p] ?? null]),
    ),
    yearOnYear(s.yearOnYear),
    sideBySideSheet('Service levels', s, s.metrics),
    sideBySideSheet('Demand', s, s.demand),
    sideBySideSheet('Aged backlog', s, s.backlog),
    sideBySideSheet('Supplier first-time fix', s, s.suppliers),
    sideBySideSheet('Availability', s, s.availability),
    sideBySideSheet('Satisfaction', s, s.satisfaction),
    sheet(
      'P1 and P2 incidents',
      [
        'Tenant',
        'Ticket',
        'Priority',
        'Service id',
        'Affected service',
        'Under IT management',
        'Title',
        'Reason',
        'Resolution',
        'Supplier',
        'Outage minutes',
        `Raised (${zone})`,
        `Resolved (${zone})`,
        'Status',
        'Resolved within target',
      ],
      s.priorityIncidents.map((x) => [
        x.tenantId,
        x.id,
        x.priority,
        x.serviceId,
        x.service,
        x.underItManagement,
        x.title,
        x.reason,
        x.resolution,
        x.supplier,
        x.outageMinutes,
        t(x.raisedAt),
        t(x.resolvedAt ?? null),
        x.status,
        x.resolvedWithinTarget,
      ]),
    ),
    ...ticketListSheets(s.members, zone, true),
    sheet(
      'Major incidents',
      [
        'Reference',
        'Ticket',
        'Ticket tenant',
        'Members affected',
        'Tenants affected',
        'Priority',
        'Service',
        'Description',
        'Status',
        `Raised (${zone})`,
        `Declared (${zone})`,
        `Resolved (${zone})`,
        'Cause',
        'Resolution',
        'Outage minutes',
      ],
      s.majorIncidents.map((m) => [
        m.reference,
        m.ticketId,
        m.ticketTenantId,
        m.memberTenantIds.join(', '),
        m.tenantsAffected.join(', '),
        m.priority,
        m.service,
        m.description,
        m.status,
        t(m.raisedAt),
        t(m.declaredAt),
        t(m.resolvedAt),
        m.rootCause,
        m.resolution,
        m.outageMinutes,
      ]),
    ),
    definitions(s.definitions),
  ];
}

/** The monthly Service Delivery Summary as an XLSX workbook, stamped with its log position and head hash. */
export function renderSummaryXlsx(s: ServiceDeliverySummary, stamp: SummaryStamp): Promise<Buffer> {
  return writeWorkbook(summarySheets(s, stamp), {
    title: `IT Service Delivery Summary — ${s.tenantName}, ${s.monthName}`,
    subject: `log position ${stamp.logPosition ?? 'none'}; global chain head hash ${stamp.headGlobalHash}`,
    date: new Date(s.generatedAt),
  });
}

/** A tenant group's monthly summary as an XLSX workbook, stamped. */
export function renderGroupSummaryXlsx(s: GroupServiceDeliverySummary, stamp: SummaryStamp): Promise<Buffer> {
  return writeWorkbook(groupSummarySheets(s, stamp), {
    title: `IT Service Delivery Summary — ${s.name}, ${s.monthName}`,
    subject: `log position ${stamp.logPosition ?? 'none'}; global chain head hash ${stamp.headGlobalHash}`,
    date: new Date(s.generatedAt),
  });
}
