import { asLogPosition } from '@itsm/event-store';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { SqliteReadStore } from '@itsm/read-store-sqlite';
import { renderSummaryHtml, renderSummaryMarkdown } from '@itsm/report-rendering';
import { buildServiceDeliverySummary, Projector, ReportQueries, reportsProjection } from '../src';
import { commander, raise, resolve, seedCatalogue } from './reports-fixture';

describe('report read models on a hand-built history (hand-worked figures, July 2023)', () => {
  let events: SqliteEventStore;
  let reads: SqliteReadStore;
  let q: ReportQueries;

  beforeAll(async () => {
    events = new SqliteEventStore({ filename: ':memory:' });
    reads = new SqliteReadStore(':memory:');
    await seedCatalogue(events);
    const run = commander(events);
    // T1: P1, answered in 10 min (SD3 met), with Konica from 08:05, fixed in 90 min (IM1 met); 19-minute printing outage.
    await run('T1', raise('T1', 'P1'), '2023-07-03T08:00:00Z');
    await run('T1', { type: 'AssignTicket', groupId: 'desktop', supplierId: 'konica' } as never, '2023-07-03T08:05:00Z');
    await run('T1', { type: 'RespondToTicket', respondedBy: 'desk' } as never, '2023-07-03T08:10:00Z');
    await run('T1', { type: 'RecordOutage', from: '2023-07-03T08:00:00Z', to: '2023-07-03T08:19:00Z' } as never, '2023-07-03T08:30:00Z');
    await run('T1', resolve(), '2023-07-03T09:30:00Z');
    await run('T1', { type: 'RecordFeedback', satisfaction: 4, nps: 9 } as never, '2023-07-03T12:00:00Z');
    // T2: P1, answered in 20 min (SD3 breached), fixed in 3 h (IM1 breached); a major incident; feedback 2/3; a complaint.
    await run('T2', raise('T2', 'P1'), '2023-07-04T08:00:00Z');
    await run('T2', { type: 'RespondToTicket', respondedBy: 'desk' } as never, '2023-07-04T08:20:00Z');
    await run('T2', { type: 'DeclareMajorIncident', reference: 'MIR101', tenantsAffected: ['CoL'], trigger: 'several_p1s' } as never, '2023-07-04T08:30:00Z');
    await run('T2', resolve(), '2023-07-04T11:00:00Z');
    await run('T2', { type: 'RecordFeedback', satisfaction: 2, nps: 3 } as never, '2023-07-05T09:00:00Z');
    await run('T2', { type: 'RecordComplaint', description: 'slow' } as never, '2023-07-10T09:00:00Z');
    // T3: P2, a 2-hour customer hold: 5h30 elapsed less 2h = 3h30 within IM2's 4h.
    await run('T3', raise('T3', 'P2'), '2023-07-05T10:00:00Z');
    await run('T3', { type: 'RespondToTicket', respondedBy: 'desk' } as never, '2023-07-05T10:05:00Z');
    await run('T3', { type: 'PutTicketOnHold', reason: 'awaiting_customer' } as never, '2023-07-05T11:00:00Z');
    await run('T3', { type: 'ResumeTicket' } as never, '2023-07-05T13:00:00Z');
    await run('T3', resolve('service-desk', true), '2023-07-05T15:30:00Z');
    await run('T3', { type: 'RecordFeedback', satisfaction: 3, nps: 7 } as never, '2023-07-10T10:00:00Z');
    // T4: a P3 service request left open: aged at the Mondays 7 and 14 August (31 and 38 days).
    await run('T4', raise('T4', 'P3', 'service_request'), '2023-07-06T09:00:00Z');
    // T5: in August, moving the log's time past those Mondays.
    await run('T5', raise('T5', 'P4'), '2023-08-15T09:00:00Z');
    await run('T5', resolve(), '2023-08-15T10:00:00Z');

    const projector = new Projector(events, reads, reportsProjection(), { batchSize: 7 });
    await projector.init();
    await projector.catchUp();
    q = new ReportQueries(reads, (c) => projector.collection(c));
  });
  afterAll(async () => {
    await events.close();
    await reads.close();
  });

  it('SLA performance: % within target per metric and priority, against the goal', async () => {
    const { rows, breachedStillOpen } = await q.slaPerformance({
      tenantId: 'CoL',
      range: { from: '2023-07', to: '2023-07' },
      granularity: 'month',
      dimension: 'all',
    });
    const pick = (metric: string, priority: string) => rows.find((r) => r.metric === metric && r.priority === priority && r.kind === 'incident');
    expect(pick('response', 'P1')).toMatchObject({ reference: 'SD3', total: 2, met: 1, breached: 1, pctMet: 50, goalPct: 98, goalMet: false });
    expect(pick('resolution', 'P1')).toMatchObject({ reference: 'IM1', total: 2, met: 1, breached: 1, pctMet: 50 });
    expect(pick('response', 'P2')).toMatchObject({ reference: 'SD4', total: 1, met: 1, pctMet: 100, goalMet: true });
    expect(pick('resolution', 'P2')).toMatchObject({ reference: 'IM2', total: 1, met: 1, pctMet: 100 });
    expect(breachedStillOpen).toEqual({});
    const quarter = await q.slaPerformance({ tenantId: 'CoL', range: { from: '2023-07', to: '2023-09' }, granularity: 'quarter', dimension: 'all' });
    expect(quarter.rows.find((r) => r.metric === 'resolution' && r.priority === 'P1')).toMatchObject({ period: '2023-Q3', total: 2, met: 1 });
    const bySupplier = await q.slaPerformance({
      tenantId: 'CoL',
      range: { from: '2023-07', to: '2023-07' },
      granularity: 'month',
      dimension: 'supplier',
      value: 'konica',
    });
    expect(bySupplier.rows.map((r) => [r.metric, r.priority, r.total, r.met])).toEqual([
      ['resolution', 'P1', 1, 1],
      ['response', 'P1', 1, 1],
    ]);
  });

  it('demand: raised, resolved and open at month end', async () => {
    const rows = await q.demand({ tenantId: 'CoL', range: { from: '2023-07', to: '2023-08' }, granularity: 'month' });
    expect(rows).toEqual([
      // T3 (P2) was fixed first-line by the service desk (SD2); T1, T2 and T5 were not.
      { period: '2023-07', kind: 'incident', priority: 'P1', raised: 2, resolved: 2, openAtEnd: 0, incidentsResolved: 2, firstLineFixes: 0, partial: false },
      { period: '2023-07', kind: 'incident', priority: 'P2', raised: 1, resolved: 1, openAtEnd: 0, incidentsResolved: 1, firstLineFixes: 1, partial: false },
      {
        period: '2023-07',
        kind: 'service_request',
        priority: 'P3',
        raised: 1,
        resolved: 0,
        openAtEnd: 1,
        incidentsResolved: 0,
        firstLineFixes: 0,
        partial: false,
      },
      { period: '2023-08', kind: 'incident', priority: 'P4', raised: 1, resolved: 1, openAtEnd: 0, incidentsResolved: 1, firstLineFixes: 0, partial: false },
    ]);
  });

  it('demand: the month in progress is partial, and what is open now stands for its open-at-end', async () => {
    // Before: August's open-at-end was 0 (no month start had passed), though T4 is open.
    const rows = await q.demand({
      tenantId: 'CoL',
      range: { from: '2023-07', to: '2023-08' },
      granularity: 'month',
      now: Date.parse('2023-08-16T00:00:00Z'),
      zone: 'Europe/London',
    });
    expect(rows.filter((r) => r.period === '2023-08').map((r) => [r.kind, r.priority, r.openAtEnd, r.partial])).toEqual([
      ['incident', 'P4', 0, true],
      ['service_request', 'P3', 1, true],
    ]);
    expect(rows.filter((r) => r.period === '2023-07').every((r) => !r.partial)).toBe(true);
    const quarter = await q.demand({
      tenantId: 'CoL',
      range: { from: '2023-07', to: '2023-08' },
      granularity: 'financial-quarter',
      now: Date.parse('2023-08-16T00:00:00Z'),
      zone: 'Europe/London',
    });
    expect(quarter.map((r) => [r.period, r.kind, r.priority, r.raised, r.openAtEnd, r.partial])).toEqual([
      ['2023-24 Q2', 'incident', 'P1', 2, 0, true],
      ['2023-24 Q2', 'incident', 'P2', 1, 0, true],
      ['2023-24 Q2', 'incident', 'P4', 1, 0, true],
      ['2023-24 Q2', 'service_request', 'P3', 1, 1, true],
    ]);
  });

  it('aged backlog: tickets open over 30 days at each Monday 00:00 London time, with ids and age buckets', async () => {
    const backlog = await q.agedBacklog({ tenantId: 'CoL', fromWeek: '2023-07-01', toWeek: '2023-09-01', now: Date.parse('2023-08-16T00:00:00Z'), days: 30 });
    // Weeks are labelled by their local Monday (not 23:00 UTC the Sunday before), and empty ones are shown.
    const empty = { total: 0, byPriority: {}, byKind: {}, byGroup: {}, bySupplier: {}, byAge: {}, ticketIds: [] };
    expect(backlog.weeks).toEqual([
      ...['2023-07-03', '2023-07-10', '2023-07-17', '2023-07-24', '2023-07-31'].map((week) => ({ week, ...empty })),
      {
        week: '2023-08-07',
        total: 1,
        byPriority: { P3: 1 },
        byKind: { service_request: 1 },
        byGroup: { unassigned: 1 },
        bySupplier: { none: 1 },
        byAge: { '30-60': 1 },
        ticketIds: ['T4'],
      },
      {
        week: '2023-08-14',
        total: 1,
        byPriority: { P3: 1 },
        byKind: { service_request: 1 },
        byGroup: { unassigned: 1 },
        bySupplier: { none: 1 },
        byAge: { '30-60': 1 },
        ticketIds: ['T4'],
      },
    ]);
    expect(backlog.now).toMatchObject({ total: 1, ticketIds: ['T4'] });
  });

  it('satisfaction: response rate, sentiment split, NPS, complaints', async () => {
    expect(await q.satisfaction({ tenantId: 'CoL', range: { from: '2023-07', to: '2023-07' }, granularity: 'month' })).toEqual([
      {
        period: '2023-07',
        feedback: 3,
        resolved: 3,
        satisfactionAnswers: 3,
        positive: 1,
        neutral: 1,
        negative: 1,
        promoters: 1,
        detractors: 1,
        responseRatePct: 100,
        positivePct: 33.33,
        neutralPct: 33.33,
        negativePct: 33.33,
        goodOrVeryGoodPct: 33.33,
        npsAnswers: 3,
        nps: 0,
        complaints: 1,
      },
    ]);
  });

  it('service availability: a 19-minute outage in July against a 99% target', async () => {
    const a = await q.serviceAvailability({ month: '2023-07', zone: 'Europe/London', tenantId: 'CoL' });
    expect(a.services).toEqual([
      {
        serviceId: 'crm',
        name: 'CRM',
        ownership: 'business_owned',
        underItManagement: false,
        supplierId: null,
        outageMinutes: 0,
        availabilityPct: 100,
        targetPct: 99.5,
        targetMet: true,
        outages: [],
      },
      {
        serviceId: 'printing',
        name: 'Printing',
        ownership: 'it_owned',
        underItManagement: true,
        supplierId: 'konica',
        outageMinutes: 19,
        availabilityPct: 99.96,
        targetPct: 99,
        targetMet: true,
        outages: [{ tenantId: 'CoL', ticketId: 'T1', from: '2023-07-03T08:00:00.000Z', to: '2023-07-03T08:19:00.000Z', minutesInMonth: 19 }],
      },
    ]);
    expect(a.underItManagement.outageMinutes).toBe(19);
    expect(a.outsideItManagement.outageMinutes).toBe(0);
  });

  it("supplier scorecard: Konica's July against its contract", async () => {
    const [card] = await q.supplierScorecards({ month: '2023-07', zone: 'Europe/London', supplierId: 'konica' });
    if (!card) throw new Error("expected konica's scorecard");
    expect(card).toMatchObject({
      supplierId: 'konica',
      tickets: 1,
      ticketsByPriority: { P1: 1, P2: 0, P3: 0, P4: 0 },
      resolved: 1,
      firstTimeFixPct: 100,
      meanTimeToRespondMinutes: 10,
      meanWorkingMinutesToResolve: 85,
      reopenRatePct: 0,
      outageMinutes: 19,
      breaches: 0,
    });
    expect(card.p1p2.map((t) => t.ticketId)).toEqual(['T1']);
    expect(card.raisedTickets.map((t) => t.ticketId)).toEqual(['T1']);
    expect(card.resolvedTickets).toEqual([
      { tenantId: 'CoL', ticketId: 'T1', kind: 'incident', priority: 'P1', firstTimeFix: true, workingMinutesWithSupplier: 85 },
    ]);
    expect(card.contract).toEqual([
      { measure: 'firstTimeFixPct', target: 95, actual: 100, rag: 'green' },
      { measure: 'uptimePct', target: 97, actual: 99.96, rag: 'green' },
      { measure: 'meanResponseMinutes', target: 240, actual: 10, rag: 'green' },
    ]);
  });

  it('major incidents: the register', async () => {
    expect(await q.majorIncidents({ tenantId: 'CoL' })).toEqual([
      expect.objectContaining({
        reference: 'MIR101',
        ticketId: 'T2',
        tenantsAffected: ['CoL'],
        priority: 'P1',
        status: 'resolved',
        rootCause: 'cause',
        resolvedAt: '2023-07-04T11:00:00.000Z',
      }),
    ]);
  });

  it('tickets: filter, sort and page', async () => {
    const page1 = await q.tickets({ tenantId: 'CoL', filter: { kind: 'incident' }, sort: { field: 'raisedAt', direction: 'asc' }, limit: 2 });
    expect(page1.items.map((t) => t.id)).toEqual(['T1', 'T2']);
    const page2 = await q.tickets({
      tenantId: 'CoL',
      filter: { kind: 'incident' },
      sort: { field: 'raisedAt', direction: 'asc' },
      limit: 2,
      cursor: page1.nextCursor!,
    });
    expect(page2.items.map((t) => t.id)).toEqual(['T3', 'T5']);
    expect(page2.nextCursor).toBeNull();
    expect((await q.tickets({ tenantId: 'CoL', filter: { breached: true } })).items.map((t) => t.id)).toEqual(['T2']);
    expect((await q.tickets({ tenantId: 'CoL', aged: { now: Date.parse('2023-08-16T00:00:00Z'), days: 30 } })).items.map((t) => t.id)).toEqual(['T4']);
  });

  describe('the monthly Service Delivery Summary of July 2023', () => {
    const build = () =>
      buildServiceDeliverySummary(q, {
        tenantId: 'CoL',
        month: '2023-07',
        zone: 'Europe/London',
        logPosition: asLogPosition(42n),
        now: new Date('2023-08-20T00:00:00Z'),
      });

    it('summary lines and the P1/P2 table', async () => {
      const s = await build();
      expect(s.counts).toEqual({ P1: 2, P2: 1 });
      expect(s.summary.slice(0, 6)).toEqual([
        'There were 2 P1 incidents for City of London Corporation.',
        'There was 1 P2 incident for City of London Corporation.',
        '2 of 3 P1 and P2 incidents were resolved within target.',
        'P1 incidents: 2 this month (0 in the same month a year earlier); 2 in the last 3 months (0 a year earlier).',
        'P2 incidents: 1 this month (0 in the same month a year earlier); 1 in the last 3 months (0 a year earlier).',
        'The Net Promoter Score average for the last 3 months is 0.', // July: 9, 3, 7 → 1 promoter, 1 detractor of 3
      ]);
      expect(
        s.priorityIncidents.map((t) => [
          t.id,
          t.priority,
          t.service,
          t.reason,
          t.resolution,
          t.supplier,
          t.outageMinutes,
          t.resolvedWithinTarget,
          t.majorIncident,
        ]),
      ).toEqual([
        ['T1', 'P1', 'Printing', 'cause', 'fixed', 'Konica', 19, true, null],
        ['T2', 'P1', 'Printing', 'cause', 'fixed', null, 0, false, 'MIR101'],
        ['T3', 'P2', 'Printing', 'cause', 'fixed', null, 0, true, null],
      ]);
      expect(s.logPosition).toBe('42');
    });

    it('the metric table: actual against goal with RAG', async () => {
      const m = Object.fromEntries((await build()).metrics.map((x) => [x.reference, [x.actual, x.rag]]));
      expect(m).toMatchObject({
        SD3: [50, 'red'],
        SD4: [100, 'green'],
        IM1: [50, 'red'],
        IM2: [100, 'green'],
        SD2: [33.33, 'red'],
        SD7: [33.33, 'grey'],
        SD11: [1, 'grey'],
        IM10: [0, 'grey'],
      });
    });

    it('12-month trend and demand per priority', async () => {
      const s = await build();
      expect(s.trend.incident).toHaveLength(12);
      expect(s.trend.incident.at(-1)).toEqual({ month: '2023-07', P1: 50, P2: 100, P3: null, P4: null });
      expect(s.trend.incident.at(-2)).toEqual({ month: '2023-06', P1: null, P2: null, P3: null, P4: null });
      expect(s.demand.at(-1)).toEqual({ month: '2023-07', partial: false, incidents: { P1: 2, P2: 1, P3: 0, P4: 0 }, serviceRequests: 1, total: 4 });
      expect(s.majorIncidents.map((x) => x.reference)).toEqual(['MIR101']);
    });

    it("Markdown and one self-contained HTML page with SVG charts; operators' text is escaped", async () => {
      const s = await build();
      const md = renderSummaryMarkdown(s);
      expect(md).toContain('# IT Service Delivery Summary — City of London Corporation, July 2023\n');
      expect(md).toContain('| T1 | P1 | Printing | yes | cause | fixed | Konica | 19 min | yes |');
      expect(md).toContain('| SD3 | P1 incidents responded to within 15 minutes | 50% | 98% | 1 / 2 | RED |');
      expect(md).toContain('| IM2 | P2 incidents resolved within 4 hours | 100% | 98% | 1 / 1 | GREEN |');
      // Every table has its definition under it.
      expect(md.match(/_Who counts:_/g)).toHaveLength(9);
      expect(md).toContain('| Printing | T1 | 3 Jul 2023 09:00 | 3 Jul 2023 09:19 | 19 min |');
      expect(md).toContain('Reproduce every figure with `asOfPosition=42`');
      // Before any event there is no position to reproduce: never "asOfPosition=null".
      expect(renderSummaryMarkdown({ ...s, logPosition: null })).not.toContain('null');
      s.priorityIncidents[0]!.reason = '<script>alert(1)</script>';
      const html = renderSummaryHtml(s);
      expect(html).toMatch(/^<!doctype html>/);
      expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(3 + 4);
      expect(html).toContain('<td class="rag-RED">RED</td>');
      expect(html).not.toContain('<script>');
      expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // nothing fetched from elsewhere
    });
  });
});
