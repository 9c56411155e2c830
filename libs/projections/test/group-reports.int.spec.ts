import fc from 'fast-check';
import { parseTicketStream } from '@itsm/domain';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import type { RecordedEvent } from '@itsm/event-store';
import { SqliteReadStore } from '@itsm/read-store-sqlite';
import { appendHistory, demoCatalogue, generateHistory, loadCatalogue } from '@itsm/simulation';
import { GRANULARITIES, monthOf, monthRange, periodOf, Projector, ReportQueries, reportsProjection, type Granularity } from '../src';
import { GroupReports, GROUP_TOTAL } from '../src/reports/group-reports';

/**
 * A tenant group's totals against its members' own reports, on thousands of generated tickets over
 * the five tenants: random groups, granularities, dimensions and ranges. Every member row is its own
 * report's row; every total is the sum of its members' figures, and each percentage is recomputed
 * from summed counts, checked against a brute-force count over the recorded events where the
 * members' answers show only percentages (NPS, sentiment split, availability's union of outages).
 */
const TICKETS = Number(process.env.GROUP_ORACLE_TICKETS ?? 4000);
const SEED = 20231;
const TENANTS = ['CoL', 'CoLP', 'LBB', 'LBL', 'LBS'];
const ZONE = 'Europe/London';
const MONTHS = ['2023-01', '2023-02', '2023-03', '2023-04', '2023-05', '2023-06', '2023-07', '2023-08'];
const round2 = (x: number) => Math.round(x * 100) / 100;
const pct = (part: number, whole: number) => (whole > 0 ? round2((100 * part) / whole) : null);

let events: SqliteEventStore;
let reads: SqliteReadStore;
let queries: ReportQueries;
let group: GroupReports;
let all: RecordedEvent[];
let logTime: number;

beforeAll(async () => {
  events = new SqliteEventStore({ filename: ':memory:' });
  const catalogue = demoCatalogue();
  await loadCatalogue(events, catalogue, new Date('2023-01-01T00:00:00Z'));
  await appendHistory(events, generateHistory(catalogue, { seed: SEED, tickets: TICKETS, from: '2023-01-02T00:00:00Z', days: 210 }), { seed: SEED });
  reads = new SqliteReadStore(':memory:');
  const projector = new Projector(events, reads, reportsProjection(), { batchSize: 2000 });
  await projector.init();
  await projector.catchUp();
  queries = new ReportQueries(reads, (c) => projector.collection(c));
  group = new GroupReports(queries);
  all = [];
  for await (const e of events.readAll()) all.push(e);
  logTime = Math.max(...all.map((e) => Date.parse(typeof e.data.occurredAt === 'string' ? e.data.occurredAt : '')).filter((x) => !Number.isNaN(x)));
}, 300_000);
afterAll(async () => {
  await reads.close();
  await events.close();
});

const groups = fc.shuffledSubarray(TENANTS, { minLength: 2 });
const range = fc
  .tuple(fc.integer({ min: 0, max: MONTHS.length - 1 }), fc.integer({ min: 0, max: MONTHS.length - 1 }))
  .map(([a, b]) => ({ from: MONTHS[Math.min(a, b)]!, to: MONTHS[Math.max(a, b)]! })); // indexes within MONTHS
const granularity = fc.constantFrom<Granularity>(...GRANULARITIES);
const RUNS = { numRuns: 12, seed: SEED };

/** Each key's member rows are the members' own rows, in the group's order, then its total row. */
function expectSideBySide<R extends { tenantId: string }>(rows: R[], tenantIds: string[], own: Map<string, object[]>, keyOf: (r: R) => string) {
  const members = new Map(tenantIds.map((t) => [t, rows.filter((r) => r.tenantId === t)]));
  // A member's own row, tagged with the member (a register row names its tenant already: the same one).
  for (const t of tenantIds) expect(members.get(t)).toEqual(expect.arrayContaining(own.get(t)!.map((r) => ({ ...r, tenantId: t }))));
  for (const t of tenantIds) expect(members.get(t)!.length).toBe(own.get(t)!.length);
  let key: string | undefined;
  let seen: string[] = [];
  for (const r of rows) {
    if (key !== keyOf(r)) {
      expect(key === undefined || seen.at(-1) === GROUP_TOTAL).toBe(true);
      key = keyOf(r);
      seen = [];
    }
    seen.push(r.tenantId);
    if (r.tenantId !== GROUP_TOTAL) expect(tenantIds.indexOf(r.tenantId)).toBeGreaterThan(seen.length > 1 ? tenantIds.indexOf(seen.at(-2)!) : -1);
  }
  expect(rows.length === 0 || rows.at(-1)!.tenantId === GROUP_TOTAL).toBe(true);
}

