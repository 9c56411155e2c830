import { randomUUID } from 'node:crypto';
import {
  DEFAULT_SLA_RULES,
  DomainError,
  decideTicket,
  evolveTicket,
  initialTicketState,
  parseTicketStream,
  ticketStream,
  type HoldReason,
  type Priority,
  type SlaPolicyVersion,
  type TicketCommand,
  type TicketEvent,
  type TicketKind,
  type TicketState,
} from '@itsm/domain';
import { prng } from '@itsm/simulation';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import type { RecordedEvent } from '@itsm/event-store';
import { SqliteReadStore } from '@itsm/read-store-sqlite';
import type { Checkpoint, DocumentWrite, ReadStore } from '@itsm/read-store';
import { tenant as tenantOf } from '@itsm/test-kit';
import { Projector, ReportQueries, reportsProjection, REPORT_COLLECTIONS, physicalCollection } from '../src';

const MIN = 60_000;
/** The reports projection's current version; the take-over test bumps it by one. */
const V = reportsProjection().version;
const TICKETS = Number(process.env.ORACLE_TICKETS ?? 1000);
const PRIORITIES: Priority[] = ['P1', 'P2', 'P3', 'P4'];
const TARGET: Record<Priority, number> = { P1: 120, P2: 240, P3: 600, P4: 2400 };
const RESPONSE: Record<Priority, number> = { P1: 15, P2: 30, P3: 120, P4: 480 };

/** A 24x7 policy: the oracle can then measure clocks with plain interval arithmetic. */
const policy: SlaPolicyVersion = {
  tenantId: 'CoL',
  version: 1,
  effectiveFrom: '2023-01-01T00:00:00.000Z',
  name: 'oracle',
  calendars: [{ id: '24x7', kind: '24x7' }],
  targets: (['incident', 'service_request'] as TicketKind[]).flatMap((kind) =>
    PRIORITIES.flatMap((priority) => [
      { kind, priority, metric: 'resolution' as const, targetMinutes: TARGET[priority], calendarId: '24x7', goalPct: 95 },
      ...(kind === 'incident' ? [{ kind, priority, metric: 'response' as const, targetMinutes: RESPONSE[priority], calendarId: '24x7', goalPct: 95 }] : []),
    ]),
  ),
  rules: DEFAULT_SLA_RULES,
  warningThresholdsPct: [75],
};
const tenant = tenantOf('CoL');
const service = { serviceId: 'email', name: 'Email', tenantIds: ['CoL'], critical: true, ownership: 'it_owned' as const, availabilityTargetPct: 99 };
const group = { groupId: 'g1', name: 'g1', tenantIds: ['CoL'], serviceDesk: false };
const supplier = { supplierId: 's1', name: 's1', targets: { firstTimeFixPct: 95, uptimePct: 97, meanResponseMinutes: 240 } };

