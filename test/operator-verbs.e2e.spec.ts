import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@itsm/event-store';
import { Projector } from '@itsm/projections';
import { MovableClock } from '@itsm/test-kit';
import { seedCatalogue } from './support/catalogue-seed';
import { startTestApp } from './support/test-app';

/**
 * The operators' everyday verbs (issue 20): catalogue lists, ticket history for operators, ongoing
 * outages, missed steps recorded late (corrections), and defaults taken from the token and the
 * assignment. The API's clock is the test's: "now" moves when the test moves it.
 */
const T0 = Date.parse('2023-07-10T09:00:00Z');
const MIN = 60_000;
const iso = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();

let t: Awaited<ReturnType<typeof startTestApp>>;
let clock: MovableClock;
let store: EventStore;
let star: string;
let both: string;
let colOnly: string;
let colpOnly: string;
let colAuditor: string;

beforeAll(async () => {
  clock = new MovableClock(T0 + MIN);
  t = await startTestApp({}, clock);
  store = t.app.get<EventStore>(EVENT_STORE);
  star = t.auth({ sub: 'admin', roles: ['admin', 'operator', 'auditor', 'reporter'], tenants: ['*'] });
  both = t.auth({ sub: 'desk-both', roles: ['operator', 'reporter'], tenants: ['CoL', 'CoLP'] });
  colOnly = t.auth({ sub: 'desk-col', roles: ['operator', 'reporter'], tenants: ['CoL'] });
  colpOnly = t.auth({ sub: 'desk-colp', roles: ['operator'], tenants: ['CoLP'] });
  colAuditor = t.auth({ sub: 'audit-col', roles: ['auditor'], tenants: ['CoL'] });
  await seedCatalogue(t.http, star);
  // Brent's own entries, which no CoL token may list.
  await post('/v1/suppliers', { supplierId: 'daisy', name: 'Daisy', targets: { firstTimeFixPct: 90, uptimePct: 99, meanResponseMinutes: 60 } }, star).expect(
    201,
  );
  await post(
    '/v1/services',
    {
      serviceId: 'brent-telephony',
      name: 'Brent telephony',
      tenantIds: ['LBB'],
      critical: true,
      ownership: 'it_owned',
      supplierId: 'daisy',
      availabilityTargetPct: 99.5,
    },
    star,
  ).expect(201);
  await post('/v1/resolver-groups', { groupId: 'brent-networks', name: 'Brent networks', tenantIds: ['LBB'] }, star).expect(201);
  await post('/v1/tenants/CoL/sla-policies', { template: 'city-of-london-2023', effectiveFrom: '2023-01-01T00:00:00Z' }, star).expect(201);
});
afterAll(() => t.stop());

function post(path: string, body: object, auth = both) {
  return request(t.http).post(path).set('Authorization', auth).send(body);
}
const get = (path: string, auth = both) => request(t.http).get(path).set('Authorization', auth);
const raise = (tenant: string, ticketId: string, over: object = {}) =>
  post(`/v1/tenants/${tenant}/tickets`, {
    ticketId,
    kind: 'incident',
    priority: 'P2',
    serviceId: 'printing',
    title: 'Printers down',
    description: 'd',
    reporter: 'r',
    channel: 'phone',
    occurredAt: iso(0),
    ...over,
  }).expect(201);
const types = (res: request.Response) => res.body.events.map((e: { type: string }) => e.type);
type Fact = { type: string; occurredAt: string; revision: string; data: Record<string, unknown> };
/** The facts a command answer names, as recorded (the answer gives their types and revisions). */
const recorded = async (tenant: string, ticketId: string, res: request.Response): Promise<Fact[]> => {
  const history: Fact[] = (await get(`/v1/tenants/${tenant}/tickets/${ticketId}/history`, star).expect(200)).body;
  return res.body.events.map((e: { revision: string }) => history.find((h) => h.revision === e.revision)!);
};
const ids = (res: request.Response) =>
  res.body.items.map((e: { serviceId?: string; supplierId?: string; groupId?: string }) => e.serviceId ?? e.supplierId ?? e.groupId);
/** An answer as its caller can tell it apart from another: all but the URL it was asked at. */
const observed = (res: request.Response) => ({ status: res.status, body: { ...res.body, instance: undefined } });

