import request from 'supertest';
import { SlaTimer } from '@itsm/application';
import { MovableClock } from '@itsm/test-kit';
import { startTestApp } from './support/test-app';
import { seedCatalogue } from './support/catalogue-seed';

const T0 = Date.parse('2023-07-10T08:00:00Z'); // Monday 09:00 in London
const MIN = 60_000;
let t: Awaited<ReturnType<typeof startTestApp>>;
let clock: MovableClock;
let op: string;
let admin: string;

beforeAll(async () => {
  clock = new MovableClock(T0);
  t = await startTestApp({}, clock);
  op = t.auth({ roles: ['operator', 'auditor'], tenants: ['CoL', 'LBB'] });
  admin = t.auth({ roles: ['admin'], tenants: ['*'] });
  await seedCatalogue(t.http, admin);
});
afterAll(() => t.stop());

const post = (path: string, body: object, auth = op) => request(t.http).post(path).set('Authorization', auth).send(body);
const iso = (m: number) => new Date(T0 + m * MIN).toISOString();

describe('SLA policies (admin)', () => {
  it('defines versions from a template, lists them, and refuses a version effective before the latest', async () => {
    const v1 = await post('/v1/tenants/CoL/sla-policies', { template: 'city-of-london-2023', effectiveFrom: '2023-01-01T00:00:00Z' }, admin);
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ tenantId: 'CoL', version: 1 });
    const list = await request(t.http).get('/v1/tenants/CoL/sla-policies').set('Authorization', op).expect(200);
    expect(list.body).toHaveLength(1);
    expect(list.body[0].targets.find((x: { reference: string }) => x.reference === 'IM1')).toEqual({
      kind: 'incident',
      priority: 'P1',
      metric: 'resolution',
      targetMinutes: 120,
      calendarId: '24x7',
      goalPct: 98,
      reference: 'IM1',
    });
    const back = await post('/v1/tenants/CoL/sla-policies', { template: 'city-of-london-2023', effectiveFrom: '2022-01-01T00:00:00Z' }, admin);
    expect(back.status).toBe(409);
    expect(back.body.code).toBe('SLA_POLICY.EFFECTIVE_BEFORE_LATEST');
  });

  it('refuses a policy whose target names an unknown calendar, naming the field', async () => {
    const res = await post(
      '/v1/tenants/CoL/sla-policies',
      {
        effectiveFrom: '2024-01-01T00:00:00Z',
        name: 'x',
        calendars: [{ id: '24x7', kind: '24x7' }],
        targets: [{ kind: 'incident', priority: 'P1', metric: 'resolution', targetMinutes: 60, calendarId: 'nine-to-five', goalPct: 95 }],
      },
      admin,
    );
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ field: 'targets[0].calendarId', rule: 'SLA_POLICY.UNKNOWN_CALENDAR' });
  });

  it('403 for an operator', async () => {
    expect((await post('/v1/tenants/CoL/sla-policies', { template: 'city-of-london-2023', effectiveFrom: '2024-01-01T00:00:00Z' })).status).toBe(403);
  });
});

describe('SLA clocks through the API', () => {
  it('pins the policy version at raise, explains the clocks, and the timer records the breach at the deadline', async () => {
    const raised = await post('/v1/tenants/CoL/tickets', {
      ticketId: 'SLA1',
      kind: 'incident',
      priority: 'P1',
      serviceId: 'printing',
      title: 't',
      description: 'd',
      reporter: 'r',
      channel: 'phone',
      occurredAt: iso(0),
    });
    expect(raised.status).toBe(201);
    clock.set(T0 + 5 * MIN);
    await post('/v1/tenants/CoL/tickets/SLA1/respond', { respondedBy: 'desk', occurredAt: iso(5) }).expect(200);
    clock.set(T0 + 60 * MIN);
    const sla = await request(t.http).get('/v1/tenants/CoL/tickets/SLA1/sla').set('Authorization', op).expect(200);
    expect(sla.body.policy).toMatchObject({ version: 1, name: 'City of London IT service levels 2023' });
    const resolution = sla.body.clocks.find((c: { metric: string }) => c.metric === 'resolution');
    expect(resolution).toMatchObject({
      reference: 'IM1',
      targetMinutes: 120,
      calendarId: '24x7',
      elapsedMinutes: 60,
      deadline: iso(120),
      percentUsed: 50,
      state: 'running',
    });
    expect(sla.body.clocks.find((c: { metric: string }) => c.metric === 'response')).toMatchObject({ reference: 'SD3', elapsedMinutes: 5, state: 'met' });

    clock.set(T0 + 125 * MIN);
    const timer = t.app.get(SlaTimer);
    expect(await timer.runDue()).toBe(1);
    const after = await request(t.http).get('/v1/tenants/CoL/tickets/SLA1/sla').set('Authorization', op).expect(200);
    expect(after.body.recorded).toEqual([
      { key: 'resolution/0/P1/75', kind: 'warning', at: iso(90), retracted: false },
      { key: 'resolution/0/P1/100', kind: 'breach', at: iso(120), retracted: false },
    ]);
    expect(after.body.clocks.find((c: { metric: string }) => c.metric === 'resolution').state).toBe('breached');
    expect(await timer.runDue()).toBe(0);
  });

  it('closes a resolved ticket automatically autoCloseDays after resolution, dated then', async () => {
    clock.set(T0);
    await post('/v1/tenants/CoL/tickets', {
      ticketId: 'AUTO1',
      kind: 'service_request',
      priority: 'P4',
      serviceId: 'printing',
      title: 't',
      description: 'd',
      reporter: 'r',
      channel: 'portal',
      occurredAt: iso(0),
    }).expect(201);
    clock.set(T0 + 30 * MIN);
    await post('/v1/tenants/CoL/tickets/AUTO1/resolve', {
      resolutionCode: 'done',
      rootCause: 'n/a',
      resolvedByGroupId: 'service-desk',
      firstLineFix: true,
      occurredAt: iso(30),
    }).expect(200);
    const timer = t.app.get(SlaTimer);
    clock.set(T0 + 30 * MIN + 5 * 86_400_000 - 1);
    await timer.runDue();
    expect((await request(t.http).get('/v1/tenants/CoL/tickets/AUTO1').set('Authorization', op)).body.status).toBe('resolved');
    clock.set(T0 + 30 * MIN + 5 * 86_400_000 + 1_000);
    await timer.runDue();
    const closed = await request(t.http).get('/v1/tenants/CoL/tickets/AUTO1').set('Authorization', op).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', closedAt: new Date(T0 + 30 * MIN + 5 * 86_400_000).toISOString() });
  });

  it('a ticket of a tenant without a policy has no clocks', async () => {
    clock.set(T0);
    await post('/v1/tenants/CoL/tickets', {
      ticketId: 'NOPOL',
      kind: 'incident',
      priority: 'P2',
      serviceId: 'printing',
      title: 't',
      description: 'd',
      reporter: 'r',
      channel: 'phone',
      occurredAt: '2022-06-01T00:00:00Z',
    }).expect(201);
    const sla = await request(t.http).get('/v1/tenants/CoL/tickets/NOPOL/sla').set('Authorization', op).expect(200);
    expect(sla.body).toMatchObject({ policy: null, clocks: [] });
  });
});
