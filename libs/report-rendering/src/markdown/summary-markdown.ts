import { DateTime } from 'luxon';
import type { FigureDefinition, FigureName } from '../reports/figure-definitions';
import type { ServiceDeliverySummary } from './service-delivery-summary';

/**
 * Operators' free text is escaped, as text in any Markdown renderer (the committee's, and marked for
 * the HTML page): HTML's & < > as entities, and Markdown's own syntax (links and images `[..](..)`,
 * emphasis, code, strikethrough, bare-URL autolinks) behind a backslash, so `[x](javascript:..)`,
 * `![](https://..)` or `https://..` stays the characters it is. Line breaks become spaces: no text
 * can start a block of its own.
 */
export const markdownText = (v: unknown) =>
  String(v)
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]~!@]/g, '\\$&')
    // GFM turns bare URLs into links (scheme://, www., e-mail addresses): an escaped ':' or '.' stops it.
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/\b(www)\./gi, '$1\\.');
const text = markdownText;
const cell = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : text(v).replace(/\|/g, '\\|'));
const row = (cells: unknown[]) => `| ${cells.map(cell).join(' | ')} |`;
const table = (head: string[], rows: unknown[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
/** A Markdown table whose every cell is escaped operator text. */
export const markdownTable = table;
const minutes = (m: number) => (m >= 60 ? `${Math.floor(m / 60)} h ${Math.round(m % 60)} min` : `${Math.round(m)} min`);
const yesNo = (v: boolean | null) => (v === null ? 'open' : v ? 'yes' : 'no');

const monthName = (m: string) => DateTime.fromFormat(m, 'yyyy-MM').setLocale('en-GB').toFormat('LLL yyyy');
const dayName = (d: string) => DateTime.fromISO(d).setLocale('en-GB').toFormat('ccc d LLL yyyy');
/** A figure's definition, printed under its table. */
export const definitionParagraph = (d: FigureDefinition) => `_Who counts:_ ${text(d.population)} _When:_ ${text(d.clock)} _Period:_ ${text(d.period)}${d.met === '—' ? '' : ` _Met:_ ${text(d.met)}`}`;
const definition = (s: ServiceDeliverySummary, name: FigureName) => definitionParagraph(s.definitions[name]);
const ids = (xs: string[]) => (xs.length ? xs.join(', ') : '—');

/** The Service Delivery Summary as Markdown, in the order of the committees' reports. */
export function renderSummaryMarkdown(s: ServiceDeliverySummary): string {
  const trendTable = (rows: ServiceDeliverySummary['trend']['incident']) => table(['Month', 'P1', 'P2', 'P3', 'P4'], rows.map((t) => [partialMark(s, t.month), pct(t.P1), pct(t.P2), pct(t.P3), pct(t.P4)]));
  const out = [
    `# IT Service Delivery Summary — ${text(s.tenantName)}, ${s.monthName}${s.partial ? ' (month in progress)' : ''}`,
    '',
    s.logPosition === null
      ? `Built from the read models before any event was recorded, on ${s.generatedAt}.`
      : `Built from the read models at log position ${s.logPosition} on ${s.generatedAt}. Reproduce every figure with \`asOfPosition=${s.logPosition}\`.`,
    ...(s.partial ? ['', `**Partial month:** ${s.monthName} had not ended at ${s.asOf}; its figures are to that moment. Rows marked * are months in progress.`] : []),
    '',
    '## Summary',
    '',
    ...s.summary.map((l) => `- ${text(l)}`),
    '',
    '## P1 and P2 incidents',
    '',
    s.priorityIncidents.length
      ? table(
          ['Ticket', 'Priority', 'Affected service', 'Under IT management', 'Reason', 'Resolution', 'Supplier', 'Outage', 'Resolved within target'],
          s.priorityIncidents.map((t) => [t.id, t.priority, t.service, t.underItManagement ? 'yes' : 'no', t.reason, t.resolution, t.supplier, t.outageMinutes ? minutes(t.outageMinutes) : '—', yesNo(t.resolvedWithinTarget)]),
        )
      : 'There were no P1 or P2 incidents.',
    '',
    table(
      ['Services', 'P1/P2 incidents', 'Outage'],
      [
        ["Under IT's management", s.priorityIncidentsByManagement.underItManagement.count, minutes(s.priorityIncidentsByManagement.underItManagement.outageMinutes)],
        ["Outside IT's management", s.priorityIncidentsByManagement.outsideItManagement.count, minutes(s.priorityIncidentsByManagement.outsideItManagement.outageMinutes)],
      ],
    ),
    '',
    definition(s, 'priorityIncidents'),
    '',
    '## Service levels',
    '',
    table(['Ref', 'Measure', 'Actual', 'Goal', 'Met / counted', 'RAG'], s.metrics.map((m) => [m.reference, m.measure, m.actual === null ? null : `${m.actual}${m.unit === '%' ? '%' : ''}`, m.goal, m.total === null ? null : m.met === null ? m.total : `${m.met} / ${m.total}`, m.rag.toUpperCase()])),
    '',
    definition(s, 'slaPerformance'),
    '',
    '## Incidents resolved within SLA, last 12 months',
    '',
    trendTable(s.trend.incident),
    '',
    '## Service requests fulfilled within SLA, last 12 months',
    '',
    trendTable(s.trend.service_request),
    '',
    definition(s, 'trend'),
    '',
    '## Demand: tickets raised',
    '',
    table(['Month', 'Incidents P1', 'Incidents P2', 'Incidents P3', 'Incidents P4', 'Service requests', 'All tickets'], s.demand.map((d) => [partialMark(s, d.month, d.partial), d.incidents.P1, d.incidents.P2, d.incidents.P3, d.incidents.P4, d.serviceRequests, d.total])),
    '',
    definition(s, 'demand'),
    '',
    '## Aged backlog (open over 30 days)',
    '',
    table(['Week starting (Monday)', 'Tickets', 'Ticket ids'], s.backlog.map((b) => [dayName(b.week), b.total, ids(b.ticketIds)])),
    '',
    definition(s, 'agedBacklog'),
    '',
    '## Supplier status',
    '',
    s.suppliers.length
      ? table(
          ['Supplier', 'Tickets raised', 'P1/P2 incidents', 'Resolved', 'First-time fix', 'Mean working time to resolve', 'SLA breaches', 'Outage', 'Uptime', 'Mean response'],
          s.suppliers.map((x) => {
            const c = (m: string) => x.contract.find((k) => k.measure === m);
            const show = (m: string, unit: string) => (c(m) ? `${c(m)!.actual ?? '—'}${unit} / ${c(m)!.target}${unit} ${c(m)!.rag.toUpperCase()}` : '—');
            return [x.name, x.tickets, x.p1p2Ids.length ? `${x.p1p2} (${x.p1p2Ids.join(', ')})` : x.p1p2, x.resolved, show('firstTimeFixPct', '%'), x.meanWorkingMinutesToResolve === null ? null : minutes(x.meanWorkingMinutesToResolve), x.breaches, minutes(x.outageMinutes), show('uptimePct', '%'), show('meanResponseMinutes', ' min')];
          }),
        )
      : 'No supplier activity.',
    '',
    definition(s, 'suppliers'),
    '',
    '## Availability',
    '',
    table(['Service', 'Under IT management', 'Outage', 'Availability', 'Target', 'Met'], s.availability.services.map((v) => [v.name, v.underItManagement ? 'yes' : 'no', minutes(v.outageMinutes), `${v.availabilityPct}%`, `${v.targetPct}%`, v.targetMet ? 'yes' : 'no'])),
    '',
    `Outage under IT's management: ${minutes(s.availability.underItManagement.outageMinutes)}; outside it: ${minutes(s.availability.outsideItManagement.outageMinutes)}.`,
    '',
    ...outageList(s),
    definition(s, 'availability'),
    '',
    '## Customer satisfaction',
    '',
    s.satisfaction.month
      ? table(['Feedback', 'Response rate', 'Positive', 'Neutral', 'Negative', 'NPS', 'NPS (3 months)', 'Complaints'], [[s.satisfaction.month.feedback, pct(s.satisfaction.month.responseRatePct), pct(s.satisfaction.month.positivePct), pct(s.satisfaction.month.neutralPct), pct(s.satisfaction.month.negativePct), s.satisfaction.month.nps, s.satisfaction.lastThreeMonthsNps, s.satisfaction.month.complaints]])
      : 'No feedback this month.',
    '',
    definition(s, 'satisfaction'),
    '',
    '## Major incidents',
    '',
    s.majorIncidents.length
      ? table(
          ['Reference', 'Ticket', 'Tenants affected', 'Service', 'Description', 'Status', 'Cause', 'Resolution'],
          s.majorIncidents.map((m) => [m.reference, m.ticketTenantId === s.tenantId ? m.ticketId : `${m.ticketId} (${m.ticketTenantId})`, m.tenantsAffected.join(', '), m.service, m.description, m.status, m.rootCause, m.resolution]),
        )
      : 'No major incidents were declared.',
    '',
    definition(s, 'majorIncidents'),
    '',
  ];
  return out.join('\n');
}

/** A month by name, with * when it had not ended. */
function partialMark(s: ServiceDeliverySummary, month: string, partial = s.partial && month === s.month): string {
  return `${monthName(month)}${partial ? ' *' : ''}`;
}

/** The outages each availability figure counts: a low figure is explained by the outages beside it. */
function outageList(s: ServiceDeliverySummary): string[] {
  const local = (iso: string) => DateTime.fromISO(iso, { zone: s.zone }).setLocale('en-GB').toFormat('d LLL yyyy HH:mm');
  const rows = s.availability.services.flatMap((v) => v.outages.map((o) => [v.name, o.ticketId ?? "another organisation's ticket", local(o.from), local(o.to), minutes(o.minutesInMonth)]));
  return rows.length ? ['Outages counted this month:', '', table(['Service', 'Ticket', 'From (local time)', 'To (local time)', 'In this month'], rows), ''] : [];
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : `${v}%`);
