import type { ServiceDeliverySummary } from '@itsm/projections';
import { dayName, ids, localMinute, minutes, monthName, pct, withinTarget, yesNo } from './cell-text';
import { columns, type SummarySection, type SummaryTable } from './summary-table';

type TrendRows = ServiceDeliverySummary['trend']['incident'];

/**
 * The tables of a tenant's monthly summary, each once: its columns, headings and how a row reads.
 * The Markdown page (and the HTML page made from it) and the PDF lay out these same cells.
 */
export function summaryTables(s: ServiceDeliverySummary) {
  /** A month by name, with * when it had not ended. */
  const month = (m: string, partial = s.partial && m === s.month) => `${monthName(m)}${partial ? ' *' : ''}`;
  const trend = (rows: TrendRows): SummaryTable => ({
    columns: columns(['Month', 6], ['P1', 4, 'right'], ['P2', 4, 'right'], ['P3', 4, 'right'], ['P4', 4, 'right']),
    rows: rows.map((t) => [month(t.month), pct(t.P1), pct(t.P2), pct(t.P3), pct(t.P4)]),
  });
  const split = s.priorityIncidentsByManagement;
  const sat = s.satisfaction.month;
  return {
    priorityIncidents: {
      columns: columns(
        ['Ticket', 7],
        ['Priority', 4],
        ['Affected service', 8],
        ['Under IT management', 7],
        ['Reason', 9],
        ['Resolution', 9],
        ['Supplier', 7],
        ['Outage', 6, 'right'],
        ['Resolved within target', 6],
      ),
      rows: s.priorityIncidents.map((t) => [
        t.id,
        t.priority,
        t.service,
        yesNo(t.underItManagement),
        t.reason,
        t.resolution,
        t.supplier,
        t.outageMinutes ? minutes(t.outageMinutes) : null,
        withinTarget(t.resolvedWithinTarget),
      ]),
      empty: 'There were no P1 or P2 incidents.',
    },
    byManagement: {
      columns: columns(['Services', 10], ['P1/P2 incidents', 5, 'right'], ['Outage', 5, 'right']),
      rows: [
        ["Under IT's management", split.underItManagement.count, minutes(split.underItManagement.outageMinutes)],
        ["Outside IT's management", split.outsideItManagement.count, minutes(split.outsideItManagement.outageMinutes)],
      ],
    },
    serviceLevels: {
      columns: columns(['Ref', 3], ['Measure', 14], ['Actual', 4, 'right'], ['Goal', 4, 'right'], ['Met / counted', 5, 'right'], ['RAG', 3, 'center']),
      rows: s.metrics.map((m) => [
        m.reference,
        m.measure,
        m.actual === null ? null : `${m.actual}${m.unit === '%' ? '%' : ''}`,
        m.goal,
        m.total === null ? null : m.met === null ? m.total : `${m.met} / ${m.total}`,
        { rag: m.rag },
      ]),
    },
    incidentTrend: trend(s.trend.incident),
    requestTrend: trend(s.trend.service_request),
    demand: {
      columns: columns(
        ['Month', 6],
        ['Incidents P1', 4, 'right'],
        ['Incidents P2', 4, 'right'],
        ['Incidents P3', 4, 'right'],
        ['Incidents P4', 4, 'right'],
        ['Service requests', 4, 'right'],
        ['All tickets', 4, 'right'],
      ),
      rows: s.demand.map((d) => [month(d.month, d.partial), d.incidents.P1, d.incidents.P2, d.incidents.P3, d.incidents.P4, d.serviceRequests, d.total]),
    },
    backlog: {
      columns: columns(['Week starting (Monday)', 5], ['Tickets', 3, 'right'], ['Ticket ids', 18]),
      rows: s.backlog.map((b) => [dayName(b.week), b.total, ids(b.ticketIds)]),
    },
    suppliers: {
      columns: columns(
        ['Supplier', 6],
        ['Tickets raised', 4, 'right'],
        ['P1/P2 incidents', 6],
        ['Resolved', 4, 'right'],
        ['First-time fix', 6],
        ['Mean working time to resolve', 5, 'right'],
        ['SLA breaches', 4, 'right'],
        ['Outage', 5, 'right'],
        ['Uptime', 6],
        ['Mean response', 6],
      ),
      rows: s.suppliers.map((x) => {
        const c = (m: string) => x.contract.find((k) => k.measure === m);
        const show = (m: string, unit: string) => (c(m) ? `${c(m)!.actual ?? '—'}${unit} / ${c(m)!.target}${unit} ${c(m)!.rag.toUpperCase()}` : null);
        return [
          x.name,
          x.tickets,
          x.p1p2Ids.length ? `${x.p1p2} (${x.p1p2Ids.join(', ')})` : x.p1p2,
          x.resolved,
          show('firstTimeFixPct', '%'),
          x.meanWorkingMinutesToResolve === null ? null : minutes(x.meanWorkingMinutesToResolve),
          x.breaches,
          minutes(x.outageMinutes),
          show('uptimePct', '%'),
          show('meanResponseMinutes', ' min'),
        ];
      }),
      empty: 'No supplier activity.',
      compact: true,
    },
    availability: {
      columns: columns(['Service', 10], ['Under IT management', 5], ['Outage', 5, 'right'], ['Availability', 5, 'right'], ['Target', 4, 'right'], ['Met', 3]),
      rows: s.availability.services.map((v) => [
        v.name,
        yesNo(v.underItManagement),
        minutes(v.outageMinutes),
        `${v.availabilityPct}%`,
        `${v.targetPct}%`,
        yesNo(v.targetMet),
      ]),
    },
    /** The outages each availability figure counts: a low figure is explained by the outages beside it. */
    outages: {
      columns: columns(['Service', 8], ['Ticket', 7], ['From (local time)', 6], ['To (local time)', 6], ['In this month', 4, 'right']),
      rows: s.availability.services.flatMap((v) =>
        v.outages.map((o) => [
          v.name,
          o.ticketId ?? "another organisation's ticket",
          localMinute(o.from, s.zone),
          localMinute(o.to, s.zone),
          minutes(o.minutesInMonth),
        ]),
      ),
    },
    satisfaction: {
      columns: columns(
        ['Feedback', 4, 'right'],
        ['Response rate', 4, 'right'],
        ['Positive', 4, 'right'],
        ['Neutral', 4, 'right'],
        ['Negative', 4, 'right'],
        ['NPS', 3, 'right'],
        ['NPS (3 months)', 4, 'right'],
        ['Complaints', 4, 'right'],
      ),
      rows: sat
        ? [
            [
              sat.feedback ?? null,
              pct(sat.responseRatePct),
              pct(sat.positivePct),
              pct(sat.neutralPct),
              pct(sat.negativePct),
              sat.nps ?? null,
              s.satisfaction.lastThreeMonthsNps,
              sat.complaints ?? null,
            ],
          ]
        : [],
      empty: 'No feedback this month.',
    },
    majorIncidents: {
      columns: columns(
        ['Reference', 5],
        ['Ticket', 7],
        ['Tenants affected', 5],
        ['Service', 6],
        ['Description', 10],
        ['Status', 4],
        ['Cause', 8],
        ['Resolution', 8],
      ),
      rows: s.majorIncidents.map((m) => [
        m.reference,
        m.ticketTenantId === s.tenantId ? m.ticketId : `${m.ticketId} (${m.ticketTenantId})`,
        m.tenantsAffected.join(', '),
        m.service,
        m.description,
        m.status,
        m.rootCause,
        m.resolution,
      ]),
      empty: 'No major incidents were declared.',
    },
  } satisfies Record<string, SummaryTable>;
}

