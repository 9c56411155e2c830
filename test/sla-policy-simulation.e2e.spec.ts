import fc from 'fast-check';
import request from 'supertest';
import { cityOfLondon2023 } from '@itsm/domain';
import { EVENT_STORE, type EventStore, type LogPosition } from '@itsm/event-store';
import { Projector } from '@itsm/projections';
import { MovableClock } from '@itsm/test-kit';
import { startTestApp } from './support/test-app';
import { seedCatalogue } from './support/catalogue-seed';

/**
 * Policy what-if through the API: a draft that loosens IM1 (P1 resolution, 2 h → 6 h) and tightens
 * IM2 (P2 resolution, 4 h → 2 h) over July 2023 of CoL. R2 (P1, 300 min) flips breached → met; R3
 * (P2, 180 min) flips met → breached; R1 (P1, 90 min) and CoLP's ticket are untouched.
 */
const T0 = Date.parse('2023-07-03T08:00:00Z');
const MIN = 60_000;
const iso = (m: number) => new Date(T0 + m * MIN).toISOString();
const SIMULATE = '/v1/tenants/CoL/sla-policies/simulate';

let t: Awaited<ReturnType<typeof startTestApp>>;
let clock: MovableClock;
let store: EventStore;
let admin: string;
let reporter: string;
let both: string;

const base = cityOfLondon2023('CoL');
const draft = {
  name: 'IM1 at 6 hours, IM2 at 2 hours',
  calendars: base.calendars,
  targets: base.targets.map((x) => (x.reference === 'IM1' ? { ...x, targetMinutes: 360 } : x.reference === 'IM2' ? { ...x, targetMinutes: 120 } : x)),
};
const july = { policy: draft, from: '2023-07', to: '2023-07' };

