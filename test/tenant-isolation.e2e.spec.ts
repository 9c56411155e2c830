import request from 'supertest';
import { EVENT_STORE, readWhole, type EventStore } from '@itsm/event-store';
import { ticketStream } from '@itsm/domain';
import { startTestApp } from './support/test-app';
import { seedCatalogue } from './support/catalogue-seed';

/**
 * One tenant can neither see, probe nor squat another's tickets, and a tenant's admin can change
 * only catalogue entries that serve no tenant outside its token.
 */
type App = Awaited<ReturnType<typeof startTestApp>>;
let t: App;
let colOp: string;
let colp: string;
let star: string;

// Five minutes ago, in seconds: recent enough that no SLA threshold passes while the tests run.
const base = Date.now() - 5 * 60_000;
const at = (seconds: number) => new Date(base + seconds * 1000).toISOString();
const RAISE = { kind: 'incident', priority: 'P2', serviceId: 'printing', title: 'Printers down', description: 'd', reporter: 'r', channel: 'phone' };

beforeAll(async () => {
  t = await startTestApp();
  star = t.auth({ sub: 'admin', roles: ['admin'], tenants: ['*'] });
  colOp = t.auth({ roles: ['operator', 'auditor', 'reporter'], tenants: ['CoL'] });
  colp = t.auth({ roles: ['operator', 'auditor', 'reporter'], tenants: ['CoLP'] });
  await seedCatalogue(t.http, star);
  for (const tenant of ['CoL', 'CoLP']) {
    await request(t.http)
      .post(`/v1/tenants/${tenant}/sla-policies`)
      .set('Authorization', star)
      .send({ template: 'city-of-london-2023', effectiveFrom: '2023-01-01T00:00:00Z' })
      .expect(201);
  }
  // CoL's ticket SHARED-1, at revision 2.
  await request(t.http)
    .post('/v1/tenants/CoL/tickets')
    .set('Authorization', colOp)
    .send({ ...RAISE, ticketId: 'SHARED-1', occurredAt: at(0) })
    .expect(201);
  await request(t.http)
    .post('/v1/tenants/CoL/tickets/SHARED-1/respond')
    .set('Authorization', colOp)
    .send({ respondedBy: 'desk', occurredAt: at(5) })
    .expect(200);
  await request(t.http)
    .post('/v1/tenants/CoL/tickets/SHARED-1/assign')
    .set('Authorization', colOp)
    .send({ groupId: 'desktop', occurredAt: at(6) })
    .expect(200);
});
afterAll(() => t.stop());

/**
 * What a client can observe of an answer: status, the headers that carry state, the body but its own
 * URL (`instance`; Express's weak ETag of the body hashes that URL too, so only its presence counts).
 */
const observed = (res: request.Response) => {
  const { instance: _i, ...body } = res.body as Record<string, unknown>;
  const etag: string | undefined = res.headers.etag;
  return { status: res.status, etag: etag?.startsWith('W/') ? 'weak' : etag, location: res.headers.location, body };
};

const COMMANDS: Array<[string, object]> = [
  ['respond', { respondedBy: 'desk' }],
  ['assign', { groupId: 'desktop' }],
  ['priority', { priority: 'P1', reason: 'whole floor' }],
  ['hold', { reason: 'awaiting_customer' }],
  ['resume', {}],
  ['outages', { from: at(1), to: at(2) }],
  ['resolve', { resolutionCode: 'fixed', rootCause: 'toner', resolvedByGroupId: 'desktop', firstLineFix: false }],
  ['reopen', { reason: 'again' }],
  ['close', {}],
  ['major-incident', { reference: 'MIR9', tenantsAffected: ['CoLP'], trigger: 'several_p1s' }],
  ['feedback', { satisfaction: 4 }],
  ['complaints', { description: 'slow' }],
];

