import { DateTime } from 'luxon';
import type { FigureDefinition } from '../reports/figure-definitions';
import { GROUP, type GroupServiceDeliverySummary, type SideBySide } from './group-summary';
import { PdfReport, type PdfCell, type PdfColumn } from './pdf-report';
import type { ServiceDeliverySummary } from './service-delivery-summary';
import { summaryCharts } from './summary-charts';
import type { SummaryStamp } from './summary-stamp';
import { RAG_COLOURS } from './svg-charts';

const CHART = { width: 640, height: 240 };
const GAUGE = { width: 160, height: 104 };

const dash = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v}%`);
const minutes = (m: number) => (m >= 60 ? `${Math.floor(m / 60)} h ${Math.round(m % 60)} min` : `${Math.round(m)} min`);
const yesNo = (v: boolean | null) => (v === null ? 'open' : v ? 'yes' : 'no');
const monthName = (m: string) => DateTime.fromFormat(m, 'yyyy-MM').setLocale('en-GB').toFormat('LLL yyyy');
const dayName = (d: string) => DateTime.fromISO(d).setLocale('en-GB').toFormat('ccc d LLL yyyy');
const ragCell = (rag: string): PdfCell => ({ text: rag.toUpperCase(), fill: rag === 'grey' ? '#eeeeee' : RAG_COLOURS[rag], color: rag === 'green' || rag === 'red' ? '#ffffff' : '#212121' });
const cols = (...spec: Array<[string, number, PdfColumn['align']?]>): PdfColumn[] => spec.map(([header, weight, align]) => ({ header, weight, align }));
const definition = (d: FigureDefinition) => `Who counts: ${d.population} When: ${d.clock} Period: ${d.period}${d.met === '—' ? '' : ` Met: ${d.met}`}`;

/** Where the figures stand, said once at the top (and stamped at every page's foot). */
function provenance(pdf: PdfReport, at: { logPosition: string | null; generatedAt: string }, stamp: SummaryStamp): void {
  pdf.paragraph(
    at.logPosition === null
      ? `Built from the read models before any event was recorded, on ${at.generatedAt}.`
      : `Built from the read models at log position ${at.logPosition} on ${at.generatedAt}. Reproduce every figure with asOfPosition=${at.logPosition}.`,
  );
  pdf.field('Global chain head hash at that position', stamp.headGlobalHash);
  for (const [label, value] of stamp.lines ?? []) pdf.field(label, value);
  pdf.paragraph('');
}

/** The monthly Service Delivery Summary as an A4 PDF: the HTML page's charts and tables, stamped. */
export function renderSummaryPdf(s: ServiceDeliverySummary, stamp: SummaryStamp): Promise<Buffer> {
  const title = `IT Service Delivery Summary — ${s.tenantName}, ${s.monthName}`;
  const pdf = new PdfReport({ title, logPosition: stamp.logPosition, headGlobalHash: stamp.headGlobalHash, date: new Date(s.generatedAt) }, `Monthly service delivery figures of ${s.tenantName} (${s.tenantId})`);
  pdf.title(`${title}${s.partial ? ' (month in progress)' : ''}`, `${s.tenantName} (${s.tenantId}) · times in ${s.zone}`);
  provenance(pdf, s, stamp);
  if (s.partial) pdf.paragraph(`Partial month: ${s.monthName} had not ended at ${s.asOf}; its figures are to that moment. Rows marked * are months in progress.`, 'strong');

  pdf.heading('Summary').bullets(s.summary);

  const charts = summaryCharts(s);
  pdf.heading('At a glance').gauges(charts.gauges.map((g) => g.svg), GAUGE).paragraph(charts.gaugeLegend, 'note');
  for (const svg of [charts.trend, charts.requestTrend, charts.demand, charts.backlog]) pdf.chart(svg, CHART);

  pdf.heading('P1 and P2 incidents');
  if (s.priorityIncidents.length) {
    pdf.table(
      cols(['Ticket', 7], ['Priority', 4], ['Affected service', 8], ['Under IT management', 7], ['Reason', 9], ['Resolution', 9], ['Supplier', 7], ['Outage', 6, 'right'], ['Resolved within target', 6]),
      s.priorityIncidents.map((t) => [t.id, t.priority, t.service, t.underItManagement ? 'yes' : 'no', dash(t.reason), dash(t.resolution), dash(t.supplier), t.outageMinutes ? minutes(t.outageMinutes) : '—', yesNo(t.resolvedWithinTarget)]),
    );
  } else pdf.paragraph('There were no P1 or P2 incidents.');
  const split = s.priorityIncidentsByManagement;
  pdf.table(cols(['Services', 10], ['P1/P2 incidents', 5, 'right'], ['Outage', 5, 'right']), [
    ["Under IT's management", String(split.underItManagement.count), minutes(split.underItManagement.outageMinutes)],
    ["Outside IT's management", String(split.outsideItManagement.count), minutes(split.outsideItManagement.outageMinutes)],
  ]);
  pdf.paragraph(definition(s.definitions.priorityIncidents), 'note');

  pdf.heading('Service levels').table(
    cols(['Ref', 3], ['Measure', 14], ['Actual', 4, 'right'], ['Goal', 4, 'right'], ['Met / counted', 5, 'right'], ['RAG', 3, 'center']),
    s.metrics.map((m) => [dash(m.reference), m.measure, m.actual === null ? '—' : `${m.actual}${m.unit === '%' ? '%' : ''}`, m.goal, m.total === null ? '—' : m.met === null ? String(m.total) : `${m.met} / ${m.total}`, ragCell(m.rag)]),
  );
  pdf.paragraph(definition(s.definitions.slaPerformance), 'note');

  const month = (m: string, partial = s.partial && m === s.month) => `${monthName(m)}${partial ? ' *' : ''}`;
  const trend = (rows: ServiceDeliverySummary['trend']['incident']) => pdf.table(cols(['Month', 6], ['P1', 4, 'right'], ['P2', 4, 'right'], ['P3', 4, 'right'], ['P4', 4, 'right']), rows.map((t) => [month(t.month), pct(t.P1), pct(t.P2), pct(t.P3), pct(t.P4)]));
  pdf.heading('Incidents resolved within SLA, last 12 months');
  trend(s.trend.incident);
  pdf.heading('Service requests fulfilled within SLA, last 12 months');
  trend(s.trend.service_request);
  pdf.paragraph(definition(s.definitions.trend), 'note');

  pdf.heading('Demand: tickets raised').table(
    cols(['Month', 6], ['Incidents P1', 4, 'right'], ['Incidents P2', 4, 'right'], ['Incidents P3', 4, 'right'], ['Incidents P4', 4, 'right'], ['Service requests', 4, 'right'], ['All tickets', 4, 'right']),
    s.demand.map((d) => [month(d.month, d.partial), String(d.incidents.P1), String(d.incidents.P2), String(d.incidents.P3), String(d.incidents.P4), String(d.serviceRequests), String(d.total)]),
  );
  pdf.paragraph(definition(s.definitions.demand), 'note');

  pdf.heading('Aged backlog (open over 30 days)').table(
    cols(['Week starting (Monday)', 5], ['Tickets', 3, 'right'], ['Ticket ids', 18]),
    s.backlog.map((b) => [dayName(b.week), String(b.total), b.ticketIds.length ? b.ticketIds.join(', ') : '—']),
  );
  pdf.paragraph(definition(s.definitions.agedBacklog), 'note');

  pdf.heading('Supplier status');
  if (s.suppliers.length) {
    pdf.table(
      cols(['Supplier', 6], ['Tickets raised', 4, 'right'], ['P1/P2 incidents', 6], ['Resolved', 4, 'right'], ['First-time fix', 6], ['Mean working time to resolve', 5, 'right'], ['SLA breaches', 4, 'right'], ['Outage', 5, 'right'], ['Uptime', 6], ['Mean response', 6]),
      s.suppliers.map((x) => {
        const c = (m: string) => x.contract.find((k) => k.measure === m);
        const show = (m: string, unit: string) => (c(m) ? `${c(m)!.actual ?? '—'}${unit} / ${c(m)!.target}${unit} ${c(m)!.rag.toUpperCase()}` : '—');
        return [x.name, String(x.tickets), x.p1p2Ids.length ? `${x.p1p2} (${x.p1p2Ids.join(', ')})` : String(x.p1p2), String(x.resolved), show('firstTimeFixPct', '%'), x.meanWorkingMinutesToResolve === null ? '—' : minutes(x.meanWorkingMinutesToResolve), String(x.breaches), minutes(x.outageMinutes), show('uptimePct', '%'), show('meanResponseMinutes', ' min')];
      }),
      7,
    );
  } else pdf.paragraph('No supplier activity.');
  pdf.paragraph(definition(s.definitions.suppliers), 'note');

  pdf.heading('Availability').table(
    cols(['Service', 10], ['Under IT management', 5], ['Outage', 5, 'right'], ['Availability', 5, 'right'], ['Target', 4, 'right'], ['Met', 3]),
    s.availability.services.map((v) => [v.name, v.underItManagement ? 'yes' : 'no', minutes(v.outageMinutes), `${v.availabilityPct}%`, `${v.targetPct}%`, v.targetMet ? 'yes' : 'no']),
  );
  pdf.paragraph(`Outage under IT's management: ${minutes(s.availability.underItManagement.outageMinutes)}; outside it: ${minutes(s.availability.outsideItManagement.outageMinutes)}.`);
  const local = (iso: string) => DateTime.fromISO(iso, { zone: s.zone }).setLocale('en-GB').toFormat('d LLL yyyy HH:mm');
  const outages = s.availability.services.flatMap((v) => v.outages.map((o) => [v.name, o.ticketId ?? "another organisation's ticket", local(o.from), local(o.to), minutes(o.minutesInMonth)]));
  if (outages.length) pdf.paragraph('Outages counted this month:').table(cols(['Service', 8], ['Ticket', 7], ['From (local time)', 6], ['To (local time)', 6], ['In this month', 4, 'right']), outages);
  pdf.paragraph(definition(s.definitions.availability), 'note');

  pdf.heading('Customer satisfaction');
  const m = s.satisfaction.month;
  if (m) {
    pdf.table(
      cols(['Feedback', 4, 'right'], ['Response rate', 4, 'right'], ['Positive', 4, 'right'], ['Neutral', 4, 'right'], ['Negative', 4, 'right'], ['NPS', 3, 'right'], ['NPS (3 months)', 4, 'right'], ['Complaints', 4, 'right']),
      [[dash(m.feedback), pct(m.responseRatePct), pct(m.positivePct), pct(m.neutralPct), pct(m.negativePct), dash(m.nps), dash(s.satisfaction.lastThreeMonthsNps), dash(m.complaints)]],
    );
  } else pdf.paragraph('No feedback this month.');
  pdf.paragraph(definition(s.definitions.satisfaction), 'note');

  pdf.heading('Major incidents');
  if (s.majorIncidents.length) {
    pdf.table(
      cols(['Reference', 5], ['Ticket', 7], ['Tenants affected', 5], ['Service', 6], ['Description', 10], ['Status', 4], ['Cause', 8], ['Resolution', 8]),
      s.majorIncidents.map((x) => [x.reference, x.ticketTenantId === s.tenantId ? x.ticketId : `${x.ticketId} (${x.ticketTenantId})`, x.tenantsAffected.join(', '), x.service, dash(x.description), x.status, dash(x.rootCause), dash(x.resolution)]),
    );
  } else pdf.paragraph('No major incidents were declared.');
  pdf.paragraph(definition(s.definitions.majorIncidents), 'note');
  return pdf.finish();
}

