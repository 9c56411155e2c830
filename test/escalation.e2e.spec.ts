import request from 'supertest';
import { SlaTimer, TicketService } from '@itsm/application';
import { escalationPolicyStream } from '@itsm/domain';
import { EVENT_STORE, readWhole, type EventStore } from '@itsm/event-store';
import { MovableClock } from '@itsm/test-kit';
import { seedCatalogue } from './support/catalogue-seed';
import { startTestApp } from './support/test-app';

/**
 * Escalation policies as data: PUT/GET a tenant's versions; the SLA timer records EscalationTriggered
 * at the crossing instant, once however many timers run, and withdraws it when a back-dated fact
 * shows the crossing did not happen. The timer is driven by hand on a movable clock.
 */
const T0 = Date.parse('2023-07-10T08:00:00Z');
const MIN = 60_000;
const iso = (m: number) => new Date(T0 + m * MIN).toISOString();
let t: Awaited<ReturnType<typeof startTestApp>>;
let clock: MovableClock;
let admin: string;
let op: string;
let store: EventStore;

const RULES = [
  { kind: 'incident', priority: 'P1', metric: 'resolution', atPercent: 50, notify: ['group:service-desk', 'role:incident-manager'] },
  { kind: 'incident', priority: 'P1', metric: 'resolution', atPercent: 150, notify: ['email:duty.manager@example.org'] },
];
const RAISE = { kind: 'incident', priority: 'P1', serviceId: 'printing', title: 'Printers down', description: 'd', reporter: 'r', channel: 'phone' };

beforeAll(async () => {
  clock = new MovableClock(T0);
  t = await startTestApp({}, clock);
  store = t.app.get<EventStore>(EVENT_STORE);
  admin = t.auth({ sub: 'admin', roles: ['admin'], tenants: ['*'] });
  op = t.auth({ roles: ['operator', 'auditor'], tenants: ['CoL'] });
  await seedCatalogue(t.http, admin);
  await request(t.http)
    .post('/v1/tenants/CoL/sla-policies')
    .set('Authorization', admin)
    .send({ template: 'city-of-london-2023', effectiveFrom: '2023-01-01T00:00:00Z' })
    .expect(201);
});
afterAll(() => t.stop());

const putPolicy = (body: object, auth = admin, tenant = 'CoL') =>
  request(t.http).put(`/v1/tenants/${tenant}/escalation-policy`).set('Authorization', auth).send(body);
const post = (path: string, body: object) => request(t.http).post(path).set('Authorization', op).send(body);
const history = async (id: string) =>
  (await request(t.http).get(`/v1/tenants/CoL/tickets/${id}/history`).set('Authorization', op).expect(200)).body as Array<{
    type: string;
    occurredAt: string;
    eventId: string;
    data: Record<string, unknown>;
    actor: string;
  }>;
const escalationsOf = async (id: string) =>
  (await history(id)).filter((e) => e.type === 'EscalationTriggered' || (e.type === 'SlaEventRetracted' && String(e.data.key).startsWith('escalation/')));

