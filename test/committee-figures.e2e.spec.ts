import request from 'supertest';
import { MajorIncidentRegisters } from '@itsm/application';
import { majorIncidentRegisterStream, ticketStream } from '@itsm/domain';
import { EVENT_STORE, readWhole, systemCommand, type EventStore } from '@itsm/event-store';
import { exportEvents } from '@itsm/event-transfer';
import { MovableClock } from '@itsm/test-kit';
import { startTestApp } from './support/test-app';
import { seedCatalogue } from './support/catalogue-seed';

/**
 * Committee figures (items 3 and 4): outages are recorded against the tenants they affected, and a
 * major incident register reference names one major incident per tenant. The API's clock is the
 * test's: leases pass when the test moves it, never by waiting.
 */
const T0 = Date.parse('2023-07-10T09:00:00Z');
const MIN = 60_000;
const iso = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();

let t: Awaited<ReturnType<typeof startTestApp>>;
let clock: MovableClock;
let store: EventStore;
let both: string;
let colOnly: string;
let colpOnly: string;

beforeAll(async () => {
  clock = new MovableClock(T0 + 60 * MIN);
  t = await startTestApp({}, clock);
  store = t.app.get<EventStore>(EVENT_STORE);
  both = t.auth({ sub: 'desk-both', roles: ['operator', 'auditor'], tenants: ['CoL', 'CoLP'] });
  colOnly = t.auth({ sub: 'desk-col', roles: ['operator', 'auditor'], tenants: ['CoL'] });
  colpOnly = t.auth({ sub: 'desk-colp', roles: ['operator', 'auditor'], tenants: ['CoLP'] });
  await seedCatalogue(t.http, t.auth({ sub: 'admin', roles: ['admin'], tenants: ['*'] }));
});
afterAll(() => t.stop());

const post = (path: string, body: object, auth = both) => request(t.http).post(path).set('Authorization', auth).send(body);
const raise = async (tenant: string, ticketId: string) =>
  post(`/v1/tenants/${tenant}/tickets`, {
    ticketId,
    kind: 'incident',
    priority: 'P1',
    serviceId: 'printing',
    title: 'Printing down',
    description: 'd',
    reporter: 'r',
    channel: 'phone',
    occurredAt: iso(0),
  }).expect(201);
const declare = (tenant: string, ticketId: string, reference: string, tenantsAffected: string[], auth = both) =>
  post(
    `/v1/tenants/${tenant}/tickets/${ticketId}/major-incident`,
    { reference, tenantsAffected, trigger: tenantsAffected.length > 1 ? 'multi_tenant_outage' : 'several_p1s' },
    auth,
  );
const outage = (ticketId: string, body: object, auth = both) => post(`/v1/tenants/CoL/tickets/${ticketId}/outages`, body, auth);
const register = (tenant: string) => readWhole(store, majorIncidentRegisterStream(tenant));
const ticketEvents = (tenant: string, ticketId: string) => readWhole(store, ticketStream(tenant, ticketId));
/** A refusal as its caller sees it, with the tenant it names replaced (the one thing allowed to differ). */
const refusal = (res: request.Response, named: string) => ({
  status: res.status,
  code: res.body.code,
  detail: String(res.body.detail).split(named).join('<tenant>'),
  errors: (res.body.errors ?? []).map((e: { field: string; rule: string; message: string }) => ({ ...e, message: e.message.split(named).join('<tenant>') })),
});

