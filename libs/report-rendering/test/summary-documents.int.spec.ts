import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { TicketService } from '@itsm/application';
import { AuditCheckpointer, verifyLog } from '@itsm/event-audit';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import type { EventStore } from '@itsm/event-store';
import { SqliteReadStore } from '@itsm/read-store-sqlite';
import { appendHistory, demoCatalogue, generateHistory, loadCatalogue } from '@itsm/simulation';
import { fixedClock, MovableClock } from '@itsm/test-kit';
import {
  buildGroupServiceDeliverySummary,
  buildServiceDeliverySummary,
  GROUP,
  Projector,
  ReportQueries,
  reportsProjection,
  summaryStamp,
  type GroupServiceDeliverySummary,
  type ServiceDeliverySummary,
  type SideBySide,
  type SummaryStamp,
} from '@itsm/projections';
import { csvSafeText, renderGroupSummaryPdf, renderGroupSummaryXlsx, renderSummaryPdf, renderSummaryXlsx } from '../src';
import { readPdf } from '../../../test/support/pdf-text';

/**
 * The committee pack: the monthly summary as PDF and XLSX, read back with a PDF text extractor and
 * exceljs. Every sheet's figures are the JSON summary's; the PDF is A4, titled, stamped with the log
 * position and the global chain's head hash, and carries the figures; operators' text stays text.
 */
const ZONE = 'Europe/London';
const MONTH = '2023-07';
const NOW = new Date('2023-08-14T09:30:00.000Z');
const HOSTILE_SUPPLIER = '=HYPERLINK("https://evil.example","click")';
const HOSTILE_SERVICE = '@SUM(A1) 网络 Network';

/** A P1 on a critical service, declared a major incident for both City tenants, whose every free text is hostile. */
async function hostileMajorIncident(store: EventStore): Promise<void> {
  const start = Date.parse('2023-07-18T08:00:00Z');
  const clock = new MovableClock(start);
  const tickets = new TicketService(store, clock);
  const steps: Array<[number, object]> = [
    [
      0,
      {
        type: 'RaiseTicket',
        ticketId: 'MI-1',
        tenantId: 'CoL',
        kind: 'incident',
        priority: 'P1',
        serviceId: 'telephony',
        title: '+cmd|calc /C',
        description: 'd',
        reporter: 'r',
        channel: 'phone',
      },
    ],
    [5, { type: 'RespondToTicket', respondedBy: 'desk' }],
    [9, { type: 'AssignTicket', groupId: 'infrastructure', supplierId: 'daisy' }],
    [
      10,
      {
        type: 'DeclareMajorIncident',
        reference: 'MIR900',
        tenantsAffected: ['CoL', 'CoLP'],
        trigger: 'multi_tenant_outage',
        description: '@SUM(1+1)*cmd|" /C calc"!A0',
      },
    ],
    [
      95,
      {
        type: 'ResolveTicket',
        resolutionCode: 'fixed',
        rootCause: '-2+3+cmd|calc',
        resolution: '\t=1+1 <script>alert(1)</script>',
        resolvedByGroupId: 'infrastructure',
        firstLineFix: false,
      },
    ],
    [96, { type: 'RecordOutage', serviceId: 'telephony', from: '2023-07-18T08:00:00.000Z', to: '2023-07-18T09:34:00.000Z' }],
  ];
  for (const [minute, command] of steps) {
    clock.set(start + minute * 60_000);
    const commandId = `hostile-${minute}`;
    await tickets.execute('CoL', 'MI-1', { ...command, occurredAt: clock.now().toISOString() } as never, {
      metadata: { commandId, actor: 'test', tenantId: 'CoL', correlationId: commandId, causationId: commandId, requestHash: commandId },
    });
  }
}

let summary: ServiceDeliverySummary;
let group: GroupServiceDeliverySummary;
let stamp: SummaryStamp;
let headHash: string;
/** Each document rendered once; the byte-identity test renders them again. */
const docs = {} as Record<'pdf' | 'xlsx' | 'groupPdf' | 'groupXlsx', Buffer>;