describe('PUT and GET /v1/tenants/{t}/escalation-policy', () => {
  it('refuses broken rules with 422 naming the field, and records nothing', async () => {
    const refusals: Array<[object, string, string]> = [
      [{ ...RULES[0], kind: 'problem' }, 'rules[0].kind', 'ESCALATION_POLICY.INVALID_RULE'],
      [{ ...RULES[0], priority: 'P9' }, 'rules[0].priority', 'ESCALATION_POLICY.INVALID_RULE'],
      [{ ...RULES[0], metric: 'uptime' }, 'rules[0].metric', 'ESCALATION_POLICY.INVALID_RULE'],
      [{ ...RULES[0], atPercent: 0 }, 'rules[0].atPercent', 'ESCALATION_POLICY.INVALID_PERCENT'],
      [{ ...RULES[0], atPercent: 1000.5 }, 'rules[0].atPercent', 'ESCALATION_POLICY.INVALID_PERCENT'],
      [{ ...RULES[0], notify: [] }, 'rules[0].notify', 'ESCALATION_POLICY.INVALID_NOTIFY'],
      [{ ...RULES[0], notify: ['<script>alert(1)</script>'] }, 'rules[0].notify[0]', 'ESCALATION_POLICY.INVALID_TARGET'],
      [{ ...RULES[0], notify: ['group:no-such-group'] }, 'rules[0].notify[0]', 'ESCALATION_POLICY.UNKNOWN_TARGET'],
    ];
    for (const [rule, field, code] of refusals) {
      const res = await putPolicy({ rules: [rule] });
      expect([res.status, res.body.errors?.[0]]).toEqual([422, expect.objectContaining({ field, rule: code })]);
    }
    const twice = await putPolicy({ rules: [RULES[0], { ...RULES[0], notify: ['role:someone-else'] }] });
    expect([twice.status, twice.body.errors[0].field, twice.body.code]).toEqual([422, 'rules[1]', 'ESCALATION_POLICY.DUPLICATE_RULE']);
    // A group must serve the tenant: lbb-only serves LBB alone.
    await request(t.http)
      .post('/v1/resolver-groups')
      .set('Authorization', admin)
      .send({ groupId: 'lbb-only', name: 'Brent only', tenantIds: ['LBB'] })
      .expect(201);
    expect((await putPolicy({ rules: [{ ...RULES[0], notify: ['group:lbb-only'] }] })).body.code).toBe('ESCALATION_POLICY.UNKNOWN_TARGET');
    // Malformed (wrong types, unknown fields): 400.
    expect((await putPolicy({ rules: [{ ...RULES[0], notify: 'group:service-desk' }] })).status).toBe(400);
    expect((await putPolicy({ rules: [{ ...RULES[0], atPercent: '50' }] })).status).toBe(400);
    expect((await putPolicy({ rules: [RULES[0]], extra: 1 })).status).toBe(400);
    expect(await readWhole(store, escalationPolicyStream('CoL'))).toEqual([]);
  });

  it('admin of the tenant only; an unregistered tenant is 404', async () => {
    expect((await putPolicy({ rules: RULES }, op)).status).toBe(403);
    expect((await putPolicy({ rules: RULES }, t.auth({ roles: ['admin'], tenants: ['LBB'] }))).status).toBe(403);
    expect((await putPolicy({ rules: RULES }, admin, 'NOPE')).body.code).toBe('TENANT.NOT_FOUND');
    expect(
      (
        await request(t.http)
          .get('/v1/tenants/CoL/escalation-policy')
          .set('Authorization', t.auth({ roles: ['reporter'], tenants: ['LBB'] }))
      ).status,
    ).toBe(403);
  });

  it('defines versions, answers them with GET, and the same rules again define nothing', async () => {
    const v1 = await putPolicy({ rules: RULES, effectiveFrom: '2023-07-01T00:00:00Z' }).expect(200);
    expect(v1.body).toMatchObject({ tenantId: 'CoL', version: 1, effectiveFrom: '2023-07-01T00:00:00.000Z', rules: RULES, revision: '0' });
    expect(v1.headers.etag).toBe('"0"');
    const again = await putPolicy({ rules: RULES }).expect(200);
    expect([again.body.version, again.body.events]).toEqual([1, []]);
    const early = await putPolicy({ rules: [RULES[0]], effectiveFrom: '2023-06-01T00:00:00Z' });
    expect([early.status, early.body.code]).toEqual([409, 'ESCALATION_POLICY.EFFECTIVE_BEFORE_LATEST']);
    const got = await request(t.http).get('/v1/tenants/CoL/escalation-policy').set('Authorization', op).expect(200);
    expect(got.body).toEqual({
      tenantId: 'CoL',
      inForce: 1,
      versions: [{ tenantId: 'CoL', version: 1, effectiveFrom: '2023-07-01T00:00:00.000Z', rules: RULES }],
    });
    expect((await request(t.http).get('/v1/tenants/LBB/escalation-policy').set('Authorization', admin).expect(200)).body).toEqual({
      tenantId: 'LBB',
      inForce: null,
      versions: [],
    });
  });
});