describe('a major incident reference names one major incident per tenant', () => {
  it('MIR200 for CoL, then MIR200 for CoLP (another register), then MIR200 for CoL on another ticket: 409, nothing written', async () => {
    await raise('CoL', 'A1');
    await raise('CoLP', 'B1');
    await raise('CoL', 'A2');
    expect((await declare('CoL', 'A1', 'MIR200', ['CoL'])).status).toBe(200);
    expect((await declare('CoLP', 'B1', 'MIR200', ['CoLP'])).status).toBe(200);

    const head = await store.headPosition();
    const again = await declare('CoL', 'A2', 'MIR200', ['CoL']);
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({
      status: 409,
      code: 'TICKET.MAJOR_INCIDENT_REFERENCE_TAKEN',
      errors: [{ field: 'reference', rule: 'TICKET.MAJOR_INCIDENT_REFERENCE_TAKEN' }],
    });
    expect(again.body.detail).toContain('MIR200');
    expect(again.body.detail).toContain("CoL's major incident register");
    // The same register number, written otherwise.
    expect((await declare('CoL', 'A2', 'MIR-200', ['CoL'])).body.code).toBe('TICKET.MAJOR_INCIDENT_REFERENCE_TAKEN');
    expect(await store.headPosition()).toBe(head);
    expect((await ticketEvents('CoL', 'A2')).map((e) => e.type)).toEqual(['IncidentRaised']);

    const entries = async (tenant: string) =>
      (await register(tenant)).map((e) => [e.type, e.data.reference, e.data.ticketTenantId, e.data.ticketId, e.metadata.tenantId]);
    expect(await entries('CoL')).toEqual([['MajorIncidentReferenceReserved', 'MIR200', 'CoL', 'A1', 'CoL']]);
    expect(await entries('CoLP')).toEqual([['MajorIncidentReferenceReserved', 'MIR200', 'CoLP', 'B1', 'CoLP']]);
    // Another number is free.
    expect((await declare('CoL', 'A2', 'MIR201', ['CoL'])).status).toBe(200);
  });

  it("a multi-tenant major incident reserves its reference in every affected tenant's register", async () => {
    await raise('CoL', 'A3');
    await raise('CoLP', 'B2');
    const res = await declare('CoL', 'A3', 'MIR300', ['CoLP', 'CoL']);
    expect(res.status).toBe(200);
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(['MajorIncidentDeclared']);
    for (const tenant of ['CoL', 'CoLP']) {
      const last = (await register(tenant)).at(-1)!;
      expect(last).toMatchObject({
        streamId: `major-incidents-${tenant}`,
        type: 'MajorIncidentReferenceReserved',
        data: { reference: 'MIR300', ticketTenantId: 'CoL', ticketId: 'A3', heldUntil: expect.any(String) },
        metadata: { tenantId: tenant, actor: 'desk-both', commandId: expect.any(String) },
      });
    }
    // CoLP's MIR300 is CoL's A3: a CoLP ticket cannot declare it, and a CoLP-only caller is not told A3's id.
    const hidden = await declare('CoLP', 'B2', 'MIR300', ['CoLP'], colpOnly);
    expect(hidden.status).toBe(409);
    expect(hidden.body.code).toBe('TICKET.MAJOR_INCIDENT_REFERENCE_TAKEN');
    expect(hidden.body.detail).toContain("CoLP's major incident register");
    expect(JSON.stringify(hidden.body)).not.toContain('A3');
    expect(JSON.stringify(hidden.body)).not.toMatch(/CoL(?!P)/);
    const named = await declare('CoLP', 'B2', 'MIR300', ['CoLP'], both);
    expect(named.status).toBe(409);
    expect(named.body.detail).toContain('ticket A3 of CoL');
  });

  it('refused in one register, nothing is reserved in the others', async () => {
    await raise('CoLP', 'B3');
    await raise('CoL', 'A4');
    expect((await declare('CoLP', 'B3', 'MIR400', ['CoLP'])).status).toBe(200);
    const head = await store.headPosition();
    const res = await declare('CoL', 'A4', 'MIR400', ['CoL', 'CoLP']);
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain("CoLP's major incident register");
    expect(await store.headPosition()).toBe(head);
    expect((await register('CoL')).some((e) => e.data.reference === 'MIR400')).toBe(false);
    expect((await declare('CoL', 'A4', 'MIR400', ['CoL'])).status).toBe(200);
  });

  it('a retried declaration (same Idempotency-Key) reserves nothing twice', async () => {
    await raise('CoL', 'A5');
    const send = () =>
      request(t.http)
        .post('/v1/tenants/CoL/tickets/A5/major-incident')
        .set('Authorization', both)
        .set('Idempotency-Key', 'declare-a5')
        .send({ reference: 'MIR500', tenantsAffected: ['CoL'], trigger: 'several_p1s' });
    expect((await send()).status).toBe(200);
    const entries = (await register('CoL')).length;
    const retry = await send();
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((await register('CoL')).length).toBe(entries);
  });

  it('a tenant outside the caller’s token in tenantsAffected is refused as an unknown one', async () => {
    await raise('CoL', 'A6');
    const outside = await declare('CoL', 'A6', 'MIR600', ['CoL', 'CoLP'], colOnly);
    const unknown = await declare('CoL', 'A6', 'MIR600', ['CoL', 'Atlantis'], colOnly);
    expect(outside.status).toBe(422);
    expect(outside.body.code).toBe('TICKET.MAJOR_INCIDENT_TENANTS');
    expect(refusal(outside, 'CoLP')).toEqual(refusal(unknown, 'Atlantis'));
    expect((await ticketEvents('CoL', 'A6')).map((e) => e.type)).toEqual(['IncidentRaised']);
  });

  describe('a declaration that reserved and never recorded (the process died between the two writes)', () => {
    const reservedThenDied = (ticketId: string, reference: string) =>
      new MajorIncidentRegisters(store, clock).claim(
        ['CoL'],
        { reference, ticketTenantId: 'CoL', ticketId, occurredAt: clock.now().toISOString() },
        { metadata: systemCommand(`died-${ticketId}`, 'desk-both', 'CoL'), mayActFor: () => true },
      );

    it('holds the reference for its lease, then the next declaration takes it over; the first ticket then finds it taken', async () => {
      await raise('CoL', 'A7');
      await raise('CoL', 'A8');
      await reservedThenDied('A7', 'MIR700');
      const inFlight = await declare('CoL', 'A8', 'MIR700', ['CoL']);
      expect(inFlight.status).toBe(409);
      expect(inFlight.body).toMatchObject({ code: 'TICKET.MAJOR_INCIDENT_REFERENCE_TAKEN', errors: [{ field: 'reference' }] });
      expect(inFlight.body.detail).toContain('not yet recorded');

      clock.advance(5 * MIN); // the lease has run out; A7's stream shows no declaration
      expect((await declare('CoL', 'A8', 'MIR700', ['CoL'])).status).toBe(200);
      expect((await register('CoL')).at(-1)!.data).toMatchObject({ reference: 'MIR700', ticketId: 'A8', replaces: { ticketTenantId: 'CoL', ticketId: 'A7' } });
      const late = await declare('CoL', 'A7', 'MIR700', ['CoL']);
      expect(late.status).toBe(409);
      expect(late.body.detail).toContain('already taken');
      expect((await ticketEvents('CoL', 'A7')).map((e) => e.type)).toEqual(['IncidentRaised']);
    });

    it("the ticket's own retry reuses its reservation", async () => {
      await raise('CoL', 'A9');
      await reservedThenDied('A9', 'MIR900');
      const entries = (await register('CoL')).length;
      expect((await declare('CoL', 'A9', 'MIR900', ['CoL'])).status).toBe(200);
      expect((await register('CoL')).length).toBe(entries);
      expect((await ticketEvents('CoL', 'A9')).map((e) => e.type)).toEqual(['IncidentRaised', 'MajorIncidentDeclared']);
    });
  });
});