beforeAll(async () => {
  clock = new MovableClock(T0);
  t = await startTestApp({}, clock);
  store = t.app.get<EventStore>(EVENT_STORE);
  admin = t.auth({ roles: ['admin'], tenants: ['*'] });
  reporter = t.auth({ roles: ['reporter'], tenants: ['CoL'] });
  both = t.auth({ roles: ['reporter'], tenants: ['CoL', 'CoLP'] });
  const op = t.auth({ roles: ['operator'], tenants: ['CoL', 'CoLP'] });
  await seedCatalogue(t.http, admin);
  for (const tenant of ['CoL', 'CoLP']) {
    await request(t.http)
      .post(`/v1/tenants/${tenant}/sla-policies`)
      .set('Authorization', admin)
      .send({ template: 'city-of-london-2023', effectiveFrom: '2023-01-01T00:00:00Z' })
      .expect(201);
  }
  const cmd = async (path: string, body: object, minute: number, tenant = 'CoL') => {
    clock.set(T0 + minute * MIN);
    const res = await request(t.http)
      .post(`/v1/tenants/${tenant}/tickets${path}`)
      .set('Authorization', op)
      .send({ ...body, occurredAt: iso(minute) });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const raise = (ticketId: string, priority: string, minute: number, tenant = 'CoL') =>
    cmd(
      '',
      { ticketId, kind: 'incident', priority, serviceId: 'printing', title: ticketId, description: 'd', reporter: 'r', channel: 'phone' },
      minute,
      tenant,
    );
  const resolve = { resolutionCode: 'fixed', rootCause: 'spooler', resolvedByGroupId: 'desktop', firstLineFix: false };
  await raise('R1', 'P1', 0);
  await cmd('/R1/respond', { respondedBy: 'desk' }, 10);
  await cmd('/R1/resolve', resolve, 90);
  await raise('R2', 'P1', 200);
  await cmd('/R2/respond', { respondedBy: 'desk' }, 205);
  await cmd('/R2/resolve', resolve, 500);
  await raise('X1', 'P2', 300, 'CoLP');
  await cmd('/X1/respond', { respondedBy: 'desk' }, 305, 'CoLP');
  await cmd('/X1/resolve', resolve, 480, 'CoLP');
  // The read model lists what it has applied; R3 comes after, found in the log beyond it.
  await t.app.get(Projector).catchUp();
  await raise('R3', 'P2', 600);
  await cmd('/R3/respond', { respondedBy: 'desk' }, 605);
  await cmd('/R3/resolve', resolve, 780);
  clock.set(T0 + 2000 * MIN);
});
afterAll(() => t.stop());

const simulate = (body: object, auth = reporter, path = SIMULATE) => request(t.http).post(path).set('Authorization', auth).send(body);
const row = (body: { performance: Array<{ metric: string; priority: string }> }, metric: string, priority: string) =>
  body.performance.find((r) => r.metric === metric && r.priority === priority);

/** Polls the job until it has finished: no timing is assumed, only that it finishes. */
async function finished(location: string, auth = reporter) {
  const seen: Array<{ status: string; progress: { ticketsReplayed: number } }> = [];
  for (;;) {
    const res = await request(t.http).get(location).set('Authorization', auth).expect(200);
    seen.push(res.body);
    if (res.body.status === 'done' || res.body.status === 'failed') return { job: res.body, seen };
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('POST /v1/tenants/{t}/sla-policies/simulate', () => {
  let head: LogPosition | undefined;
  let answer: request.Response;

  beforeAll(async () => {
    head = await store.headPosition();
    answer = await simulate(july);
  });

  it('answers a small range at once: both policies side by side, the flipped tickets explained, the RAG changes; appends nothing', async () => {
    expect(answer.status).toBe(200);
    expect(await store.headPosition()).toBe(head);
    expect(answer.headers['x-log-position']).toBe(head!.toString());
    expect(answer.body).toMatchObject({
      tenantId: 'CoL',
      from: '2023-06-30T23:00:00.000Z',
      to: '2023-07-31T23:00:00.000Z',
      position: head!.toString(),
      tickets: 3,
      currentVersions: [1],
      flipsTotal: 2,
    });
    expect(row(answer.body, 'resolution', 'P1')).toMatchObject({
      kind: 'incident',
      current: { reference: 'IM1', targetMinutes: 120, goalPct: 98, total: 2, met: 1, breached: 1, pctMet: 50, rag: 'red' },
      draft: { reference: 'IM1', targetMinutes: 360, goalPct: 98, total: 2, met: 2, breached: 0, pctMet: 100, rag: 'green' },
    });
    expect(row(answer.body, 'resolution', 'P2')).toMatchObject({ current: { total: 1, met: 1, rag: 'green' }, draft: { total: 1, met: 0, rag: 'red' } });
    expect(row(answer.body, 'response', 'P1')).toMatchObject({ current: { total: 2, met: 2 }, draft: { total: 2, met: 2 } });
    expect(answer.body.ragChanges).toEqual([
      {
        metric: 'resolution',
        kind: 'incident',
        priority: 'P1',
        reference: 'IM1',
        current: 'red',
        draft: 'green',
        pctMet: { current: 50, draft: 100 },
        goalPct: { current: 98, draft: 98 },
      },
      {
        metric: 'resolution',
        kind: 'incident',
        priority: 'P2',
        reference: 'IM2',
        current: 'green',
        draft: 'red',
        pctMet: { current: 100, draft: 0 },
        goalPct: { current: 98, draft: 98 },
      },
    ]);
    expect(answer.body.flips.map((f: { ticketId: string; flips: unknown }) => [f.ticketId, f.flips])).toEqual([
      ['R2', [{ metric: 'resolution', current: 'breached', draft: 'met' }]],
      ['R3', [{ metric: 'resolution', current: 'met', draft: 'breached' }]],
    ]);
  });

  it("explains a flipped ticket's current clocks as GET /tickets/{id}/sla does, and its draft clocks in the same shape", async () => {
    const r2 = answer.body.flips[0];
    const sla = await request(t.http)
      .get('/v1/tenants/CoL/tickets/R2/sla')
      .set('Authorization', t.auth({ roles: ['operator'], tenants: ['CoL'] }))
      .expect(200);
    expect(Object.keys(r2.current).sort()).toEqual(Object.keys(sla.body).sort());
    expect(r2.current.clocks).toEqual(sla.body.clocks);
    for (const part of ['policy', 'calendars', 'supplierClocks', 'recorded', 'corrections', 'revision']) expect(r2.current[part]).toEqual(sla.body[part]);
    const resolution = r2.draft.clocks.find((c: { metric: string }) => c.metric === 'resolution');
    expect(resolution).toMatchObject({ state: 'met', targetMinutes: 360, elapsedMinutes: 300, stoppedAt: iso(500) });
    expect(r2.draft.policy).toMatchObject({ version: 0, name: draft.name });
  });

  it('runs as a job on Prefer: respond-async: 202, Location, progress, then the same result', async () => {
    const accepted = await simulate(july).set('Prefer', 'respond-async');
    expect(accepted.status).toBe(202);
    expect(accepted.headers['preference-applied']).toBe('respond-async');
    expect(accepted.headers.location).toBe(`/v1/tenants/CoL/sla-policies/simulations/${accepted.body.id}`);
    expect(accepted.body).toMatchObject({
      tenantId: 'CoL',
      status: expect.stringMatching(/^(queued|running)$/),
      position: head!.toString(),
      progress: { estimatedTickets: expect.any(Number) },
    });
    const { job, seen } = await finished(accepted.headers.location!);
    expect(job).toMatchObject({ status: 'done', progress: { phase: 'done', ticketsListed: 3, ticketsReplayed: 3, percent: 100 } });
    expect(job.result).toEqual(answer.body);
    expect(seen.every((s, i) => i === 0 || s.progress.ticketsReplayed >= seen[i - 1]!.progress.ticketsReplayed)).toBe(true);
    // An admin of the tenant reads it too; nothing was appended.
    expect((await request(t.http).get(accepted.headers.location!).set('Authorization', admin).expect(200)).body.result).toEqual(answer.body);
    expect(await store.headPosition()).toBe(head);
  });

  it('is documented in the OpenAPI description', async () => {
    const doc = (await request(t.http).get('/docs/openapi.json').expect(200)).body;
    expect(Object.keys(doc.paths['/v1/tenants/{tenant}/sla-policies/simulate'].post.responses)).toEqual(expect.arrayContaining(['200', '202', '422', '503']));
    expect(doc.paths['/v1/tenants/{tenant}/sla-policies/simulations/{id}'].get).toBeDefined();
    expect(Object.keys(doc.components.schemas.DraftSlaPolicyDto.properties)).toEqual(
      expect.arrayContaining(['template', 'targets', 'calendars', 'effectiveFrom']),
    );
    expect(doc.components.schemas.DraftSlaPolicyDto.properties.commandId).toBeUndefined();
  });

  it('takes a template as the definition does, and instants for the range', async () => {
    const res = await simulate({ policy: { template: 'city-of-london-2023' }, from: iso(150), to: iso(1000) }).expect(200);
    expect(res.body).toMatchObject({ tickets: 2, flipsTotal: 0, ragChanges: [] });
    expect(res.body.performance.every((r: { current: unknown; draft: unknown }) => JSON.stringify(r.current) === JSON.stringify(r.draft))).toBe(true);
  });
});

describe('refusals', () => {
  const problemOf = async (body: object, status: number) => {
    const head = await store.headPosition();
    const res = await simulate(body);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await store.headPosition()).toBe(head);
    return res.body;
  };

  it('422 for a draft a definition would refuse, naming the field inside policy', async () => {
    const unknownCalendar = { ...draft, targets: [{ ...draft.targets[0], calendarId: 'nine-to-five' }] };
    expect((await problemOf({ ...july, policy: unknownCalendar }, 422)).errors).toEqual([
      expect.objectContaining({ field: 'policy.targets[0].calendarId', rule: 'SLA_POLICY.UNKNOWN_CALENDAR' }),
    ]);
    expect((await problemOf({ ...july, policy: { ...draft, warningThresholdsPct: [75, 75] } }, 422)).errors[0]).toMatchObject({
      field: 'policy.warningThresholdsPct',
      rule: 'SLA_POLICY.DUPLICATE_THRESHOLD',
    });
    expect((await problemOf({ ...july, policy: { template: 'city-of-london-2023', targets: draft.targets } }, 422)).errors[0]).toMatchObject({
      field: 'policy.template',
    });
    expect((await problemOf({ ...july, policy: { calendars: draft.calendars, targets: draft.targets } }, 422)).errors[0]).toMatchObject({
      field: 'policy.name',
      rule: 'SLA_POLICY.INCOMPLETE',
    });
    const twice = { ...draft, targets: [draft.targets[0], draft.targets[0]] };
    expect((await problemOf({ ...july, policy: twice }, 422)).errors[0]).toMatchObject({ field: 'policy.targets[1]', rule: 'SLA_POLICY.DUPLICATE_TARGET' });
  });

  it('422 for a range that is empty or longer than a year, naming to', async () => {
    expect((await problemOf({ ...july, from: '2023-07', to: '2023-06' }, 422)).errors[0]).toMatchObject({ field: 'to', rule: 'SLA_SIMULATION.EMPTY_RANGE' });
    expect((await problemOf({ ...july, from: iso(10), to: iso(10) }, 422)).errors[0]).toMatchObject({ field: 'to', rule: 'SLA_SIMULATION.EMPTY_RANGE' });
    expect((await problemOf({ ...july, from: '2022-07', to: '2023-07' }, 422)).errors[0]).toMatchObject({ field: 'to', rule: 'SLA_SIMULATION.RANGE_TOO_LONG' });
    await simulate({ ...july, from: '2022-08', to: '2023-07' }).expect(200);
  });

  it('400 for a malformed body, naming the field and the rule', async () => {
    expect((await problemOf({ ...july, from: 'July' }, 400)).errors[0]).toMatchObject({ field: 'from', rule: 'isMonthOrInstant' });
    expect((await problemOf({ ...july, to: '2023-07-31' }, 400)).errors[0]).toMatchObject({ field: 'to', rule: 'isMonthOrInstant' });
    expect((await problemOf({ from: '2023-07', to: '2023-07' }, 400)).errors[0]).toMatchObject({ field: 'policy' });
    expect((await problemOf({ ...july, policy: { ...draft, targets: [{ ...draft.targets[0], targetMinutes: -5 }] } }, 400)).errors[0]).toMatchObject({
      field: 'policy.targets.0.targetMinutes',
      rule: 'isPositive',
    });
    expect((await problemOf({ ...july, policy: { ...draft, commandId: 'x' } }, 400)).errors[0]).toMatchObject({
      field: 'policy.commandId',
      rule: 'unknownField',
    });
    expect((await problemOf({ ...july, policy: { template: 'nope' } }, 400)).errors[0]).toMatchObject({ field: 'policy.template', rule: 'isIn' });
  });
});

describe('generated bodies', () => {
  const weird = fc.oneof(
    fc.jsonValue(),
    fc.string(),
    fc.integer(),
    fc.constantFrom('2023-07', '0000-01', '9999-12', '2023-07-03T08:00:00Z', '2023-07-03', 'city-of-london-2023', null),
  );
  const edits = (keys: string[]) =>
    fc.array(fc.tuple(fc.constantFrom(...keys, 'unknownField', '__proto__'), fc.oneof(fc.constant(undefined), weird)), { maxLength: 3 });
  const apply = (valid: Record<string, unknown>, changes: Array<[string, unknown]>) => {
    const out: Record<string, unknown> = { ...valid };
    for (const [k, v] of changes) {
      if (v === undefined) delete out[k];
      else Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true, writable: true });
    }
    return out;
  };

  it('never a 5xx, never an append', async () => {
    const head = await store.headPosition();
    await fc.assert(
      fc.asyncProperty(edits(Object.keys(july)), edits(Object.keys(draft)), async (outer, inner) => {
        const res = await simulate(apply({ ...july, policy: apply(draft, inner) }, outer));
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(res.body).toMatchObject({ status: res.status, code: expect.any(String) });
      }),
      { numRuns: 60 },
    );
    expect(await store.headPosition()).toBe(head);
  });
});