/** Random valid lives: each next command is one the decider accepts in the current state. */
function generate(): Array<{ ticketId: string; at: number; events: TicketEvent[] }> {
  const rnd = prng(2023);
  const pick = <T>(xs: T[]): T => {
    const x = xs[Math.floor(rnd() * xs.length)];
    if (x === undefined) throw new Error('pick from an empty list');
    return x;
  };
  const out: Array<{ ticketId: string; at: number; events: TicketEvent[] }> = [];
  const start = Date.parse('2023-05-01T00:00:00Z');
  for (let i = 0; i < TICKETS; i++) {
    const ticketId = `R${i}`;
    let state: TicketState = initialTicketState();
    let at = start + Math.floor(rnd() * 120 * 24 * 60) * MIN;
    const ctx = () => ({ now: new Date(at).toISOString(), tenant, service, group, supplier, slaPolicy: policy, knownTenantIds: new Set(['CoL']) });
    const apply = (command: TicketCommand) => {
      let events: TicketEvent[];
      try {
        events = decideTicket(command, state, ctx());
      } catch (e) {
        if (e instanceof DomainError) return; // not valid here: the walk takes another step
        throw e;
      }
      state = events.reduce(evolveTicket, state);
      out.push({ ticketId, at, events });
    };
    apply({
      type: 'RaiseTicket',
      ticketId,
      tenantId: 'CoL',
      kind: pick<TicketKind>(['incident', 'incident', 'service_request']),
      priority: pick(PRIORITIES),
      serviceId: 'email',
      title: 't',
      description: 'd',
      reporter: 'r',
      channel: 'email',
      occurredAt: new Date(at).toISOString(),
    });
    const steps = Math.floor(rnd() * 9);
    for (let s = 0; s < steps && state.raised; s++) {
      at += Math.floor(Math.pow(rnd(), 3) * 20 * 24 * 60) * MIN + MIN;
      const t = state;
      const options: TicketCommand[] = [];
      const occurredAt = new Date(at).toISOString();
      if (t.status === 'closed') break;
      if (t.status !== 'resolved') {
        if (!t.respondedAt) options.push({ type: 'RespondToTicket', respondedBy: 'desk', occurredAt });
        options.push({ type: 'AssignTicket', groupId: 'g1', supplierId: rnd() < 0.5 ? 's1' : undefined, occurredAt });
        options.push({ type: 'ChangeTicketPriority', priority: pick(PRIORITIES.filter((p) => p !== t.priority)), reason: 'x', occurredAt });
        if (t.hold) options.push({ type: 'ResumeTicket', occurredAt });
        else options.push({ type: 'PutTicketOnHold', reason: pick<HoldReason>(['awaiting_customer', 'awaiting_supplier']), occurredAt });
        options.push({ type: 'ResolveTicket', resolutionCode: 'fixed', rootCause: 'x', resolvedByGroupId: 'g1', firstLineFix: rnd() < 0.5, occurredAt });
        options.push({ type: 'ResolveTicket', resolutionCode: 'fixed', rootCause: 'x', resolvedByGroupId: 'g1', firstLineFix: rnd() < 0.5, occurredAt });
      } else {
        options.push({ type: 'ReopenTicket', reason: 'again', occurredAt });
        options.push({ type: 'CloseTicket', occurredAt });
        if (!t.feedbackRecorded) options.push({ type: 'RecordFeedback', satisfaction: 1 + Math.floor(rnd() * 5), nps: Math.floor(rnd() * 11), occurredAt });
      }
      if (rnd() < 0.1) options.push({ type: 'RecordComplaint', description: 'x', occurredAt });
      apply(pick(options));
    }
  }
  return out;
}

// ---- The oracle: recomputes every figure straight from the recorded events, by brute force. ----
const londonParts = (ms: number) =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      year: 'numeric',
      month: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      day: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
const monthOf = (ms: number) => {
  const p = londonParts(ms);
  return `${p.year}-${p.month}`;
};
/** Local midnights found by walking UTC hours: Monday ones are week starts, day-01 ones month starts. */
function localMidnights(from: number, to: number) {
  const weeks: number[] = [];
  const months: number[] = [];
  for (let h = Math.ceil(from / 3_600_000) * 3_600_000; h <= to; h += 3_600_000) {
    const p = londonParts(h);
    if (p.hour !== '00' || p.minute !== '00') continue;
    if (p.weekday === 'Mon') weeks.push(h);
    if (p.day === '01') months.push(h);
  }
  return { weeks, months };
}