describe("another tenant's ticket is, on every route, a ticket that does not exist", () => {
  const reads = ['', '?asOf=2030-01-01T00:00:00Z', '/history', '/sla', '/sla?asOfRecorded=2030-01-01T00:00:00Z'];
  it.each(reads)('GET …/tickets/{id}%s', async (suffix) => {
    const get = (id: string) => request(t.http).get(`/v1/tenants/CoLP/tickets/${id}${suffix}`).set('Authorization', colp);
    const [theirs, free] = [await get('SHARED-1'), await get('FREE-0')];
    expect(observed(theirs)).toEqual(observed(free));
    expect(theirs.body).toMatchObject({ status: 404, code: 'TICKET.NOT_FOUND' });
  });

  const variants: Array<[string, Record<string, string>, object]> = [
    ['without If-Match', {}, {}],
    ['with If-Match at its revision', { 'If-Match': '"2"' }, {}],
    ['with a stale If-Match', { 'If-Match': '"0"' }, {}],
    ['with an If-Match past its revision', { 'If-Match': '"7"' }, {}],
    ['dated in the future', {}, { occurredAt: '2999-01-01T00:00:00Z' }],
    ['dated before it was raised', {}, { occurredAt: at(-60) }],
  ];
  const cases = COMMANDS.flatMap(([action, body]) => variants.map(([how, headers, extra]) => [action, how, headers, { ...body, ...extra }] as const));
  it.each(cases)('POST %s %s', async (action, _how, headers, body) => {
    const send = (id: string) => request(t.http).post(`/v1/tenants/CoLP/tickets/${id}/${action}`).set('Authorization', colp).set(headers).send(body);
    const [theirs, free] = [await send('SHARED-1'), await send('FREE-0')];
    expect(observed(theirs)).toEqual(observed(free));
    expect(theirs.body).toMatchObject({ status: 404, code: 'TICKET.NOT_FOUND' });
  });

  it("nothing was written to CoL's ticket or to a CoLP one by all that", async () => {
    const store = t.app.get<EventStore>(EVENT_STORE);
    expect(await readWhole(store, ticketStream('CoL', 'SHARED-1'))).toHaveLength(3);
    expect(await readWhole(store, ticketStream('CoLP', 'SHARED-1'))).toEqual([]);
    expect(await readWhole(store, ticketStream('CoLP', 'FREE-0'))).toEqual([]);
  });
});

describe('ticket ids are per tenant', () => {
  it("a raise with another tenant's ticket id answers as one with a free id", async () => {
    const raise = (id: string, body: object) =>
      request(t.http)
        .post('/v1/tenants/CoLP/tickets')
        .set('Authorization', colp)
        .send({ ...RAISE, ticketId: id, occurredAt: at(10), ...body });
    // Refused by a rule: the same refusal.
    const [theirsBad, freeBad] = [await raise('SHARED-1', { serviceId: 'no-such-service' }), await raise('FREE-1', { serviceId: 'no-such-service' })];
    expect(observed(theirsBad)).toEqual(observed(freeBad));
    expect(theirsBad.body).toMatchObject({ status: 422, code: 'TICKET.UNKNOWN_SERVICE' });
    // Accepted: two tenants each have a SHARED-1.
    const theirs = await raise('SHARED-1', {});
    const free = await raise('FREE-1', {});
    expect([theirs.status, free.status]).toEqual([201, 201]);
    expect(theirs.body).toMatchObject({ ticketId: 'SHARED-1', revision: '0' });
    expect(theirs.headers.location).toBe('/v1/tenants/CoLP/tickets/SHARED-1');
  });

  it('each tenant sees, changes and audits only its own SHARED-1', async () => {
    await request(t.http)
      .post('/v1/tenants/CoLP/tickets/SHARED-1/complaints')
      .set('Authorization', colp)
      .send({ description: 'CoLP only', occurredAt: at(20) })
      .expect(200);
    const mine = await request(t.http).get('/v1/tenants/CoLP/tickets/SHARED-1').set('Authorization', colp).expect(200);
    expect(mine.body).toMatchObject({ ticketId: 'SHARED-1', tenantId: 'CoLP', revision: '1', complaints: 1 });
    const theirs = await request(t.http).get('/v1/tenants/CoL/tickets/SHARED-1').set('Authorization', colOp).expect(200);
    expect(theirs.body).toMatchObject({ ticketId: 'SHARED-1', tenantId: 'CoL', revision: '2', complaints: 0 });
    const history = await request(t.http).get('/v1/tenants/CoL/tickets/SHARED-1/history').set('Authorization', colOp).expect(200);
    expect(history.body.map((e: { type: string }) => e.type)).toEqual(['IncidentRaised', 'IncidentResponded', 'IncidentAssigned']);
    expect(history.body.every((e: { data: { tenantId?: string } }) => e.data.tenantId === undefined || e.data.tenantId === 'CoL')).toBe(true);
    // An If-Match names the revision of the caller's own ticket.
    await request(t.http)
      .post('/v1/tenants/CoLP/tickets/SHARED-1/priority')
      .set('Authorization', colp)
      .set('If-Match', '"1"')
      .send({ priority: 'P3', reason: 'one desk', occurredAt: at(21) })
      .expect(200);
    const store = t.app.get<EventStore>(EVENT_STORE);
    expect((await readWhole(store, ticketStream('CoLP', 'SHARED-1'))).map((e) => e.type)).toEqual([
      'IncidentRaised',
      'ComplaintRecorded',
      'IncidentPriorityChanged',
    ]);
    expect(await readWhole(store, ticketStream('CoL', 'SHARED-1'))).toHaveLength(3);
  });
});