describe('1. catalogue lists', () => {
  it('a token lists the services and resolver groups serving its tenants, showing only those tenants', async () => {
    const services = await get('/v1/services', colOnly).expect(200);
    expect(services.body).toEqual({
      items: [expect.objectContaining({ serviceId: 'printing', tenantIds: ['CoL'], supplierId: 'konica', revision: '0' })],
      nextCursor: null,
    });
    const groups = await get('/v1/resolver-groups', colOnly).expect(200);
    expect(ids(groups)).toEqual(['desktop', 'service-desk']);
    expect(groups.body.items.map((g: { tenantIds: string[] }) => g.tenantIds)).toEqual([['CoL'], ['CoL']]);
    expect(JSON.stringify([services.body, groups.body])).not.toMatch(/CoLP|LBB|brent|niche/i);
    expect(ids(await get('/v1/services', both).expect(200))).toEqual(['niche', 'printing']);
    expect(ids(await get('/v1/services', star).expect(200))).toEqual(['brent-telephony', 'niche', 'printing']);
  });

  it('?tenant= keeps one tenant of the token; another tenant is 403 naming tenant, whether it exists or not', async () => {
    expect(ids(await get('/v1/services?tenant=CoLP', both).expect(200))).toEqual(['niche', 'printing']);
    expect(ids(await get('/v1/resolver-groups?tenant=LBB', star).expect(200))).toEqual(['brent-networks']);
    const other = await get('/v1/services?tenant=LBB', colOnly);
    const unknown = await get('/v1/services?tenant=Atlantis', colOnly);
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ code: 'AUTH.TENANT_FORBIDDEN', errors: [{ field: 'tenant' }] });
    expect(JSON.stringify(observed(other)).split('LBB').join('?')).toBe(JSON.stringify(observed(unknown)).split('Atlantis').join('?'));
    expect((await get('/v1/resolver-groups?tenant=LBB', colOnly)).status).toBe(403);
  });

  it('suppliers: every one to any token (any ticket may go to any supplier); ?tenant= those behind its services', async () => {
    expect(ids(await get('/v1/suppliers', colpOnly).expect(200))).toEqual(['daisy', 'konica']);
    expect(ids(await get('/v1/suppliers?tenant=CoL', colOnly).expect(200))).toEqual(['konica']);
    expect(ids(await get('/v1/suppliers?tenant=LBB', star).expect(200))).toEqual(['daisy']);
    expect((await get('/v1/suppliers?tenant=LBB', colOnly)).status).toBe(403);
  });

  it('pages by id with a cursor: every entry once; a crafted cursor or a bad limit is 400 naming it', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await get(`/v1/services?limit=1${cursor ? `&cursor=${cursor}` : ''}`, star).expect(200);
      expect(page.body.items).toHaveLength(1);
      seen.push(...ids(page));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['brent-telephony', 'niche', 'printing']);
    const crafted = await get('/v1/services?cursor=eyJhIjoxfQ', star);
    expect(crafted.status).toBe(400);
    expect(crafted.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    const limit = await get('/v1/resolver-groups?limit=0', star);
    expect(limit.status).toBe(400);
    expect(limit.body.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
  });

  it('an entry registered after a list is in the next one', async () => {
    await post('/v1/resolver-groups', { groupId: 'col-network', name: 'CoL network', tenantIds: ['CoL'] }, star).expect(201);
    expect(ids(await get('/v1/resolver-groups', colOnly).expect(200))).toEqual(['col-network', 'desktop', 'service-desk']);
  });
});

