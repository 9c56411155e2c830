import request from 'supertest';
import { Projector } from '@itsm/projections';
import { MovableClock } from '@itsm/test-kit';
import { seedCatalogue } from './support/catalogue-seed';
import { startTestApp } from './support/test-app';

/**
 * The live queue: open tickets least remaining working time first, clocks computed at the request's
 * now from the read models, counts per resolver group and supplier, the at-risk filter, and nothing
 * of another tenant.
 */
const T0 = Date.parse('2023-07-10T08:00:00Z'); // Monday 09:00 in London
const MIN = 60_000;
const iso = (m: number) => new Date(T0 + m * MIN).toISOString();
let t: Awaited<ReturnType<typeof startTestApp>>;
let clock: MovableClock;
let op: string;

beforeAll(async () => {
  clock = new MovableClock(T0);
  t = await startTestApp({}, clock);
  const admin = t.auth({ sub: 'admin', roles: ['admin'], tenants: ['*'] });
  op = t.auth({ roles: ['operator'], tenants: ['CoL', 'CoLP'] });
  await seedCatalogue(t.http, admin);
  for (const tenant of ['CoL', 'CoLP']) {
    await request(t.http)
      .post(`/v1/tenants/${tenant}/sla-policies`)
      .set('Authorization', admin)
      .send({ template: 'city-of-london-2023', effectiveFrom: '2023-01-01T00:00:00Z' })
      .expect(201);
  }
  const raise = (tenant: string, ticketId: string, priority: string, at: number, title = 'Printers down') =>
    post(`/v1/tenants/${tenant}/tickets`, {
      ticketId,
      kind: 'incident',
      priority,
      serviceId: 'printing',
      title,
      description: 'd',
      reporter: 'r',
      channel: 'phone',
      occurredAt: iso(at),
    });
  const act = (tenant: string, id: string, verb: string, body: object) => post(`/v1/tenants/${tenant}/tickets/${id}/${verb}`, body);
  // C: a P1 past its 2 hours and still running. A: a P1 at 83% of them.
  await raise('CoL', 'C', 'P1', -150);
  await act('CoL', 'C', 'respond', { respondedBy: 'desk', occurredAt: iso(-149) });
  await act('CoL', 'C', 'assign', { groupId: 'desktop', occurredAt: iso(-148) });
  await raise('CoL', 'A', 'P1', -100, '<img src=x onerror=alert(1)>');
  await act('CoL', 'A', 'respond', { respondedBy: 'desk', occurredAt: iso(-95) });
  await act('CoL', 'A', 'assign', { groupId: 'desktop', occurredAt: iso(-94) });
  // B: a P2 at a quarter of its 4 hours, with the supplier.
  await raise('CoL', 'B', 'P2', -60);
  await act('CoL', 'B', 'respond', { respondedBy: 'desk', occurredAt: iso(-58) });
  await act('CoL', 'B', 'assign', { groupId: 'service-desk', supplierId: 'konica', occurredAt: iso(-57) });
  // D: waiting on the customer, its clocks paused.
  await raise('CoL', 'D', 'P2', -200);
  await act('CoL', 'D', 'respond', { respondedBy: 'desk', occurredAt: iso(-199) });
  await act('CoL', 'D', 'assign', { groupId: 'service-desk', occurredAt: iso(-198) });
  await act('CoL', 'D', 'hold', { reason: 'awaiting_customer', occurredAt: iso(-190) });
  // E: a P3 raised before the desk opened (working hours): nothing used yet, nobody assigned.
  await raise('CoL', 'E', 'P3', -30);
  // F: resolved, so not in the queue.
  await raise('CoL', 'F', 'P1', -100);
  await act('CoL', 'F', 'resolve', { resolutionCode: 'fixed', rootCause: 'x', resolvedByGroupId: 'desktop', firstLineFix: false, occurredAt: iso(-50) });
  // Another tenant's P1 at risk, and a CoL-looking id.
  await raise('CoLP', 'G', 'P1', -110);
  await raise('CoLP', 'C', 'P1', -10);
  await t.app.get(Projector).catchUp();
});
afterAll(() => t.stop());