function oracle(all: RecordedEvent[]) {
  const logTime = Math.max(...all.map((e) => Date.parse(String(e.data.occurredAt))));
  const byTicket = new Map<string, RecordedEvent[]>();
  for (const e of all) if (parseTicketStream(e.streamId)) byTicket.set(e.streamId, [...(byTicket.get(e.streamId) ?? []), e]);
  const sla = new Map<string, { total: number; met: number; breached: number }>();
  const demand = new Map<string, { raised: number; resolved: number; openAtEnd: number }>();
  const firstLine = new Map<string, { incidentsResolved: number; firstLineFixes: number }>();
  const backlog = new Map<string, string[]>();
  const satisfaction = new Map<string, Record<string, number>>();
  const { weeks, months } = localMidnights(Date.parse('2023-04-01T00:00:00Z'), logTime);
  for (const events of byTicket.values()) {
    const ops = events.filter((e) => !e.type.startsWith('Sla'));
    const d = (e: RecordedEvent) => e.data as Record<string, unknown>;
    const [raised] = ops;
    if (!raised) throw new Error('a ticket without events');
    const raisedAt = Date.parse(String(d(raised).occurredAt));
    const kind = String(d(raised).kind);
    let priority = String(d(raised).priority);
    const changes: Array<[number, string]> = [];
    const holds: Array<[number, number, string]> = [];
    const windows: Array<[number, number]> = [];
    let openFrom: number | null = raisedAt;
    let responded: number | null = null;
    let firstResolution: number | null = null;
    let feedback: { s: number; n: number; at: number } | null = null;
    const complaints: number[] = [];
    const resolutionMonths = new Set<string>();
    for (const e of ops.slice(1)) {
      const at = Date.parse(String(d(e).occurredAt));
      const closeHold = () => {
        const h = holds[holds.length - 1];
        if (h && h[1] === Infinity) h[1] = at;
      };
      switch (e.type) {
        case 'IncidentResponded':
          responded = at;
          break;
        case 'IncidentPriorityChanged':
          priority = String(d(e).to);
          changes.push([at, priority]);
          break;
        case 'IncidentPutOnHold':
          holds.push([at, Infinity, String(d(e).reason)]);
          break;
        case 'IncidentResumed':
          closeHold();
          break;
        case 'IncidentResolved':
          closeHold();
          windows.push([openFrom!, at]);
          openFrom = null;
          firstResolution ??= at;
          resolutionMonths.add(monthOf(at));
          break;
        case 'IncidentReopened':
          openFrom = at;
          break;
        case 'FeedbackRecorded':
          feedback = { s: Number(d(e).satisfaction), n: Number(d(e).nps), at };
          break;
        case 'ComplaintRecorded':
          complaints.push(at);
          break;
      }
    }
    if (openFrom !== null) windows.push([openFrom, Infinity]);
    const priorityAt = (stop: number) => {
      let p = String(d(raised).priority);
      for (const [at, to] of changes) if (at < stop) p = to;
      return p;
    };
    const runningMinutes = (ws: Array<[number, number]>) => {
      let total = 0;
      for (const [a, b] of ws) {
        let len = b - a;
        for (const [h0, h1, reason] of holds) if (reason !== 'awaiting_supplier') len -= Math.max(0, Math.min(b, h1) - Math.max(a, h0));
        total += len;
      }
      return total / MIN;
    };
    const count = (metric: string, stop: number, ws: Array<[number, number]>) => {
      const p = priorityAt(stop) as Priority;
      const target = metric === 'response' ? RESPONSE[p] : TARGET[p];
      const key = [metric, kind, p, monthOf(stop)].join('|');
      const row = sla.get(key) ?? { total: 0, met: 0, breached: 0 };
      row.total++;
      if (runningMinutes(ws) <= target) row.met++;
      else row.breached++;
      sla.set(key, row);
    };
    if (kind === 'incident') {
      const stop = Math.min(responded ?? Infinity, firstResolution ?? Infinity);
      if (stop !== Infinity) count('response', stop, [[raisedAt, stop]]);
    }
    if (openFrom === null) count('resolution', windows[windows.length - 1]![1], windows); // closed: a window was pushed
    const dem = (m: string, k: 'raised' | 'resolved' | 'openAtEnd') => {
      const key = [kind, priority, m].join('|');
      const row = demand.get(key) ?? { raised: 0, resolved: 0, openAtEnd: 0 };
      row[k]++;
      demand.set(key, row);
    };
    const isOpen = (at: number) => windows.some(([a, b]) => a <= at && at < b);
    dem(monthOf(raisedAt), 'raised');
    // SD2: the latest resolution of an incident not reopened since, in its month.
    const lastResolved = [...ops].reverse().find((e) => e.type === 'IncidentResolved' || e.type === 'IncidentReopened');
    if (kind === 'incident' && lastResolved?.type === 'IncidentResolved') {
      const key = [priority, monthOf(Date.parse(String(lastResolved.data.occurredAt)))].join('|');
      const row = firstLine.get(key) ?? { incidentsResolved: 0, firstLineFixes: 0 };
      row.incidentsResolved++;
      if (lastResolved.data.firstLineFix) row.firstLineFixes++;
      firstLine.set(key, row);
    }
    for (const m of resolutionMonths) dem(m, 'resolved');
    for (const m of months) if (m > raisedAt && isOpen(m)) dem(monthOf(m - 1), 'openAtEnd');
    for (const w of weeks) {
      const label = `${londonParts(w).year}-${londonParts(w).month}-${londonParts(w).day}`;
      if (w - raisedAt > 30 * 24 * 60 * MIN && isOpen(w)) backlog.set(label, [...(backlog.get(label) ?? []), String(d(raised).ticketId)]);
    }
    const sat = (m: string, k: string) => {
      const row = satisfaction.get(m) ?? {};
      row[k] = (row[k] ?? 0) + 1;
      satisfaction.set(m, row);
    };
    if (feedback) {
      const m = monthOf(feedback.at);
      sat(m, 'feedback');
      if (feedback.s >= 4) sat(m, 'positive');
      if (feedback.n >= 9) sat(m, 'promoters');
      if (feedback.n <= 6) sat(m, 'detractors');
    }
    for (const c of complaints) sat(monthOf(c), 'complaints');
    for (const m of resolutionMonths) sat(m, 'resolved');
  }
  return { sla, demand, backlog, satisfaction, firstLine };
}