describe('shared catalogue entries need an admin of every tenant they serve', () => {
  let colAdmin: string;
  beforeAll(() => {
    colAdmin = t.auth({ sub: 'col-admin', roles: ['admin'], tenants: ['CoL'] });
  });
  const send = (method: 'post' | 'put', path: string, body: object, auth: string) => request(t.http)[method](path).set('Authorization', auth).send(body);
  const printing = { name: 'Printing', tenantIds: ['CoL'], critical: false, ownership: 'it_owned', supplierId: 'konica', availabilityTargetPct: 50 };

  it('revising a service that serves another tenant is 403, without naming that tenant; the entry is unchanged', async () => {
    const res = await send('put', '/v1/services/printing', printing, colAdmin);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ status: 403, code: 'AUTH.TENANT_FORBIDDEN' });
    expect(res.body.detail).toContain('the entry serves tenants outside your token');
    expect(JSON.stringify(res.body)).not.toContain('CoLP');
    const entry = await request(t.http).get('/v1/services/printing').set('Authorization', star).expect(200);
    expect(entry.body).toMatchObject({ tenantIds: ['CoL', 'CoLP'], availabilityTargetPct: 99, revision: '0' });
  });

  it('the same for a resolver group; an admin of all its tenants may', async () => {
    const group = { name: 'Desktop', tenantIds: ['CoL'] };
    const res = await send('put', '/v1/resolver-groups/desktop', group, colAdmin);
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).not.toContain('CoLP');
    const both = t.auth({ sub: 'both', roles: ['admin'], tenants: ['CoL', 'CoLP'] });
    await send('put', '/v1/resolver-groups/desktop', { name: 'Desktop support', tenantIds: ['CoL', 'CoLP'] }, both).expect(200);
  });

  it('registering or revising an entry to serve tenants outside the token is 403 naming them (whether they exist or not)', async () => {
    for (const other of ['LBB', 'GHOST']) {
      const res = await send('post', '/v1/services', { ...printing, serviceId: `col-${other}`, tenantIds: ['CoL', other] }, colAdmin);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'AUTH.TENANT_FORBIDDEN', errors: [{ field: 'tenantIds', rule: 'AUTH.TENANT_FORBIDDEN' }] });
      expect(res.body.errors[0].message).toContain(other);
      await request(t.http).get(`/v1/services/col-${other}`).set('Authorization', star).expect(404);
    }
    await send('post', '/v1/services', { ...printing, serviceId: 'col-only', tenantIds: ['CoL'] }, colAdmin).expect(201);
    await send('put', '/v1/services/col-only', { ...printing, tenantIds: ['CoL'], availabilityTargetPct: 98 }, colAdmin).expect(200);
    const widen = await send('put', '/v1/services/col-only', { ...printing, tenantIds: ['CoL', 'LBB'] }, colAdmin);
    expect(widen.status).toBe(403);
    expect(widen.body.errors[0].message).toContain('LBB');
    const group = await send('post', '/v1/resolver-groups', { groupId: 'col-lbb', name: 'x', tenantIds: ['LBB'] }, colAdmin);
    expect(group.status).toBe(403);
  });

  it('suppliers serve every tenant (any tenant may pass tickets to one): they need a token for all tenants', async () => {
    const supplier = { name: 'Konica', targets: { firstTimeFixPct: 10, uptimePct: 10, meanResponseMinutes: 10_000 } };
    const revise = await send('put', '/v1/suppliers/konica', supplier, colAdmin);
    expect(revise.status).toBe(403);
    expect(revise.body.code).toBe('AUTH.TENANT_FORBIDDEN');
    expect((await send('post', '/v1/suppliers', { ...supplier, supplierId: 'col-supplier' }, colAdmin)).status).toBe(403);
    await send('post', '/v1/suppliers', { ...supplier, supplierId: 'star-supplier' }, star).expect(201);
  });

  it('registering a tenant needs * or that tenant; revising one needs that tenant', async () => {
    const other = await send('post', '/v1/tenants', { tenantId: 'NEWT', name: 'New' }, colAdmin);
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('AUTH.TENANT_FORBIDDEN');
    await request(t.http).get('/v1/tenants/NEWT').set('Authorization', star).expect(404);
    await send('post', '/v1/tenants', { tenantId: 'NEWT', name: 'New' }, t.auth({ roles: ['admin'], tenants: ['NEWT'] })).expect(201);
    expect((await send('put', '/v1/tenants/CoLP', { name: 'x' }, colAdmin)).status).toBe(403);
    await send('put', '/v1/tenants/CoL', { name: 'City of London Corporation' }, colAdmin).expect(200);
  });

  it('reading a shared entry shows only the tenants the token may see', async () => {
    const seen = await request(t.http).get('/v1/services/printing').set('Authorization', colOp).expect(200);
    expect(seen.body.tenantIds).toEqual(['CoL']);
    const all = await request(t.http).get('/v1/services/printing').set('Authorization', star).expect(200);
    expect(all.body.tenantIds).toEqual(['CoL', 'CoLP']);
    const group = await request(t.http).get('/v1/resolver-groups/desktop').set('Authorization', colOp).expect(200);
    expect(group.body.tenantIds).toEqual(['CoL']);
  });
});