describe("2. operators read a ticket's history", () => {
  beforeAll(async () => {
    await raise('CoL', 'H1');
    await post('/v1/tenants/CoL/tickets/H1/outages', { from: iso(0), tenantIds: ['CoL', 'CoLP'] }).expect(200);
  });

  it('an operator gets the facts, without the log position, idempotency key or tracing ids; an auditor keeps them', async () => {
    const seen = await get('/v1/tenants/CoL/tickets/H1/history', colOnly).expect(200);
    expect(seen.body.map((e: { type: string }) => e.type)).toEqual(['IncidentRaised', 'OutageStarted']);
    for (const entry of seen.body) {
      expect(Object.keys(entry).sort()).toEqual(['actor', 'data', 'eventId', 'occurredAt', 'recordedAt', 'revision', 'type']);
    }
    expect(seen.body[0]).toMatchObject({ actor: 'desk-both', revision: '0', occurredAt: iso(0), data: { ticketId: 'H1', title: 'Printers down' } });
    const audit = await get('/v1/tenants/CoL/tickets/H1/history', colAuditor).expect(200);
    expect(audit.body[0]).toEqual(
      expect.objectContaining({
        position: expect.any(String),
        commandId: expect.any(String),
        correlationId: expect.any(String),
        schemaVersion: expect.any(Number),
      }),
    );
  });

  it("another tenant's tenants are left out of the facts; another tenant's ticket is unknown; a tenant outside the token is 403", async () => {
    const seen = await get('/v1/tenants/CoL/tickets/H1/history', colOnly).expect(200);
    expect(seen.body[1].data.tenantIds).toEqual(['CoL']);
    expect((await get('/v1/tenants/CoL/tickets/H1/history', both).expect(200)).body[1].data.tenantIds).toEqual(['CoL', 'CoLP']);
    expect((await get('/v1/tenants/CoL/tickets/H1/history', colpOnly)).status).toBe(403);
    const elsewhere = await get('/v1/tenants/CoLP/tickets/H1/history', both);
    const never = await get('/v1/tenants/CoLP/tickets/NEVER-1/history', both);
    expect(elsewhere.status).toBe(404);
    expect(observed(elsewhere)).toEqual(observed(never));
  });
});

describe('3. ongoing outages', () => {
  const availability = async (tenant: string, auth = both) => {
    await t.app.get(Projector).catchUp();
    const res = await get(`/v1/tenants/${tenant}/reports/service-availability?month=2023-07`, auth).expect(200);
    return res.body.services.find((s: { serviceId: string }) => s.serviceId === 'printing');
  };

  it('counts up to now while it goes on, then up to its end', async () => {
    clock.set(T0 + MIN);
    await raise('CoL', 'O1');
    const started = await post('/v1/tenants/CoL/tickets/O1/outages', { from: iso(0), tenantIds: ['CoL', 'CoLP'] }).expect(200);
    expect(started.body.outageId).toBe('1');
    expect((await recorded('CoL', 'O1', started))[0]).toMatchObject({
      type: 'OutageStarted',
      data: { outageId: '1', serviceId: 'printing', from: iso(0), tenantIds: ['CoL', 'CoLP'], occurredAt: iso(1) },
    });
    expect((await get('/v1/tenants/CoL/tickets/O1').expect(200)).body.ongoingOutages).toEqual([
      { outageId: '1', serviceId: 'printing', from: iso(0), tenantIds: ['CoL', 'CoLP'] },
    ]);

    clock.set(T0 + 60 * MIN);
    const soFar = await availability('CoL');
    // H1's outage (above) is CoL's too, from the same minute: the union counts the minutes once.
    expect(soFar.outageMinutes).toBe(60);
    expect(soFar.outages.filter((o: { ticketId: string }) => o.ticketId === 'O1')).toEqual([
      { tenantId: 'CoL', ticketId: 'O1', from: iso(0), to: iso(60), ongoing: true, minutesInMonth: 60 },
    ]);
    clock.set(T0 + 90 * MIN);
    expect((await availability('CoLP')).outageMinutes).toBe(90);

    clock.set(T0 + 120 * MIN);
    const ended = await post('/v1/tenants/CoL/tickets/O1/outages/1/end', { to: iso(100) }).expect(200);
    // (the SLA facts the time calls for follow it: the ticket was never responded to)
    expect((await recorded('CoL', 'O1', ended))[0]).toMatchObject({
      type: 'OutageEnded',
      data: { outageId: '1', serviceId: 'printing', from: iso(0), to: iso(100), minutes: 100, tenantIds: ['CoL', 'CoLP'], occurredAt: iso(120) },
    });
    await post('/v1/tenants/CoL/tickets/H1/outages/1/end', { to: iso(100) }).expect(200);
    clock.set(T0 + 300 * MIN);
    const after = await availability('CoL');
    expect(after.outageMinutes).toBe(100);
    expect(after.outages.filter((o: { ticketId: string }) => o.ticketId === 'O1')).toEqual([
      { tenantId: 'CoL', ticketId: 'O1', from: iso(0), to: iso(100), minutesInMonth: 100 },
    ]);
    const view = await get('/v1/tenants/CoL/tickets/O1').expect(200);
    expect([view.body.ongoingOutages, view.body.outages, view.body.outageMinutes]).toEqual([
      undefined,
      [{ outageId: '1', serviceId: 'printing', from: iso(0), to: iso(100), tenantIds: ['CoL', 'CoLP'] }],
      100,
    ]);
  });

  it('an overlapping outage of the same tenant is refused while it goes on; ending one twice is 409, an unknown one 404 naming outageId', async () => {
    clock.set(T0 + 300 * MIN);
    await raise('CoL', 'O2');
    await post('/v1/tenants/CoL/tickets/O2/outages', { from: iso(200) }).expect(200);
    expect((await post('/v1/tenants/CoL/tickets/O2/outages', { from: iso(250), to: iso(260) })).body.code).toBe('TICKET.OUTAGE_OVERLAPS');
    const unknown = await post('/v1/tenants/CoL/tickets/O2/outages/9/end', { to: iso(280) });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'TICKET.OUTAGE_NOT_FOUND', errors: [{ field: 'outageId' }] });
    await post('/v1/tenants/CoL/tickets/O2/outages/1/end', { to: iso(280) }).expect(200);
    expect((await post('/v1/tenants/CoL/tickets/O2/outages/1/end', { to: iso(290) })).body).toMatchObject({ status: 409, code: 'TICKET.OUTAGE_ALREADY_ENDED' });
    const early = await post('/v1/tenants/CoL/tickets/O2/outages', { from: iso(150) });
    expect(early.body.code).toBe('TICKET.OUTAGE_OVERLAPS');
  });

  it("another tenant's ticket answers as an unknown one", async () => {
    const elsewhere = await post('/v1/tenants/CoLP/tickets/O2/outages/1/end', { to: iso(280) });
    const never = await post('/v1/tenants/CoLP/tickets/NEVER-2/outages/1/end', { to: iso(280) });
    expect(elsewhere.status).toBe(404);
    expect(observed(elsewhere)).toEqual(observed(never));
  });
});

