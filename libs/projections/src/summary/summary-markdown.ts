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
const minutes = (m: number) => (m >= 60 ? `${Math.floor(m / 60)} h ${Math.round(m % 60)} min` : `${Math.round(m)} min`);
const yesNo = (v: boolean | null) => (v === null ? 'open' : v ? 'yes' : 'no');

/** The Service Delivery Summary as Markdown, in the order of the committees' reports. */
export function renderSummaryMarkdown(s: ServiceDeliverySummary): string {
  const out = [
    `# IT Service Delivery Summary — ${text(s.tenantName)}, ${s.month}`,
    '',
    s.logPosition === null
      ? `Built from the read models before any event was recorded, on ${s.generatedAt}.`
      : `Built from the read models at log position ${s.logPosition} on ${s.generatedAt}. Reproduce every figure with \`asOfPosition=${s.logPosition}\`.`,
    '',
    '## Summary',
    '',
    ...s.summary.map((l) => `- ${text(l)}`),
    '',
    '## P1 and P2 incidents',
    '',
    s.priorityIncidents.length
      ? table(
          ['Ticket', 'Priority', 'Affected service', 'Reason', 'Resolution', 'Supplier', 'Outage', 'Resolved within target'],
          s.priorityIncidents.map((t) => [t.id, t.priority, t.service, t.reason, t.resolution, t.supplier, t.outageMinutes ? minutes(t.outageMinutes) : '—', yesNo(t.resolvedWithinTarget)]),
        )
      : 'There were no P1 or P2 incidents.',
    '',
    '## Service levels',
    '',
    table(['Ref', 'Measure', 'Actual', 'Goal', 'Tickets', 'RAG'], s.metrics.map((m) => [m.reference, m.measure, m.actual === null ? null : `${m.actual}${m.unit === '%' ? '%' : ''}`, m.goal, m.total, m.rag.toUpperCase()])),
    '',
    '## % resolved within SLA, last 12 months',
    '',
    table(['Month', 'P1', 'P2', 'P3', 'P4'], s.trend.map((t) => [t.month, t.P1, t.P2, t.P3, t.P4])),
    '',
    '## Demand: tickets raised',
    '',
    table(['Month', 'P1', 'P2', 'P3', 'P4'], s.demand.map((d) => [d.month, d.P1, d.P2, d.P3, d.P4])),
    '',
    '## Aged backlog (open over 30 days)',
    '',
    table(['Week starting', 'Tickets'], s.backlog.map((b) => [b.week.slice(0, 10), b.total])),
    '',
    '## Supplier status',
    '',
    s.suppliers.length
      ? table(
          ['Supplier', 'Tickets', 'P1/P2', 'SLA breaches', 'Outage', 'First-time fix', 'Uptime', 'Mean response'],
          s.suppliers.map((x) => {
            const c = (m: string) => x.contract.find((k) => k.measure === m);
            const show = (m: string, unit: string) => (c(m) ? `${c(m)!.actual ?? '—'}${unit} / ${c(m)!.target}${unit} ${c(m)!.rag.toUpperCase()}` : '—');
            return [x.name, x.tickets, x.p1p2, x.breaches, minutes(x.outageMinutes), show('firstTimeFixPct', '%'), show('uptimePct', '%'), show('meanResponseMinutes', ' min')];
          }),
        )
      : 'No supplier activity.',
    '',
    '## Availability',
    '',
    table(['Service', 'Under IT management', 'Outage', 'Availability', 'Target', 'Met'], s.availability.services.map((v) => [v.name, v.underItManagement ? 'yes' : 'no', minutes(v.outageMinutes), `${v.availabilityPct}%`, `${v.targetPct}%`, v.targetMet ? 'yes' : 'no'])),
    '',
    `Outage under IT's management: ${minutes(s.availability.underItManagement.outageMinutes)}; outside it: ${minutes(s.availability.outsideItManagement.outageMinutes)}.`,
    '',
    '## Customer satisfaction',
    '',
    s.satisfaction.month
      ? table(['Feedback', 'Response rate', 'Positive', 'Neutral', 'Negative', 'NPS', 'NPS (3 months)', 'Complaints'], [[s.satisfaction.month.feedback, pct(s.satisfaction.month.responseRatePct), pct(s.satisfaction.month.positivePct), pct(s.satisfaction.month.neutralPct), pct(s.satisfaction.month.negativePct), s.satisfaction.month.nps, s.satisfaction.lastThreeMonthsNps, s.satisfaction.month.complaints]])
      : 'No feedback this month.',
    '',
    '## Major incidents',
    '',
    s.majorIncidents.length ? table(['Reference', 'Ticket', 'Tenants', 'Service', 'Status', 'Cause'], s.majorIncidents.map((m) => [m.reference, m.ticketId, (m.tenantsAffected as string[]).join(', '), m.serviceId, m.status, m.rootCause])) : 'No major incidents were declared.',
    '',
  ];
  return out.join('\n');
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : `${v}%`);