beforeAll(async () => {
  const store = new SqliteEventStore({ filename: ':memory:' });
  const reads = new SqliteReadStore(':memory:');
  const catalogue = demoCatalogue();
  // Operators name suppliers and services: a formula and characters outside the PDF fonts' encoding.
  catalogue.suppliers = catalogue.suppliers.map((s) => (s.supplierId === 'daisy' ? { ...s, name: HOSTILE_SUPPLIER } : s));
  catalogue.services = catalogue.services.map((s, i) => (i === 0 ? { ...s, name: HOSTILE_SERVICE } : s));
  await loadCatalogue(store, catalogue, new Date('2023-03-01T00:00:00Z'));
  await appendHistory(store, generateHistory(catalogue, { seed: 7, tickets: 200, from: '2023-06-10T00:00:00Z', days: 55 }), { seed: 7 });
  await hostileMajorIncident(store);
  await new AuditCheckpointer(store, fixedClock(NOW)).checkpoint();
  const projector = new Projector(store, reads, reportsProjection(), { batchSize: 500 });
  await projector.init();
  await projector.catchUp();
  const q = new ReportQueries(reads, (c) => projector.collection(c));
  summary = await buildServiceDeliverySummary(q, { tenantId: 'CoL', month: MONTH, zone: ZONE, logPosition: projector.checkpoint, now: NOW });
  group = await buildGroupServiceDeliverySummary(q, {
    group: { groupId: 'city', name: 'City of London', tenantIds: ['CoL', 'CoLP'] },
    month: MONTH,
    zone: ZONE,
    logPosition: projector.checkpoint,
    now: NOW,
  });
  stamp = await summaryStamp(store, projector.checkpoint);
  headHash = (await verifyLog(store)).headGlobalHash;
  await Promise.all([store.close(), reads.close()]);
  [docs.pdf, docs.xlsx, docs.groupPdf, docs.groupXlsx] = await Promise.all([
    renderSummaryPdf(summary, stamp),
    renderSummaryXlsx(summary, stamp),
    renderGroupSummaryPdf(group, stamp),
    renderGroupSummaryXlsx(group, stamp),
  ]);
}, 60_000);

/** Every sheet of a workbook as rows of plain values (header first). */
async function readWorkbook(bytes: Buffer): Promise<Map<string, unknown[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as never);
  const sheets = new Map<string, unknown[][]>();
  wb.eachSheet((ws) => {
    const rows: unknown[][] = [];
    ws.eachRow({ includeEmpty: true }, (row) => {
      const cells: unknown[] = [];
      for (let c = 1; c <= ws.columnCount; c++) {
        const cell = row.getCell(c);
        // A formula, a link or rich text anywhere would show here as an object: none may.
        if (cell.value !== null && typeof cell.value === 'object')
          throw new Error(`${ws.name}!${cell.address} is not a plain value: ${JSON.stringify(cell.value)}`);
        cells.push(cell.value ?? null);
      }
      rows.push(cells);
    });
    sheets.set(ws.name, rows);
  });
  return sheets;
}