describe('who may ask', () => {
  it("admin or reporter of the tenant; 403 for an operator or another tenant's reporter; 404 for an unregistered tenant", async () => {
    await simulate(july, admin).expect(200);
    expect((await simulate(july, t.auth({ roles: ['operator', 'auditor'], tenants: ['CoL'] }))).body).toMatchObject({
      status: 403,
      code: 'AUTH.ROLE_REQUIRED',
    });
    expect((await simulate(july, t.auth({ roles: ['reporter'], tenants: ['LBB'] }))).body).toMatchObject({ status: 403, code: 'AUTH.TENANT_FORBIDDEN' });
    expect((await simulate(july, admin, '/v1/tenants/NOPE/sla-policies/simulate')).body).toMatchObject({ status: 404, code: 'TENANT.NOT_FOUND' });
    const job = await simulate(july).set('Prefer', 'respond-async').expect(202);
    expect(
      (
        await request(t.http)
          .get(job.headers.location!)
          .set('Authorization', t.auth({ roles: ['reporter'], tenants: ['LBB'] }))
      ).body,
    ).toMatchObject({ status: 403, code: 'AUTH.TENANT_FORBIDDEN' });
    await finished(job.headers.location!);
  });

  it("another tenant's job answers exactly as an unknown one", async () => {
    const job = await simulate(july, both).set('Prefer', 'respond-async').expect(202);
    await finished(job.headers.location!, both);
    const viaOther = await request(t.http).get(`/v1/tenants/CoLP/sla-policies/simulations/${job.body.id}`).set('Authorization', both);
    const unknown = await request(t.http).get('/v1/tenants/CoLP/sla-policies/simulations/00000000-0000-4000-8000-000000000000').set('Authorization', both);
    expect(viaOther.status).toBe(404);
    const { instance: _a, ...a } = viaOther.body;
    const { instance: _b, ...b } = unknown.body;
    expect(a).toEqual(b);
    expect(a).toMatchObject({ code: 'SLA_SIMULATION.NOT_FOUND' });
  });
});