/** Sum of a figure over the member rows of one key. */
const sumOf = <R extends { tenantId: string }>(rows: R[], key: (r: R) => string, k: string, f: (r: R) => number) =>
  rows.filter((r) => r.tenantId !== GROUP_TOTAL && key(r) === k).reduce((n, r) => n + f(r), 0);

describe(`tenant group totals equal the sum of the members' own reports (${TICKETS} generated tickets, five tenants)`, () => {
  it('the history spreads over every tenant and has something to sum', async () => {
    const perTenant = new Map<string, number>();
    for (const e of all) {
      const t = parseTicketStream(e.streamId);
      if (t && e.type === 'IncidentRaised') perTenant.set(t.tenantId, (perTenant.get(t.tenantId) ?? 0) + 1);
    }
    expect([...perTenant.keys()].sort()).toEqual([...TENANTS].sort());
    expect([...perTenant.values()].every((n) => n > TICKETS / 10)).toBe(true);
  });

  it('SLA performance: counts summed, % met recomputed, goals kept only when shared', async () => {
    await fc.assert(
      fc.asyncProperty(groups, range, granularity, fc.constantFrom('all', 'service', 'supplier', 'group'), async (tenantIds, r, g, dimension) => {
        const body = await group.slaPerformance({ tenantIds, range: r, granularity: g, dimension });
        const own = new Map(
          await Promise.all(tenantIds.map(async (t) => [t, await queries.slaPerformance({ tenantId: t, range: r, granularity: g, dimension })] as const)),
        );
        const key = (x: { period: string; metric: string; kind: string; priority: string; value: string }) =>
          [x.period, x.metric, x.kind, x.priority, x.value].join('|');
        expectSideBySide(body.rows, tenantIds, new Map([...own].map(([t, a]) => [t, a.rows])), key);
        const totals = body.rows.filter((x) => x.tenantId === GROUP_TOTAL);
        expect(new Set(totals.map(key))).toEqual(new Set([...own.values()].flatMap((a) => a.rows.map(key))));
        for (const total of totals) {
          const k = key(total);
          const members = body.rows.filter((x) => x.tenantId !== GROUP_TOTAL && key(x) === k);
          expect(total.total).toBe(sumOf(body.rows, key, k, (x) => x.total));
          expect(total.met).toBe(sumOf(body.rows, key, k, (x) => x.met));
          expect(total.breached).toBe(sumOf(body.rows, key, k, (x) => x.breached));
          expect(total.pctMet).toBe(pct(total.met, total.total));
          const goals = new Set(members.map((x) => x.goalPct));
          expect(total.goalPct).toBe(goals.size === 1 ? members[0]!.goalPct : null);
          expect(total.goalMet).toBe(total.pctMet === null || total.goalPct === null ? null : total.pctMet >= total.goalPct);
        }
        for (const t of tenantIds) {
          expect(body.breachedStillOpen[t]).toEqual(own.get(t)!.breachedStillOpen);
          expect(body.breachedStillOpenTicketIds[t]).toEqual(own.get(t)!.breachedStillOpenTicketIds);
        }
        const summed: Record<string, number> = {};
        for (const t of tenantIds) for (const [p, n] of Object.entries(own.get(t)!.breachedStillOpen)) summed[p] = (summed[p] ?? 0) + n;
        expect(body.breachedStillOpen[GROUP_TOTAL]).toEqual(summed);
      }),
      RUNS,
    );
  });

  it('demand: raised, resolved, open at end and first-line fixes summed per period × kind × priority', async () => {
    const now = logTime;
    await fc.assert(
      fc.asyncProperty(groups, range, granularity, async (tenantIds, r, g) => {
        const body = await group.demand({ tenantIds, range: r, granularity: g, now, zone: ZONE });
        const own = new Map(
          await Promise.all(tenantIds.map(async (t) => [t, await queries.demand({ tenantId: t, range: r, granularity: g, now, zone: ZONE })] as const)),
        );
        const key = (x: { period: string; kind: string; priority: string }) => [x.period, x.kind, x.priority].join('|');
        expectSideBySide(body.rows, tenantIds, own, key);
        for (const total of body.rows.filter((x) => x.tenantId === GROUP_TOTAL)) {
          const k = key(total);
          for (const f of ['raised', 'resolved', 'openAtEnd', 'incidentsResolved', 'firstLineFixes'] as const)
            expect(total[f]).toBe(sumOf(body.rows, key, k, (x) => x[f]));
        }
        const raised = body.rows.filter((x) => x.tenantId === GROUP_TOTAL).reduce((n, x) => n + x.raised, 0);
        expect(raised).toBe([...own.values()].flat().reduce((n, x) => n + x.raised, 0));
      }),
      RUNS,
    );
  });

  it('satisfaction: counts summed; response rate, sentiment split and NPS equal a count over the recorded feedback', async () => {
    // Each ticket's feedback (the latest, as the ticket keeps it) by tenant.
    const feedback = new Map<string, { tenantId: string; month: string; satisfaction?: number; nps?: number }>();
    for (const e of all) {
      const t = parseTicketStream(e.streamId);
      if (!t || e.type !== 'FeedbackRecorded') continue;
      const d = e.data as { satisfaction?: number; nps?: number; occurredAt: string };
      feedback.set(e.streamId, { tenantId: t.tenantId, month: monthOf(Date.parse(d.occurredAt), ZONE), satisfaction: d.satisfaction, nps: d.nps });
    }
    expect(feedback.size).toBeGreaterThan(100);
    await fc.assert(
      fc.asyncProperty(groups, range, granularity, async (tenantIds, r, g) => {
        const body = await group.satisfaction({ tenantIds, range: r, granularity: g });
        const own = new Map(await Promise.all(tenantIds.map(async (t) => [t, await queries.satisfaction({ tenantId: t, range: r, granularity: g })] as const)));
        expectSideBySide(body.rows, tenantIds, own, (x) => x.period);
        for (const total of body.rows.filter((x) => x.tenantId === GROUP_TOTAL)) {
          for (const f of ['feedback', 'resolved', 'satisfactionAnswers', 'npsAnswers', 'complaints'] as const)
            expect(total[f]).toBe(
              sumOf(
                body.rows,
                (x) => x.period,
                total.period,
                (x) => x[f],
              ),
            );
          expect(total.responseRatePct).toBe(pct(total.feedback, total.resolved));
          const mine = [...feedback.values()].filter(
            (f) => tenantIds.includes(f.tenantId) && f.month >= r.from && f.month <= r.to && periodOf(f.month, g) === total.period,
          );
          const answered = mine.filter((f) => f.satisfaction !== undefined);
          const scored = mine.filter((f) => f.nps !== undefined);
          expect(total.feedback).toBe(mine.length);
          expect(total.positivePct).toBe(pct(answered.filter((f) => f.satisfaction! >= 4).length, answered.length));
          expect(total.neutralPct).toBe(pct(answered.filter((f) => f.satisfaction === 3).length, answered.length));
          expect(total.negativePct).toBe(pct(answered.filter((f) => f.satisfaction! <= 2).length, answered.length));
          expect(total.goodOrVeryGoodPct).toBe(total.positivePct);
          const net = scored.filter((f) => f.nps! >= 9).length - scored.filter((f) => f.nps! <= 6).length;
          expect(total.nps).toBe(scored.length ? round2((100 * net) / scored.length) : null);
        }
      }),
      RUNS,
    );
  });

  it('aged backlog: each week’s and now’s counts summed, the tickets named with their tenant', async () => {
    await fc.assert(
      fc.asyncProperty(groups, fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 16 }), async (tenantIds, startWeek, weeks) => {
        const start = Date.parse('2023-02-06T00:00:00Z') + startWeek * 7 * 86_400_000;
        const fromWeek = new Date(start).toISOString().slice(0, 10);
        const toWeek = new Date(start + weeks * 7 * 86_400_000).toISOString().slice(0, 10);
        const q = { fromWeek, toWeek, now: logTime, days: 30, zone: ZONE };
        const body = await group.agedBacklog({ tenantIds, ...q });
        const own = new Map(await Promise.all(tenantIds.map(async (t) => [t, await queries.agedBacklog({ tenantId: t, ...q })] as const)));
        expectSideBySide(body.weeks, tenantIds, new Map([...own].map(([t, a]) => [t, a.weeks])), (w) => w.week);
        const check = (
          total: { total: number; byPriority: Record<string, number>; byAge: Record<string, number>; ticketIds: string[] },
          members: Array<[string, { total: number; byPriority: Record<string, number>; byAge: Record<string, number>; ticketIds: string[] }]>,
        ) => {
          expect(total.total).toBe(members.reduce((n, [, m]) => n + m.total, 0));
          for (const by of ['byPriority', 'byAge'] as const) {
            const summed: Record<string, number> = {};
            for (const [, m] of members) for (const [k, n] of Object.entries(m[by])) summed[k] = (summed[k] ?? 0) + n;
            expect(total[by]).toEqual(summed);
          }
          expect([...total.ticketIds].sort()).toEqual(members.flatMap(([t, m]) => m.ticketIds.map((id) => `${t}.${id}`)).sort());
        };
        for (const total of body.weeks.filter((w) => w.tenantId === GROUP_TOTAL)) {
          check(
            total,
            tenantIds.flatMap((t) =>
              own
                .get(t)!
                .weeks.filter((w) => w.week === total.week)
                .map((w) => [t, w] as [string, typeof w]),
            ),
          );
        }
        check(
          body.now.find((n) => n.tenantId === GROUP_TOTAL)!,
          tenantIds.map((t) => [t, own.get(t)!.now]),
        );
      }),
      RUNS,
    );
  });

  it('availability: the group’s outage minutes per service are the union of its members’ recorded outages, never their sum', async () => {
    const outages = all
      .filter((e) => e.type === 'OutageRecorded' && parseTicketStream(e.streamId))
      .map((e) => ({
        tenantId: parseTicketStream(e.streamId)!.tenantId,
        serviceId: String(e.data.serviceId),
        from: Date.parse(String(e.data.from)),
        to: Date.parse(String(e.data.to)),
      }));
    expect(outages.length).toBeGreaterThan(20);
    /** Minutes of [start, end) covered by at least one interval: every piece between two consecutive ends, kept if some interval holds it. */
    const covered = (xs: Array<{ from: number; to: number }>, start: number, end: number) => {
      const cuts = [...new Set([start, end, ...xs.flatMap((o) => [o.from, o.to])])].filter((x) => x >= start && x <= end).sort((a, b) => a - b);
      let ms = 0;
      for (let i = 1; i < cuts.length; i++) if (xs.some((o) => o.from <= cuts[i - 1]! && cuts[i]! <= o.to)) ms += cuts[i]! - cuts[i - 1]!;
      return ms / 60_000;
    };
    let overlapping = 0;
    await fc.assert(
      fc.asyncProperty(groups, fc.constantFrom(...MONTHS), async (tenantIds, month) => {
        const body = await group.serviceAvailability({ tenantIds, month, zone: ZONE });
        const own = new Map(await Promise.all(tenantIds.map(async (t) => [t, await queries.serviceAvailability({ tenantId: t, month, zone: ZONE })] as const)));
        expectSideBySide(body.services, tenantIds, new Map([...own].map(([t, a]) => [t, a.services])), (s) => s.serviceId);
        const [start, end] = monthRange(month, ZONE);
        for (const total of body.services.filter((s) => s.tenantId === GROUP_TOTAL)) {
          const mine = outages.filter((o) => o.serviceId === total.serviceId && tenantIds.includes(o.tenantId));
          const minutes = covered(mine, start, end);
          expect(total.outageMinutes).toBe(round2(minutes));
          expect(total.availabilityPct).toBe(round2(100 - (100 * minutes) / ((end - start) / 60_000)));
          // Never more than the sum of the members' (each rounded to 0.01).
          const summed = sumOf(
            body.services,
            (s) => s.serviceId,
            total.serviceId,
            (s) => s.outageMinutes,
          );
          expect(total.outageMinutes).toBeLessThanOrEqual(summed + 0.01 * tenantIds.length);
          if (total.outageMinutes < summed - 1) overlapping++;
        }
        for (const under of [true, false]) {
          const split = under ? body.underItManagement : body.outsideItManagement;
          const services = body.services.filter((s) => s.tenantId === GROUP_TOTAL && s.underItManagement === under);
          expect(split[GROUP_TOTAL]?.outageMinutes).toBe(round2(services.reduce((n, s) => n + s.outageMinutes, 0)));
          for (const t of tenantIds) expect(split[t]).toEqual(under ? own.get(t)!.underItManagement : own.get(t)!.outsideItManagement);
        }
      }),
      { ...RUNS, numRuns: 24 },
    );
    // The sample holds outages of one service at the same time in two members: a sum would count them twice.
    expect(overlapping).toBeGreaterThan(0);
  });

  it('supplier scorecards: volumes, breaches and lists summed; first-time fix and reopen rate from the summed counts', async () => {
    await fc.assert(
      fc.asyncProperty(groups, fc.constantFrom(...MONTHS), async (tenantIds, month) => {
        const body = await group.supplierScorecards({ tenantIds, month, zone: ZONE });
        const own = new Map(await Promise.all(tenantIds.map(async (t) => [t, await queries.supplierScorecards({ tenantId: t, month, zone: ZONE })] as const)));
        expectSideBySide(body.cards, tenantIds, own, (c) => c.supplierId);
        for (const total of body.cards.filter((c) => c.tenantId === GROUP_TOTAL)) {
          const cards = body.cards.filter((c) => c.tenantId !== GROUP_TOTAL && c.supplierId === total.supplierId);
          const s = (f: (c: (typeof cards)[number]) => number) => cards.reduce((n, c) => n + f(c), 0);
          expect(total.tickets).toBe(s((c) => c.tickets));
          expect(total.ticketsByPriority).toEqual({
            P1: s((c) => c.ticketsByPriority.P1),
            P2: s((c) => c.ticketsByPriority.P2),
            P3: s((c) => c.ticketsByPriority.P3),
            P4: s((c) => c.ticketsByPriority.P4),
          });
          expect(total.resolved).toBe(s((c) => c.resolved));
          expect(total.breaches).toBe(s((c) => c.breaches));
          expect(total.raisedTickets.length).toBe(total.tickets);
          expect(total.resolvedTickets.length).toBe(total.resolved);
          const fixes = total.resolvedTickets.filter((x) => x.firstTimeFix).length;
          expect(total.firstTimeFixPct).toBe(pct(fixes, total.resolved));
          // Reopened = resolved but not fixed first time: an independent check of the count recovered from each member's rate.
          expect(total.reopenRatePct).toBe(pct(total.resolved - fixes, total.resolved));
          const services = body.cards.length
            ? (await group.serviceAvailability({ tenantIds, month, zone: ZONE })).services.filter(
                (x) => x.tenantId === GROUP_TOTAL && x.supplierId === total.supplierId,
              )
            : [];
          expect(total.outageMinutes).toBe(round2(services.reduce((n, x) => n + x.outageMinutes, 0)));
          expect(total.meanTimeToRespondMinutes).toBeNull();
        }
      }),
      { ...RUNS, numRuns: 6 },
    );
  });

  it('major incidents: each member’s register, and each incident once for the group with the members it affected', async () => {
    await fc.assert(
      fc.asyncProperty(groups, async (tenantIds) => {
        const body = await group.majorIncidents({ tenantIds });
        const own = new Map(await Promise.all(tenantIds.map(async (t) => [t, await queries.majorIncidents({ tenantId: t })] as const)));
        const key = (x: { raisedAt: string; reference: string; ticketTenantId: string; ticketId: string }) =>
          [x.raisedAt, x.reference, x.ticketTenantId, x.ticketId].join('|');
        expectSideBySide(body.rows, tenantIds, own, key);
        const totals = body.rows.filter((x) => x.tenantId === GROUP_TOTAL);
        const distinct = new Set([...own.values()].flat().map(key));
        expect(totals.map(key).sort()).toEqual([...distinct].sort());
        for (const total of totals) expect(total.memberTenantIds).toEqual(tenantIds.filter((t) => own.get(t)!.some((x) => key(x) === key(total))));
      }),
      RUNS,
    );
  });
});