/** One side-by-side table: a column per member and the group's; a ratio's counts under its figure. */
function sideBySideTable(pdf: PdfReport, s: GroupServiceDeliverySummary, head: string, rows: SideBySide[]): void {
  const cell = (r: SideBySide, c: SideBySide['group'] | undefined) => (c === undefined ? '—' : `${c.actual === null ? '—' : `${c.actual}${r.unit}`}${c.total !== null ? `\n(${c.met} / ${c.total})` : ''}`);
  const refs = rows.some((r) => r.reference);
  const goals = rows.some((r) => r.goal);
  pdf.table(
    [...(refs ? cols(['Ref', 3]) : []), ...cols([head, 12]), ...s.tenantIds.map((t) => ({ header: t, weight: 4, align: 'right' as const })), ...cols(['Group', 4, 'right']), ...(goals ? cols(['Goal', 4, 'right']) : [])],
    rows.map((r) => [...(refs ? [dash(r.reference)] : []), r.label, ...s.tenantIds.map((t) => cell(r, r.byTenant[t])), cell(r, r.group), ...(goals ? [dash(r.goal)] : [])]),
    7,
  );
}

/** A tenant group's monthly summary as an A4 PDF: its members side by side with the group, stamped. */
export function renderGroupSummaryPdf(s: GroupServiceDeliverySummary, stamp: SummaryStamp): Promise<Buffer> {
  const title = `IT Service Delivery Summary — ${s.name}, ${s.monthName}`;
  const pdf = new PdfReport({ title, logPosition: stamp.logPosition, headGlobalHash: stamp.headGlobalHash, date: new Date(s.generatedAt) }, `Monthly service delivery figures of the tenant group ${s.name} (${s.groupId})`);
  pdf.title(`${title}${s.partial ? ' (month in progress)' : ''}`, `Members: ${s.tenantIds.map((t) => `${s.tenantNames[t]} (${t})`).join(', ')}`);
  pdf.paragraph("Each column is the member's own figure (its own summary's); the Group column sums counts and divides the sums.");
  provenance(pdf, s, stamp);

  pdf.heading('P1 and P2 incidents').table(
    [...cols(['Priority', 6]), ...s.tenantIds.map((t) => ({ header: t, weight: 4, align: 'right' as const })), ...cols(['Group', 4, 'right'])],
    (['P1', 'P2'] as const).map((p) => [p, ...s.tenantIds.map((t) => String(s.counts[t][p])), String(s.counts[GROUP][p])]),
  );
  pdf.bullets(s.yearOnYear.filter((y) => y.period === 'three months').map((y) => `${y.priority} incidents in the last 3 months across the group: ${y.now} (${y.yearEarlier} in the same period a year earlier).`));
  if (s.priorityIncidents.length) {
    pdf.table(
      cols(['Tenant', 4], ['Ticket', 7], ['Priority', 4], ['Affected service', 8], ['Reason', 10], ['Supplier', 7], ['Resolved within target', 6]),
      s.priorityIncidents.map((t) => [t.tenantId, t.id, t.priority, t.service, dash(t.reason), dash(t.supplier), yesNo(t.resolvedWithinTarget)]),
    );
  } else pdf.paragraph('There were no P1 or P2 incidents.');
  pdf.paragraph(definition(s.definitions.priorityIncidents), 'note');

  pdf.heading('Service levels');
  sideBySideTable(pdf, s, 'Measure', s.metrics);
  pdf.paragraph(definition(s.definitions.slaPerformance), 'note');
  pdf.heading(`Demand: tickets raised in ${s.monthName}`);
  sideBySideTable(pdf, s, 'Tickets', s.demand);
  pdf.paragraph(definition(s.definitions.demand), 'note');
  pdf.heading('Aged backlog (open over 30 days)');
  sideBySideTable(pdf, s, 'Week starting (Monday)', s.backlog);
  pdf.paragraph(definition(s.definitions.agedBacklog), 'note');
  pdf.heading('Supplier first-time fix');
  if (s.suppliers.length) sideBySideTable(pdf, s, 'Supplier', s.suppliers);
  else pdf.paragraph('No supplier activity.');
  pdf.paragraph(definition(s.definitions.suppliers), 'note');
  pdf.heading('Availability');
  sideBySideTable(pdf, s, 'Service', s.availability);
  pdf.paragraph("Each member's availability counts the outages recorded against it; the group's, the union of its members' outages, is in the group's service-availability report.");
  pdf.paragraph(definition(s.definitions.availability), 'note');
  pdf.heading('Customer satisfaction');
  if (s.satisfaction.length) sideBySideTable(pdf, s, 'Answers', s.satisfaction);
  else pdf.paragraph('No feedback this month.');
  pdf.paragraph(definition(s.definitions.satisfaction), 'note');

  pdf.heading('Major incidents');
  if (s.majorIncidents.length) {
    pdf.table(
      cols(['Reference', 5], ['Ticket', 6], ['Members affected', 5], ['Service', 6], ['Description', 10], ['Status', 4], ['Cause', 8]),
      s.majorIncidents.map((m) => [m.reference, `${m.ticketId} (${m.ticketTenantId})`, m.memberTenantIds.join(', '), m.service, dash(m.description), m.status, dash(m.rootCause)]),
    );
  } else pdf.paragraph('No major incidents were declared.');
  pdf.paragraph(definition(s.definitions.majorIncidents), 'note');
  return pdf.finish();
}