describe('the SLA timer records escalations', () => {
  it('appends EscalationTriggered when the clock crosses a rule, dated at the crossing instant', async () => {
    clock.set(T0);
    await post('/v1/tenants/CoL/tickets', { ...RAISE, ticketId: 'ESC-1' }).expect(201);
    const timer = t.app.get(SlaTimer);
    clock.set(T0 + 59 * MIN);
    await timer.runDue();
    expect(await escalationsOf('ESC-1')).toEqual([]);
    clock.set(T0 + 70 * MIN);
    expect(await timer.runDue()).toBe(1);
    const [escalation] = await escalationsOf('ESC-1');
    expect(escalation).toMatchObject({
      type: 'EscalationTriggered',
      occurredAt: iso(60),
      actor: 'sla-timer',
      data: {
        ticketId: 'ESC-1',
        key: 'escalation/resolution/0/P1/50',
        metric: 'resolution',
        atPercent: 50,
        notify: ['group:service-desk', 'role:incident-manager'],
        policyVersion: 1,
        priority: 'P1',
        targetMinutes: 120,
        reference: 'IM1',
      },
    });
    const sla = await request(t.http).get('/v1/tenants/CoL/tickets/ESC-1/sla').set('Authorization', op).expect(200);
    expect(sla.body.recorded).toContainEqual({ key: 'escalation/resolution/0/P1/50', kind: 'escalation', at: iso(60), retracted: false });
    clock.set(T0 + 181 * MIN);
    await timer.runDue();
    expect((await escalationsOf('ESC-1')).map((e) => [e.data.atPercent, e.occurredAt, e.data.notify])).toEqual([
      [50, iso(60), ['group:service-desk', 'role:incident-manager']],
      [150, iso(180), ['email:duty.manager@example.org']],
    ]);
    expect(await timer.runDue()).toBe(0);
  });

  it('two timers running at once append each escalation once', async () => {
    clock.set(T0 + 200 * MIN);
    await post('/v1/tenants/CoL/tickets', { ...RAISE, ticketId: 'ESC-2' }).expect(201);
    const first = t.app.get(SlaTimer);
    const second = new SlaTimer(store, t.app.get(TicketService), clock);
    await Promise.all([first.catchUp(), second.catchUp()]);
    clock.set(T0 + 265 * MIN);
    await Promise.all([first.runDue(), second.runDue()]);
    const recorded = await escalationsOf('ESC-2');
    expect(recorded.map((e) => [e.type, e.occurredAt])).toEqual([['EscalationTriggered', iso(260)]]);
    await Promise.all([first.runDue(), second.runDue()]);
    expect(await escalationsOf('ESC-2')).toEqual(recorded);
  });

  it('withdraws an escalation that a back-dated hold shows did not happen, and escalates at the new crossing', async () => {
    clock.set(T0 + 300 * MIN);
    await post('/v1/tenants/CoL/tickets', { ...RAISE, ticketId: 'ESC-3' }).expect(201);
    const timer = t.app.get(SlaTimer);
    clock.set(T0 + 365 * MIN);
    await timer.runDue();
    expect((await escalationsOf('ESC-3')).map((e) => [e.type, e.occurredAt])).toEqual([['EscalationTriggered', iso(360)]]);
    // Recorded at 366 min: the ticket had waited on the customer since 330 min, which pauses the clock.
    clock.set(T0 + 366 * MIN);
    await post('/v1/tenants/CoL/tickets/ESC-3/hold', { reason: 'awaiting_customer', occurredAt: iso(330) }).expect(200);
    await timer.runDue();
    const withdrawn = await escalationsOf('ESC-3');
    expect(withdrawn.map((e) => [e.type, e.occurredAt, e.data.key, e.data.retractedOccurredAt])).toEqual([
      ['EscalationTriggered', iso(360), 'escalation/resolution/0/P1/50', undefined],
      ['SlaEventRetracted', iso(366), 'escalation/resolution/0/P1/50', iso(360)],
    ]);
    // Resumed at 390: 30 minutes were used before the hold, so half of IM1 is exceeded at 420.
    clock.set(T0 + 390 * MIN);
    await post('/v1/tenants/CoL/tickets/ESC-3/resume', {}).expect(200);
    clock.set(T0 + 425 * MIN);
    await timer.runDue();
    expect((await escalationsOf('ESC-3')).map((e) => [e.type, e.occurredAt])).toEqual([
      ['EscalationTriggered', iso(360)],
      ['SlaEventRetracted', iso(366)],
      ['EscalationTriggered', iso(420)],
    ]);
    const sla = await request(t.http).get('/v1/tenants/CoL/tickets/ESC-3/sla').set('Authorization', op).expect(200);
    expect(sla.body.recorded.filter((r: { kind: string }) => r.kind === 'escalation')).toEqual([
      { key: 'escalation/resolution/0/P1/50', kind: 'escalation', at: iso(360), retracted: true },
      { key: 'escalation/resolution/0/P1/50', kind: 'escalation', at: iso(420), retracted: false },
    ]);
  });

  it('a new version applies to crossings from its effective date on', async () => {
    clock.set(T0 + 500 * MIN);
    const v2 = [{ ...RULES[0], notify: ['role:night-duty'] }];
    await putPolicy({ rules: v2, effectiveFrom: iso(530) }).expect(200);
    await post('/v1/tenants/CoL/tickets', { ...RAISE, ticketId: 'ESC-4' }).expect(201);
    clock.set(T0 + 565 * MIN);
    await t.app.get(SlaTimer).runDue();
    expect((await escalationsOf('ESC-4')).map((e) => [e.occurredAt, e.data.policyVersion, e.data.notify])).toEqual([[iso(560), 2, ['role:night-duty']]]);
  });
});