describe('4. a missed step recorded late', () => {
  beforeAll(async () => {
    clock.set(T0 + MIN);
    await raise('CoL', 'C1');
    clock.set(T0 + 10 * MIN);
    await post('/v1/tenants/CoL/tickets/C1/respond', { occurredAt: iso(5) }).expect(200);
    clock.set(T0 + 300 * MIN);
  });

  it('the breach stands, then a hold recorded late with its reason retracts what it disproves; history and /sla say so; the read models follow', async () => {
    // P2: resolve in 4 hours. At 5 hours an assignment records the warning (3h) and the breach (4h).
    const assigned = await post('/v1/tenants/CoL/tickets/C1/assign', { groupId: 'desktop' }).expect(200);
    expect(types(assigned)).toEqual(['IncidentAssigned', 'SlaWarningRaised', 'SlaBreached']);
    await t.app.get(Projector).catchUp();
    const listed = async () => (await get('/v1/tenants/CoL/reports/tickets').expect(200)).body.items.find((i: { id: string }) => i.id === 'C1');
    expect(await listed()).toMatchObject({ breached: true, status: 'in_progress' });

    const head = await store.headPosition();
    const refused = await post('/v1/tenants/CoL/tickets/C1/hold', { reason: 'awaiting_customer', occurredAt: iso(60) });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'TICKET.OUT_OF_ORDER', errors: [{ field: 'occurredAt' }] });
    expect(await store.headPosition()).toBe(head);

    const reason = 'The customer was asked for logs by phone at 10:00; the hold was not recorded then';
    const held = await post('/v1/tenants/CoL/tickets/C1/hold', { reason: 'awaiting_customer', occurredAt: iso(60), correction: { reason } }).expect(200);
    const heldFacts = await recorded('CoL', 'C1', held);
    expect(heldFacts.map((e) => [e.type, e.occurredAt])).toEqual([
      ['IncidentPutOnHold', iso(60)],
      ['SlaEventRetracted', iso(300)],
      ['SlaEventRetracted', iso(300)],
    ]);
    expect(heldFacts[0]?.data.correction).toEqual({ reason });
    expect(heldFacts.slice(1).map((e) => e.data.retractedOccurredAt)).toEqual([iso(180), iso(240)]);
    const resumed = await post('/v1/tenants/CoL/tickets/C1/resume', { occurredAt: iso(150), correction: { reason: 'The logs came at 11:30' } }).expect(200);
    expect((await recorded('CoL', 'C1', resumed)).map((e) => [e.type, e.occurredAt])).toEqual([
      ['IncidentResumed', iso(150)],
      ['SlaWarningRaised', iso(270)],
    ]);

    const sla = await get('/v1/tenants/CoL/tickets/C1/sla').expect(200);
    const resolution = sla.body.clocks.find((c: { metric: string }) => c.metric === 'resolution');
    expect(resolution).toMatchObject({ state: 'running', elapsedMinutes: 210, pauses: [{ from: iso(60), to: iso(150), reason: 'awaiting_customer' }] });
    expect(sla.body.corrections).toEqual([
      { revision: '5', type: 'IncidentPutOnHold', occurredAt: iso(60), recordedAt: iso(300), actor: 'desk-both', reason },
      { revision: '8', type: 'IncidentResumed', occurredAt: iso(150), recordedAt: iso(300), actor: 'desk-both', reason: 'The logs came at 11:30' },
    ]);
    expect(sla.body.recorded.map((r: { kind: string; at: string; retracted: boolean }) => [r.kind, r.at, r.retracted])).toEqual([
      ['warning', iso(180), true],
      ['breach', iso(240), true],
      ['warning', iso(270), false],
    ]);
    const history = await get('/v1/tenants/CoL/tickets/C1/history', colOnly).expect(200);
    expect(history.body.find((e: { type: string }) => e.type === 'IncidentPutOnHold')).toMatchObject({
      occurredAt: iso(60),
      recordedAt: iso(300),
      data: { correction: { reason } },
    });

    await t.app.get(Projector).catchUp();
    expect(await listed()).toMatchObject({ breached: false, status: 'in_progress' });
  });

  it('a correction that contradicts what was recorded after it is 409 naming it; nothing is written', async () => {
    const head = await store.headPosition();
    const res = await post('/v1/tenants/CoL/tickets/C1/resolve', {
      resolutionCode: 'fixed',
      rootCause: 'x',
      firstLineFix: false,
      occurredAt: iso(100),
      correction: { reason: 'fixed by phone' },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'TICKET.CORRECTION_CONFLICT', errors: [{ field: 'occurredAt' }] });
    // Resolved at 100, while on hold: but the hold is recorded as resumed at 150.
    expect(res.body.detail).toContain(`The end of a hold at ${iso(150)}`);
    const raiseLate = await post('/v1/tenants/CoL/tickets', {
      ticketId: 'C2',
      kind: 'incident',
      priority: 'P2',
      serviceId: 'printing',
      title: 't',
      description: 'd',
      reporter: 'r',
      channel: 'phone',
      correction: { reason: 'x' },
    });
    expect(raiseLate.body).toMatchObject({ status: 422, code: 'TICKET.CORRECTION_NOT_ALLOWED', errors: [{ field: 'correction' }] });
    const noReason = await post('/v1/tenants/CoL/tickets/C1/complaints', { description: 'slow', occurredAt: iso(10), correction: {} });
    expect(noReason.status).toBe(400);
    expect(new Set(noReason.body.errors.map((e: { field: string }) => e.field))).toEqual(new Set(['correction.reason']));
    expect(await store.headPosition()).toBe(head);
  });
});