function post(path: string, body: object) {
  return request(t.http)
    .post(path)
    .set('Authorization', op)
    .send(body)
    .expect((res) => {
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    });
}
const queue = (query = '', auth = op, tenant = 'CoL') => request(t.http).get(`/v1/tenants/${tenant}/queue${query}`).set('Authorization', auth);

describe('GET /v1/tenants/{t}/queue', () => {
  it("lists open tickets least remaining first, with each running clock at the request's now", async () => {
    clock.set(T0);
    const res = await queue().expect(200);
    expect(
      res.body.items.map((i: { ticketId: string; remainingMinutes: number | null; atRisk: boolean }) => [i.ticketId, i.remainingMinutes, i.atRisk]),
    ).toEqual([
      ['C', -30, true],
      ['A', 20, true],
      ['E', 120, false],
      ['B', 180, false],
      ['D', null, false],
    ]);
    const c = res.body.items[0];
    expect(c.clocks).toEqual([
      {
        metric: 'resolution',
        cycle: 0,
        priority: 'P1',
        reference: 'IM1',
        targetMinutes: 120,
        calendarId: '24x7',
        elapsedMinutes: 150,
        percentUsed: 125,
        remainingMinutes: -30,
        deadline: iso(-30),
        state: 'breached',
      },
    ]);
    expect(res.body.items[1]).toMatchObject({
      title: '<img src=x onerror=alert(1)>',
      groupId: 'desktop',
      supplierId: null,
      status: 'in_progress',
      onHold: false,
    });
    expect(res.body.items[4]).toMatchObject({ ticketId: 'D', onHold: true, clocks: [] });
    // The clocks are those GET .../sla explains.
    const sla = await request(t.http).get('/v1/tenants/CoL/tickets/A/sla').set('Authorization', op).expect(200);
    const resolution = sla.body.clocks.find((k: { metric: string }) => k.metric === 'resolution');
    expect(res.body.items[1].clocks).toEqual([
      expect.objectContaining({ percentUsed: resolution.percentUsed, elapsedMinutes: resolution.elapsedMinutes, deadline: resolution.deadline }),
    ]);
    expect(res.body).toMatchObject({ tenantId: 'CoL', asOf: iso(0), total: 5, offset: 0, nextOffset: null });
    expect(res.headers['x-log-position']).toBe(res.body.logPosition);
  });

  it("computes at the request's now: time passing reorders nothing recorded but moves every running clock", async () => {
    clock.set(T0 + 30 * MIN);
    const res = await queue().expect(200);
    expect(res.body.items.map((i: { ticketId: string; remainingMinutes: number | null }) => [i.ticketId, i.remainingMinutes])).toEqual([
      ['C', -60],
      ['A', -10],
      ['E', 90],
      ['B', 150],
      ['D', null],
    ]);
    clock.set(T0);
  });

  it('counts open, unassigned, on-hold and at-risk tickets per resolver group and supplier', async () => {
    const { counts } = (await queue('?atRisk=true').expect(200)).body;
    expect(counts).toEqual({
      open: 5,
      unassigned: 1,
      onHold: 1,
      atRisk: 2,
      byGroup: [
        { groupId: 'desktop', open: 2, unassigned: 0, onHold: 0, atRisk: 2 },
        { groupId: 'service-desk', open: 2, unassigned: 0, onHold: 1, atRisk: 0 },
        { groupId: null, open: 1, unassigned: 1, onHold: 0, atRisk: 0 },
      ],
      bySupplier: [
        { supplierId: 'konica', open: 1, unassigned: 0, onHold: 0, atRisk: 0 },
        { supplierId: null, open: 4, unassigned: 1, onHold: 1, atRisk: 2 },
      ],
    });
  });

  it('filters: at risk only, by group, by supplier; pages', async () => {
    expect((await queue('?atRisk=true').expect(200)).body.items.map((i: { ticketId: string }) => i.ticketId)).toEqual(['C', 'A']);
    const desk = (await queue('?group=service-desk').expect(200)).body;
    expect(desk.items.map((i: { ticketId: string }) => i.ticketId)).toEqual(['B', 'D']);
    expect(desk.counts.byGroup).toEqual([{ groupId: 'service-desk', open: 2, unassigned: 0, onHold: 1, atRisk: 0 }]);
    expect((await queue('?supplier=konica').expect(200)).body.items.map((i: { ticketId: string }) => i.ticketId)).toEqual(['B']);
    const first = (await queue('?limit=2').expect(200)).body;
    expect([first.items.map((i: { ticketId: string }) => i.ticketId), first.nextOffset, first.total]).toEqual([['C', 'A'], 2, 5]);
    const second = (await queue(`?limit=2&offset=${first.nextOffset}`).expect(200)).body;
    expect([second.items.map((i: { ticketId: string }) => i.ticketId), second.nextOffset]).toEqual([['E', 'B'], 4]);
  });

  it("shows one tenant only: another tenant's tickets never appear, and its queue is refused outside the token", async () => {
    const colp = (await queue('', op, 'CoLP').expect(200)).body;
    expect(colp.items.map((i: { ticketId: string; title: string }) => i.ticketId)).toEqual(['G', 'C']);
    expect(colp.counts.open).toBe(2);
    const onlyCoL = t.auth({ roles: ['operator', 'reporter'], tenants: ['CoL'] });
    expect((await queue('', onlyCoL, 'CoLP')).status).toBe(403);
    expect((await queue('', onlyCoL)).body.items.map((i: { ticketId: string }) => i.ticketId)).toEqual(['C', 'A', 'E', 'B', 'D']);
  });

  it('refuses bad parameters naming the field (400), and callers without the role (403)', async () => {
    for (const [query, field] of [
      ['?atRisk=yes', 'atRisk'],
      ['?limit=0', 'limit'],
      ['?limit=501', 'limit'],
      ['?offset=-1', 'offset'],
      ['?group=../etc', 'group'],
      ['?supplier=%00', 'supplier'],
      ['?sort=x', 'sort'],
    ]) {
      const res = await queue(query);
      expect([query, res.status, res.body.errors?.[0]?.field]).toEqual([query, 400, field]);
    }
    expect((await queue('', t.auth({ roles: ['auditor'], tenants: ['CoL'] }))).status).toBe(403);
    expect((await queue('', t.auth({ roles: ['reporter'], tenants: ['CoL'] }))).status).toBe(200);
  });

  it('a fact recorded since folds that ticket again', async () => {
    clock.set(T0 + 10 * MIN);
    expect((await queue().expect(200)).body.items.find((i: { ticketId: string }) => i.ticketId === 'B')).toMatchObject({
      onHold: false,
      remainingMinutes: 170,
    });
    await post('/v1/tenants/CoL/tickets/B/hold', { reason: 'awaiting_customer', occurredAt: iso(5) });
    await t.app.get(Projector).catchUp();
    const after = (await queue().expect(200)).body;
    expect(after.items.map((i: { ticketId: string }) => i.ticketId)).toEqual(['C', 'A', 'E', 'D', 'B']);
    expect(after.items[4]).toMatchObject({ ticketId: 'B', onHold: true, remainingMinutes: null, clocks: [] });
    expect(after.counts.onHold).toBe(2);
    clock.set(T0);
  });

  it('is described in the OpenAPI document, with the escalation policy', async () => {
    const paths = Object.keys((await request(t.http).get('/docs/openapi.json').expect(200)).body.paths);
    expect(paths).toEqual(expect.arrayContaining(['/v1/tenants/{tenant}/queue', '/v1/tenants/{tenant}/escalation-policy']));
  });
});