describe('outages are recorded against the tenants they affected', () => {
  beforeAll(async () => {
    await raise('CoL', 'O1');
    await raise('CoL', 'O2');
  });
  const lastEvent = async (ticketId: string) => (await ticketEvents('CoL', ticketId)).at(-1)!;

  it('an outage naming a tenant the service does not serve: 422 naming tenantIds and the rule; nothing written', async () => {
    const head = await store.headPosition();
    const res = await outage('O1', { from: iso(1), to: iso(20), tenantIds: ['CoL', 'LBB'] });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      status: 422,
      code: 'TICKET.OUTAGE_TENANT_NOT_SERVED',
      errors: [{ field: 'tenantIds', rule: 'TICKET.OUTAGE_TENANT_NOT_SERVED' }],
    });
    expect(res.body.detail).toContain('LBB');
    expect(await store.headPosition()).toBe(head);
  });

  it('naming two tenants the service serves: the event carries both', async () => {
    expect((await outage('O1', { from: iso(1), to: iso(20), tenantIds: ['CoL', 'CoLP'] })).status).toBe(200);
    expect(await lastEvent('O1')).toMatchObject({ type: 'OutageRecorded', data: { serviceId: 'printing', minutes: 19, tenantIds: ['CoL', 'CoLP'] } });
    const view = await request(t.http).get('/v1/tenants/CoL/tickets/O1').set('Authorization', both).expect(200);
    expect(view.body.outages).toEqual([{ serviceId: 'printing', from: iso(1), to: iso(20), tenantIds: ['CoL', 'CoLP'] }]);
  });

  it("without tenantIds: the ticket's tenant", async () => {
    expect((await outage('O2', { from: iso(1), to: iso(5) })).status).toBe(200);
    expect((await lastEvent('O2')).data.tenantIds).toEqual(['CoL']);
  });

  it('a tenant named twice, or none: 422 TICKET.OUTAGE_TENANTS on tenantIds', async () => {
    const twice = await outage('O2', { from: iso(10), to: iso(15), tenantIds: ['CoL', 'CoLP', 'CoL'] });
    expect(twice.status).toBe(422);
    expect(twice.body).toMatchObject({ code: 'TICKET.OUTAGE_TENANTS', errors: [{ field: 'tenantIds', rule: 'TICKET.OUTAGE_TENANTS' }] });
    const none = await outage('O2', { from: iso(10), to: iso(15), tenantIds: [] });
    expect(none.status).toBe(400);
    expect(none.body.errors).toEqual([expect.objectContaining({ field: 'tenantIds' })]);
  });

  it("a tenant outside the caller's token answers exactly as one that does not exist, or that the service does not serve", async () => {
    const head = await store.headPosition();
    const outside = await outage('O2', { from: iso(10), to: iso(15), tenantIds: ['CoL', 'CoLP'] }, colOnly);
    const unknown = await outage('O2', { from: iso(10), to: iso(15), tenantIds: ['CoL', 'Atlantis'] }, colOnly);
    const unserved = await outage('O2', { from: iso(10), to: iso(15), tenantIds: ['CoL', 'LBB'] }, colOnly);
    expect(outside.status).toBe(422);
    expect(refusal(outside, 'CoLP')).toEqual(refusal(unknown, 'Atlantis'));
    expect(refusal(outside, 'CoLP')).toEqual(refusal(unserved, 'LBB'));
    expect(await store.headPosition()).toBe(head);
  });

  it('a reader sees only the tenants its token covers, in the ticket and in its history', async () => {
    const view = await request(t.http).get('/v1/tenants/CoL/tickets/O1').set('Authorization', colOnly).expect(200);
    expect(view.body.outages.map((o: { tenantIds: string[] }) => o.tenantIds)).toEqual([['CoL']]);
    const history = await request(t.http).get('/v1/tenants/CoL/tickets/O1/history').set('Authorization', colOnly).expect(200);
    expect(history.body.find((e: { type: string }) => e.type === 'OutageRecorded').data.tenantIds).toEqual(['CoL']);
    const full = await request(t.http).get('/v1/tenants/CoL/tickets/O1/history').set('Authorization', both).expect(200);
    expect(full.body.find((e: { type: string }) => e.type === 'OutageRecorded').data.tenantIds).toEqual(['CoL', 'CoLP']);
  });
});

describe('audit tooling and the registers', () => {
  it('every register event is hash-chained and verifies; each register is its own tenant’s in verify and export', async () => {
    for (const [tenant, auth] of [
      ['CoL', colOnly],
      ['CoLP', colpOnly],
    ] as const) {
      const report = await request(t.http).get(`/v1/tenants/${tenant}/audit/verify`).set('Authorization', auth).expect(200);
      expect(report.body).toMatchObject({ ok: true, breaks: [] });
    }
    const exported: Array<{ streamId: string }> = [];
    for await (const line of exportEvents(store, { tenantId: 'CoLP' })) exported.push(JSON.parse(line));
    const streams = new Set(exported.map((e) => e.streamId));
    expect(streams.has('major-incidents-CoLP')).toBe(true);
    expect(streams.has('major-incidents-CoL')).toBe(false);
  });
});