/** The detail sections of a tenant's summary, in the order of the committees' reports, each table with its definition. */
export function summarySections(s: ServiceDeliverySummary): SummarySection[] {
  const t = summaryTables(s);
  const d = s.definitions;
  return [
    { heading: 'P1 and P2 incidents', blocks: [{ table: t.priorityIncidents }, { table: t.byManagement }, { definition: d.priorityIncidents }] },
    { heading: 'Service levels', blocks: [{ table: t.serviceLevels }, { definition: d.slaPerformance }] },
    { heading: 'Incidents resolved within SLA, last 12 months', blocks: [{ table: t.incidentTrend }] },
    { heading: 'Service requests fulfilled within SLA, last 12 months', blocks: [{ table: t.requestTrend }, { definition: d.trend }] },
    { heading: 'Demand: tickets raised', blocks: [{ table: t.demand }, { definition: d.demand }] },
    { heading: 'Aged backlog (open over 30 days)', blocks: [{ table: t.backlog }, { definition: d.agedBacklog }] },
    { heading: 'Supplier status', blocks: [{ table: t.suppliers }, { definition: d.suppliers }] },
    {
      heading: 'Availability',
      blocks: [
        { table: t.availability },
        {
          text: `Outage under IT's management: ${minutes(s.availability.underItManagement.outageMinutes)}; outside it: ${minutes(s.availability.outsideItManagement.outageMinutes)}.`,
        },
        ...(t.outages.rows.length ? [{ text: 'Outages counted this month:' }, { table: t.outages }] : []),
        { definition: d.availability },
      ],
    },
    { heading: 'Customer satisfaction', blocks: [{ table: t.satisfaction }, { definition: d.satisfaction }] },
    { heading: 'Major incidents', blocks: [{ table: t.majorIncidents }, { definition: d.majorIncidents }] },
  ];
}