describe('5. defaults', () => {
  it("respondedBy is the token's subject", async () => {
    await raise('CoL', 'D1', { occurredAt: iso(290) });
    const res = await post('/v1/tenants/CoL/tickets/D1/respond', {}, colOnly).expect(200);
    expect((await recorded('CoL', 'D1', res))[0]?.data.respondedBy).toBe('desk-col');
  });

  it('resolvedByGroupId is the group the ticket is assigned to; without an assignment, 422 naming it', async () => {
    const resolve = { resolutionCode: 'fixed', rootCause: 'toner', firstLineFix: false };
    const head = await store.headPosition();
    const unassigned = await post('/v1/tenants/CoL/tickets/D1/resolve', resolve);
    expect(unassigned.status).toBe(422);
    expect(unassigned.body).toMatchObject({ code: 'TICKET.RESOLVED_BY_GROUP_REQUIRED', errors: [{ field: 'resolvedByGroupId' }] });
    expect(await store.headPosition()).toBe(head);
    await post('/v1/tenants/CoL/tickets/D1/assign', { groupId: 'desktop' }).expect(200);
    const resolved = await post('/v1/tenants/CoL/tickets/D1/resolve', resolve).expect(200);
    expect((await recorded('CoL', 'D1', resolved))[0]).toMatchObject({ type: 'IncidentResolved', data: { resolvedByGroupId: 'desktop' } });
  });
});