/** A read store that fails one chosen batch between its documents and its checkpoint. */
class FaultyReadStore {
  commits = 0;
  constructor(
    readonly inner: SqliteReadStore,
    private readonly failAt: number,
  ) {}
  asReadStore(): ReadStore {
    return new Proxy(this.inner, {
      get: (target, prop, receiver) => {
        if (prop === 'commitBatch') {
          return async (writes: DocumentWrite[], cp: Checkpoint, expected: string | null) => {
            if (++this.commits === this.failAt) {
              // The documents go in, then the transaction dies before the checkpoint is written.
              await target.commitBatch([...writes, { collection: 'no_such_collection', id: 'boom', doc: {} }], cp, expected);
            }
            return target.commitBatch(writes, cp, expected);
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  }
}

async function dump(store: ReadStore, projector: Projector) {
  const out: Record<string, unknown[]> = {};
  for (const logical of Object.keys(REPORT_COLLECTIONS)) {
    const items: unknown[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.find(projector.collection(logical), { limit: 5000, cursor });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    out[logical] = items;
  }
  return out;
}

/** Byte-for-byte equal, reporting the first differing document rather than two megabytes of JSON. */
function expectSame(got: Record<string, unknown[]>, want: Record<string, unknown[]>) {
  for (const [name, wanted] of Object.entries(want)) {
    const g = (got[name] ?? []).map((d) => JSON.stringify(d));
    const w = wanted.map((d) => JSON.stringify(d));
    const i = w.findIndex((x, k) => x !== g[k]);
    expect({ name, count: g.length, firstDifference: i < 0 ? null : { got: g[i], want: w[i] } }).toEqual({ name, count: w.length, firstDifference: null });
  }
}

describe(`report read models against a brute-force oracle (${TICKETS} random histories)`, () => {
  const events = new SqliteEventStore({ filename: ':memory:' });
  let incremental: SqliteReadStore;
  let projector: Projector;
  let all: RecordedEvent[];

  beforeAll(async () => {
    const seed = (type: string, data: object) => ({ id: randomUUID(), type, data: { ...data, occurredAt: '2023-01-01T00:00:00.000Z' } as never });
    await events.append('tenant-CoL', [seed('TenantRegistered', tenant)], { expectedRevision: 'any' });
    await events.append('service-email', [seed('ServiceRegistered', service)], { expectedRevision: 'any' });
    await events.append('sla-policy-CoL', [seed('SlaPolicyVersionDefined', policy)], { expectedRevision: 'any' });
    incremental = new SqliteReadStore(':memory:');
    projector = new Projector(events, incremental, reportsProjection(), { batchSize: 200 });
    await projector.init();
    // Appended in business-time order, with the projector catching up every few hundred commands.
    const commands = generate().sort((a, b) => a.at - b.at);
    const revisions = new Map<string, bigint>();
    for (const [i, c] of commands.entries()) {
      const rev = revisions.get(c.ticketId);
      const r = await events.append(
        ticketStream('CoL', c.ticketId),
        c.events.map((e) => ({ id: randomUUID(), type: e.type, data: e.data as never })),
        { expectedRevision: rev ?? 'no_stream' },
      );
      revisions.set(c.ticketId, r.nextRevision);
      if (i % 700 === 0) await projector.catchUp();
    }
    await projector.catchUp();
    all = [];
    for await (const e of events.readAll()) all.push(e);
  }, 300_000);
  afterAll(async () => {
    await incremental.close();
    await events.close();
  });

  it('every SLA, demand, backlog and satisfaction figure equals the oracle', async () => {
    const want = oracle(all);
    const q = new ReportQueries(incremental, (c) => projector.collection(c));
    const perf = await q.slaPerformance({ tenantId: 'CoL', range: { from: '2023-01', to: '2024-12' }, granularity: 'month', dimension: 'all' });
    const got = new Map(perf.rows.map((r) => [[r.metric, r.kind, r.priority, r.period].join('|'), { total: r.total, met: r.met, breached: r.breached }]));
    expect(Object.fromEntries([...got].sort())).toEqual(Object.fromEntries([...want.sla].sort()));
    expect([...want.sla.values()].reduce((n, r) => n + r.breached, 0)).toBeGreaterThan(50);

    const dem = await q.demand({ tenantId: 'CoL', range: { from: '2023-01', to: '2024-12' }, granularity: 'month' });
    const gotDemand = new Map(dem.map((r) => [[r.kind, r.priority, r.period].join('|'), { raised: r.raised, resolved: r.resolved, openAtEnd: r.openAtEnd }]));
    expect(Object.fromEntries([...gotDemand].sort())).toEqual(Object.fromEntries([...want.demand].sort()));
    const gotFirstLine = new Map(
      dem
        .filter((r) => r.kind === 'incident' && r.incidentsResolved > 0)
        .map((r) => [[r.priority, r.period].join('|'), { incidentsResolved: r.incidentsResolved, firstLineFixes: r.firstLineFixes }]),
    );
    expect(Object.fromEntries([...gotFirstLine].sort())).toEqual(Object.fromEntries([...want.firstLine].sort()));
    expect([...want.firstLine.values()].reduce((n, r) => n + r.firstLineFixes, 0)).toBeGreaterThan(20);

    const logTime = Math.max(...all.map((e) => Date.parse(String(e.data.occurredAt))));
    const backlog = await q.agedBacklog({ tenantId: 'CoL', fromWeek: '2023-01-01', toWeek: '2025-01-01', now: logTime, days: 30 });
    expect(Object.fromEntries(backlog.weeks.filter((w) => w.total > 0).map((w) => [w.week, w.ticketIds]))).toEqual(
      Object.fromEntries([...want.backlog].map(([w, ids]) => [w, ids.sort()]).sort()),
    );

    const sat = await q.satisfaction({ tenantId: 'CoL', range: { from: '2023-01', to: '2024-12' }, granularity: 'month' });
    for (const row of sat) {
      const o = want.satisfaction.get(row.period) ?? {};
      expect({ period: row.period, feedback: row.feedback, resolved: row.resolved, complaints: row.complaints }).toEqual({
        period: row.period,
        feedback: o.feedback ?? 0,
        resolved: o.resolved ?? 0,
        complaints: o.complaints ?? 0,
      });
      const fed = o.feedback ?? 0;
      const nps = fed > 0 ? Math.round((10000 * ((o.promoters ?? 0) - (o.detractors ?? 0))) / fed) / 100 : null;
      expect(row.nps).toBe(nps);
    }
    expect(sat.length).toBe(want.satisfaction.size);
  });

  it('a rebuild from scratch equals the incrementally built read models, document for document', async () => {
    const fresh = new SqliteReadStore(':memory:');
    const rebuilt = new Projector(events, fresh, reportsProjection(), { batchSize: 1000 });
    await rebuilt.init();
    await rebuilt.catchUp();
    expectSame(await dump(fresh, rebuilt), await dump(incremental, projector));
    await fresh.close();
  });

  it('a fault between a batch’s documents and its checkpoint, then a restart, gives the same read models as a clean rebuild', async () => {
    const faulty = new FaultyReadStore(new SqliteReadStore(':memory:'), 3);
    const crashing = new Projector(events, faulty.asReadStore(), reportsProjection(), { batchSize: 100 });
    await crashing.init();
    await expect(crashing.catchUp()).rejects.toThrow();
    const before = (await faulty.inner.getCheckpoint(`reports@v${reportsProjection().version}`))!.position;
    expect(before).not.toBeNull();
    const restarted = new Projector(events, faulty.inner, reportsProjection(), { batchSize: 300 });
    await restarted.init();
    expect(restarted.checkpoint?.toString()).toBe(before);
    await restarted.catchUp();
    expectSame(await dump(faulty.inner, restarted), await dump(incremental, projector));
    await faulty.inner.close();
  });

  it('a bumped version builds beside the old one and takes over when caught up', async () => {
    const store = new SqliteReadStore(':memory:');
    const v1 = new Projector(events, store, reportsProjection(), { batchSize: 2000 });
    await v1.init();
    await v1.catchUp();
    const v2 = new Projector(events, store, { ...reportsProjection(), version: V + 1 }, { batchSize: 2000 });
    await v2.init();
    expect(v2.collection('tickets')).toBe(physicalCollection('tickets', V)); // v1 still serves
    await v2.catchUp();
    expect(v2.collection('tickets')).toBe(physicalCollection('tickets', V + 1));
    await expect(store.count(physicalCollection('tickets', V))).rejects.toThrow(/not declared/);
    expect(await store.count(physicalCollection('tickets', V + 1))).toBe(TICKETS);
    await store.close();
  });
});