/** A sheet's rows as objects keyed by its header. */
const records = (sheets: Map<string, unknown[][]>, name: string) => {
  const [header, ...rows] = sheets.get(name) ?? [];
  if (!header) throw new Error(`no sheet ${name}`);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? null])));
};
/** Text as written to a sheet: neutralised like CSV. */
const asText = (v: string | null) => (v === null ? null : csvSafeText(v));
const local = (iso: string | null) => (iso === null ? null : DateTime.fromISO(iso, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm'));
/** Minutes as the page prints them. */
const minutes = (m: number) => (m >= 60 ? `${Math.floor(m / 60)} h ${Math.round(m % 60)} min` : `${Math.round(m)} min`);

describe('the summary as XLSX', () => {
  it('has a sheet per table and per ticket list, each equal to the JSON summary', async () => {
    expect(summary.priorityIncidents.length).toBeGreaterThan(0);
    expect(summary.backlog.some((b) => b.ticketIds.length > 0)).toBe(true);
    const sheets = await readWorkbook(docs.xlsx);
    expect([...sheets.keys()]).toEqual([
      'Summary',
      'Service levels',
      'Incidents within SLA',
      'Requests within SLA',
      'Demand',
      'Year on year',
      'IT management',
      'Aged backlog',
      'Suppliers',
      'Supplier contracts',
      'Availability',
      'Satisfaction',
      'P1 and P2 incidents',
      'Backlog tickets',
      'Supplier tickets',
      'Outages',
      'Major incidents',
      'Definitions',
    ]);

    const about = Object.fromEntries(
      sheets
        .get('Summary')!
        .slice(1)
        .filter(([k]) => k !== 'Summary'),
    );
    expect(about).toMatchObject({
      'Log position': summary.logPosition,
      'Global chain head hash': headHash,
      Month: MONTH,
      'P1 incidents': summary.counts.P1,
      'P2 incidents': summary.counts.P2,
      'Generated at': NOW.toISOString(),
    });
    expect(
      sheets
        .get('Summary')!
        .filter(([k]) => k === 'Summary')
        .map(([, v]) => v),
    ).toEqual(summary.summary);

    expect(records(sheets, 'Service levels')).toEqual(
      summary.metrics.map((m) => ({
        Ref: m.reference,
        Priority: m.priority ?? null,
        Kind: m.kind ?? null,
        Metric: m.metric ?? null,
        Measure: m.measure,
        Target: m.target ?? null,
        Actual: m.actual,
        Unit: asText(m.unit),
        Goal: m.goal,
        Met: m.met,
        Counted: m.total,
        RAG: m.rag,
      })),
    );
    for (const [name, rows] of [
      ['Incidents within SLA', summary.trend.incident],
      ['Requests within SLA', summary.trend.service_request],
    ] as const) {
      expect(records(sheets, name)).toEqual(rows.map((t) => ({ Month: t.month, 'P1 %': t.P1, 'P2 %': t.P2, 'P3 %': t.P3, 'P4 %': t.P4 })));
    }
    expect(records(sheets, 'Demand')).toEqual(
      summary.demand.map((d) => ({
        Month: d.month,
        'Month in progress': d.partial,
        'Incidents P1': d.incidents.P1,
        'Incidents P2': d.incidents.P2,
        'Incidents P3': d.incidents.P3,
        'Incidents P4': d.incidents.P4,
        'Service requests': d.serviceRequests,
        'All tickets': d.total,
      })),
    );
    expect(records(sheets, 'Year on year')).toEqual(
      summary.yearOnYear.map((y) => ({ Period: y.period, Priority: y.priority, Raised: y.now, 'A year earlier': y.yearEarlier })),
    );
    const split = summary.priorityIncidentsByManagement;
    expect(records(sheets, 'IT management').map((r) => Object.values(r).slice(1))).toEqual([
      [split.underItManagement.count, split.underItManagement.outageMinutes, summary.availability.underItManagement.outageMinutes],
      [split.outsideItManagement.count, split.outsideItManagement.outageMinutes, summary.availability.outsideItManagement.outageMinutes],
    ]);
    expect(records(sheets, 'Aged backlog')).toEqual(summary.backlog.map((b) => ({ 'Week starting (Monday)': b.week, 'Tickets open over 30 days': b.total })));
    expect(records(sheets, 'Backlog tickets')).toEqual(
      summary.backlog.flatMap((b) => b.ticketIds.map((id) => ({ 'Week starting (Monday)': b.week, Ticket: id }))),
    );
    // Each week's list counts exactly as the week's figure.
    for (const b of summary.backlog) expect(records(sheets, 'Backlog tickets').filter((r) => r['Week starting (Monday)'] === b.week)).toHaveLength(b.total);

    expect(records(sheets, 'Suppliers')).toEqual(
      summary.suppliers.map((x) => ({
        'Supplier id': x.supplierId,
        Supplier: asText(x.name),
        'Tickets raised': x.tickets,
        'P1/P2 incidents': x.p1p2,
        Resolved: x.resolved,
        'First-time fixes': x.firstTimeFixes,
        'First-time fix %': x.firstTimeFixPct,
        'Mean working minutes to resolve': x.meanWorkingMinutesToResolve,
        'SLA breaches': x.breaches,
        'Outage minutes': x.outageMinutes,
      })),
    );
    expect(records(sheets, 'Supplier contracts')).toEqual(
      summary.suppliers.flatMap((x) =>
        x.contract.map((c) => ({ 'Supplier id': x.supplierId, Supplier: asText(x.name), Measure: c.measure, Target: c.target, Actual: c.actual, RAG: c.rag })),
      ),
    );
    const supplierTickets = records(sheets, 'Supplier tickets');
    for (const x of summary.suppliers) {
      expect(supplierTickets.filter((r) => r['Supplier id'] === x.supplierId && r.List === 'raised').map((r) => r.Ticket)).toEqual(x.ticketIds);
      expect(supplierTickets.filter((r) => r['Supplier id'] === x.supplierId && r.List === 'P1/P2').map((r) => r.Ticket)).toEqual(x.p1p2Ids);
      expect(x.ticketIds).toHaveLength(x.tickets);
    }

    expect(records(sheets, 'Availability')).toEqual(
      summary.availability.services.map((v) => ({
        'Service id': v.serviceId,
        Service: asText(v.name),
        Ownership: v.ownership,
        'Under IT management': v.underItManagement,
        'Supplier id': v.supplierId,
        'Outage minutes': v.outageMinutes,
        'Availability %': v.availabilityPct,
        'Target %': v.targetPct,
        'Target met': v.targetMet,
      })),
    );
    const outages = summary.availability.services.flatMap((v) =>
      v.outages.map((o) => ({
        'Service id': v.serviceId,
        Service: asText(v.name),
        Ticket: o.ticketId ?? "another organisation's ticket",
        'From (Europe/London)': local(o.from),
        'To (Europe/London)': local(o.to),
        'Minutes in month': o.minutesInMonth,
      })),
    );
    expect(outages.length).toBeGreaterThan(0);
    expect(records(sheets, 'Outages')).toEqual(outages);

    const sat = Object.fromEntries(sheets.get('Satisfaction')!.slice(1));
    expect(sat).toEqual({
      ...Object.fromEntries(Object.entries(summary.satisfaction.month ?? {}).filter(([k]) => k !== 'period')),
      lastThreeMonthsNps: summary.satisfaction.lastThreeMonthsNps,
    });

    expect(records(sheets, 'P1 and P2 incidents')).toEqual(
      summary.priorityIncidents.map((x) => ({
        Ticket: x.id,
        Priority: x.priority,
        'Service id': x.serviceId,
        'Affected service': asText(x.service),
        'Under IT management': x.underItManagement,
        Title: asText(x.title),
        Reason: asText(x.reason),
        Resolution: asText(x.resolution),
        'Supplier id': x.supplierId ?? null,
        Supplier: asText(x.supplier),
        'Outage minutes': x.outageMinutes,
        'Raised (Europe/London)': local(x.raisedAt),
        'Resolved (Europe/London)': local(x.resolvedAt ?? null),
        Status: x.status,
        'Major incident': x.majorIncident,
        'Resolved within target': x.resolvedWithinTarget,
      })),
    );
    expect(records(sheets, 'Major incidents').map((r) => [r.Reference, r.Ticket, r['Outage minutes']])).toEqual(
      summary.majorIncidents.map((m) => [m.reference, m.ticketId, m.outageMinutes]),
    );
    expect(records(sheets, 'Definitions').map((r) => r.Figure)).toEqual(Object.keys(summary.definitions));
  });

  it('writes operators’ text as text that no spreadsheet runs', async () => {
    expect(summary.majorIncidents.map((m) => m.reference)).toContain('MIR900');
    const sheets = await readWorkbook(docs.xlsx);
    const suppliers = records(sheets, 'Suppliers').map((r) => r.Supplier);
    expect(suppliers).toContain(`'${HOSTILE_SUPPLIER}`);
    expect(records(sheets, 'Availability').map((r) => r.Service)).toContain(`'${HOSTILE_SERVICE}`);
    const mi = records(sheets, 'P1 and P2 incidents').find((r) => r.Ticket === 'MI-1')!;
    expect([mi.Title, mi.Reason, mi.Resolution]).toEqual(["'+cmd|calc /C", "'-2+3+cmd|calc", "'\t=1+1 <script>alert(1)</script>"]);
    expect(records(sheets, 'Major incidents').find((r) => r.Reference === 'MIR900')!.Description).toBe(`'@SUM(1+1)*cmd|" /C calc"!A0`);
    // No text cell anywhere starts a formula.
    const texts = [...sheets.values()].flat(2).filter((v): v is string => typeof v === 'string');
    expect(texts.filter((v) => /^[=+\-@\t\r]/.test(v) && !/^[+-]?[\d.]+$/.test(v))).toEqual([]);
  });

  it('gives the group a sheet per side-by-side table, with each member’s lists', async () => {
    const sheets = await readWorkbook(docs.groupXlsx);
    expect([...sheets.keys()]).toEqual([
      'Summary',
      'P1 and P2 counts',
      'Year on year',
      'Service levels',
      'Demand',
      'Aged backlog',
      'Supplier first-time fix',
      'Availability',
      'Satisfaction',
      'P1 and P2 incidents',
      'Backlog tickets',
      'Supplier tickets',
      'Outages',
      'Major incidents',
      'Definitions',
    ]);
    expect(Object.fromEntries(sheets.get('Summary')!.slice(1))).toMatchObject({
      Group: 'city',
      'Log position': group.logPosition,
      'Global chain head hash': headHash,
    });
    expect(records(sheets, 'P1 and P2 counts')).toEqual(
      (['P1', 'P2'] as const).map((p) => ({ Priority: p, CoL: group.counts.CoL?.[p], CoLP: group.counts.CoLP?.[p], Group: group.counts[GROUP]?.[p] })),
    );
    const ratio = (rows: typeof group.metrics) =>
      rows.map((r) => ({
        Ref: r.reference,
        Figure: r.label,
        Unit: r.unit,
        Goal: r.goal,
        ...Object.fromEntries(
          ['CoL', 'CoLP'].flatMap((t) => [
            [`${t} actual`, r.byTenant[t]?.actual ?? null],
            [`${t} met`, r.byTenant[t]?.met ?? null],
            [`${t} counted`, r.byTenant[t]?.total ?? null],
          ]),
        ),
        'Group actual': r.group.actual,
        'Group met': r.group.met,
        'Group counted': r.group.total,
      }));
    const volume = (rows: typeof group.metrics) =>
      rows.map((r) => ({
        Ref: r.reference,
        Figure: r.label,
        Unit: r.unit,
        Goal: r.goal,
        CoL: r.byTenant.CoL?.actual ?? null,
        CoLP: r.byTenant.CoLP?.actual ?? null,
        Group: r.group.actual,
      }));
    expect(records(sheets, 'Service levels')).toEqual(ratio(group.metrics).map((r) => ({ ...r, Figure: asText(r.Figure) })));
    expect(records(sheets, 'Supplier first-time fix')).toEqual(ratio(group.suppliers).map((r) => ({ ...r, Figure: asText(r.Figure) })));
    expect(records(sheets, 'Demand')).toEqual(volume(group.demand));
    expect(records(sheets, 'Aged backlog')).toEqual(volume(group.backlog));
    expect(records(sheets, 'Availability')).toEqual(volume(group.availability).map((r) => ({ ...r, Figure: asText(r.Figure) })));
    expect(records(sheets, 'P1 and P2 incidents').map((r) => [r.Tenant, r.Ticket, r['Outage minutes']])).toEqual(
      group.priorityIncidents.map((x) => [x.tenantId, x.id, x.outageMinutes]),
    );
    for (const m of group.members) {
      expect(
        records(sheets, 'Backlog tickets')
          .filter((r) => r.Tenant === m.tenantId)
          .map((r) => [r['Week starting (Monday)'], r.Ticket]),
      ).toEqual(m.backlog.flatMap((b) => b.ticketIds.map((id) => [b.week, id])));
      expect(
        records(sheets, 'Outages')
          .filter((r) => r.Tenant === m.tenantId)
          .map((r) => r['Minutes in month']),
      ).toEqual(m.availability.services.flatMap((v) => v.outages.map((o) => o.minutesInMonth)));
      expect(records(sheets, 'Supplier tickets').filter((r) => r.Tenant === m.tenantId && r.List === 'raised')).toHaveLength(
        m.suppliers.reduce((n, x) => n + x.tickets, 0),
      );
    }
    expect(records(sheets, 'Major incidents').map((r) => [r.Reference, r['Members affected']])).toEqual(
      group.majorIncidents.map((m) => [m.reference, m.memberTenantIds.join(', ')]),
    );
  });
});

describe('the summary as PDF', () => {
  it('is A4, titled, stamped with the position and head hash on every page, and carries the figures', async () => {
    const { text, pages, pageTexts, info } = await readPdf(docs.pdf);
    expect(pages.length).toBeGreaterThan(2);
    for (const page of pages) expect([Math.round(page.width), Math.round(page.height)]).toEqual([595, 842]);
    expect(pages.flatMap((p) => p.links)).toEqual([]);
    expect(info).toMatchObject({ Title: `IT Service Delivery Summary — City of London Corporation, July 2023` });
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('IT Service Delivery Summary — City of London Corporation, July 2023');
    expect(flat).toContain(`Built from the read models at log position ${summary.logPosition} on ${NOW.toISOString()}`);
    expect(flat).toContain(headHash);
    pageTexts.forEach((page, i) => {
      const foot = page.replace(/\s+/g, ' ');
      expect(foot).toContain(`IT Service Delivery Summary — City of London Corporation, July 2023 · log position ${summary.logPosition}`);
      expect(foot).toContain(`Global chain head hash at that position: ${headHash}`);
      expect(foot).toContain(`Page ${i + 1} of ${pages.length}`);
    });
    for (const line of summary.summary) expect(flat).toContain(line);
    for (const t of summary.priorityIncidents) expect(flat).toContain(t.id);
    for (const m of summary.metrics.filter((x) => x.actual !== null && x.total))
      expect(flat).toContain(`${m.actual}${m.unit === '%' ? '%' : ''} ${m.goal} ${m.met} / ${m.total}`);
    expect(summary.partial).toBe(false);
    const month = (m: string) => DateTime.fromFormat(m, 'yyyy-MM').setLocale('en-GB').toFormat('LLL yyyy');
    const pct = (v: number | null) => (v === null ? '—' : `${v}%`);
    for (const t of [...summary.trend.incident, ...summary.trend.service_request])
      expect(flat).toContain(`${month(t.month)} ${pct(t.P1)} ${pct(t.P2)} ${pct(t.P3)} ${pct(t.P4)}`);
    for (const d of summary.demand)
      expect(flat).toContain(`${month(d.month)} ${d.incidents.P1} ${d.incidents.P2} ${d.incidents.P3} ${d.incidents.P4} ${d.serviceRequests} ${d.total}`);
    for (const b of summary.backlog)
      expect(flat).toContain(`${DateTime.fromISO(b.week).setLocale('en-GB').toFormat('ccc d LLL yyyy')} ${b.total} ${b.ticketIds.join(', ') || '—'}`);
    for (const x of summary.suppliers)
      for (const c of x.contract)
        expect(flat).toContain(
          `${c.actual ?? '—'}${c.measure === 'meanResponseMinutes' ? ' min' : '%'} / ${c.target}${c.measure === 'meanResponseMinutes' ? ' min' : '%'} ${c.rag.toUpperCase()}`,
        );
    for (const v of summary.availability.services)
      expect(flat).toContain(`${minutes(v.outageMinutes)} ${v.availabilityPct}% ${v.targetPct}% ${v.targetMet ? 'yes' : 'no'}`);
    const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).setLocale('en-GB').toFormat('d LLL yyyy HH:mm');
    for (const o of summary.availability.services.flatMap((v) => v.outages))
      expect(flat).toContain(`${local(o.from)} ${local(o.to)} ${minutes(o.minutesInMonth)}`);
    const sat = summary.satisfaction.month!;
    expect(flat).toContain(
      `${sat.feedback} ${pct(sat.responseRatePct ?? null)} ${pct(sat.positivePct ?? null)} ${pct(sat.neutralPct ?? null)} ${pct(sat.negativePct ?? null)} ${sat.nps ?? '—'} ${summary.satisfaction.lastThreeMonthsNps ?? '—'} ${sat.complaints}`,
    );
    const split = summary.priorityIncidentsByManagement;
    expect(flat).toContain(
      `Under IT's management ${split.underItManagement.count} ${minutes(split.underItManagement.outageMinutes)} Outside IT's management ${split.outsideItManagement.count} ${minutes(split.outsideItManagement.outageMinutes)}`,
    );
    for (const m of summary.majorIncidents) expect(flat).toContain(`${m.reference} ${m.ticketId} ${m.tenantsAffected.join(', ')}`);
    // Operators' text prints as the characters typed; those the standard fonts cannot show as '?'.
    expect(flat).toContain('-2+3+cmd|calc');
    expect(flat).toContain('=1+1 <script>alert(1)');
    expect(flat).toContain('@SUM(A1) ?? Network');
  });

  it('gives the group its side-by-side tables, stamped', async () => {
    const { text, pages } = await readPdf(docs.groupPdf);
    for (const page of pages) expect([Math.round(page.width), Math.round(page.height)]).toEqual([595, 842]);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('IT Service Delivery Summary — City of London, July 2023');
    expect(flat).toContain('Members: City of London Corporation (CoL), City of London Police (CoLP)');
    expect(flat).toContain(`log position ${group.logPosition}`);
    expect(flat).toContain(headHash);
    expect(flat).toContain(`P1 ${group.counts.CoL?.P1} ${group.counts.CoLP?.P1} ${group.counts[GROUP]?.P1}`);
    // Every side-by-side figure: each member's and the group's, a ratio with its counts.
    const cell = (r: SideBySide, c: SideBySide['group'] | undefined) =>
      c === undefined ? '—' : `${c.actual === null ? '—' : `${c.actual}${r.unit}`}${c.total !== null ? ` (${c.met} / ${c.total})` : ''}`;
    for (const rows of [group.metrics, group.demand, group.backlog, group.suppliers, group.availability, group.satisfaction]) {
      for (const r of rows) expect(flat).toContain([...group.tenantIds.map((t) => cell(r, r.byTenant[t])), cell(r, r.group)].join(' '));
    }
  });

  it('holds nothing that acts: no script, action, link, form or attachment', async () => {
    const raw = Buffer.concat([docs.pdf, docs.groupPdf]).toString('latin1');
    expect(raw).not.toMatch(/\/(JavaScript|JS|OpenAction|AA|Launch|URI|SubmitForm|ImportData|EmbeddedFile|AcroForm|RichMedia)\b/);
  });
});

describe('the same summary', () => {
  it('gives the same bytes every time, in both formats; another moment gives others', async () => {
    expect((await renderSummaryPdf(summary, stamp)).equals(docs.pdf)).toBe(true);
    expect((await renderSummaryXlsx(summary, stamp)).equals(docs.xlsx)).toBe(true);
    expect((await renderGroupSummaryPdf(group, stamp)).equals(docs.groupPdf)).toBe(true);
    expect((await renderGroupSummaryXlsx(group, stamp)).equals(docs.groupXlsx)).toBe(true);
    const later = { ...summary, generatedAt: '2023-08-15T09:30:00.000Z' };
    expect((await renderSummaryXlsx(later, stamp)).equals(docs.xlsx)).toBe(false);
  });
});
