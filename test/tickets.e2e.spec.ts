import request from 'supertest';
import { EVENT_STORE, eventHash, GENESIS_HASH, readWhole, type EventStore } from '@itsm/event-store';
import { ticketStream } from '@itsm/domain';
import { startTestApp } from './support/test-app';
import { seedCatalogue } from './support/catalogue-seed';

type App = Awaited<ReturnType<typeof startTestApp>>;
let t: App;
let op: string;
let admin: string;

// The clock is real; facts are dated in the recent past so they are never "in the future".
const base = Date.now() - 10 * 24 * 3600_000;
const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();

beforeAll(async () => {
  t = await startTestApp();
  op = t.auth({ roles: ['operator'], tenants: ['CoL', 'CoLP'] });
  admin = t.auth({ sub: 'admin', roles: ['admin'], tenants: ['*'] });
  await seedCatalogue(t.http, admin);
});
afterAll(() => t.stop());

const post = (path: string, body: object, auth = op) => request(t.http).post(path).set('Authorization', auth).send(body);
const raise = (body: object = {}, tenant = 'CoL') =>
  post(`/v1/tenants/${tenant}/tickets`, {
    kind: 'incident',
    priority: 'P2',
    serviceId: 'printing',
    title: 'Guildhall 5th floor printers offline',
    description: 'No printer answers',
    reporter: 'jane.doe',
    channel: 'phone',
    occurredAt: at(0),
    ...body,
  });
let seq = 0;
const newTicket = async (body: object = {}) => {
  const res = await raise({ ticketId: `T${++seq}`, ...body });
  expect(res.status).toBe(201);
  return res.body.ticketId as string;
};
const cmd = (id: string, action: string, body: object, tenant = 'CoL') => post(`/v1/tenants/${tenant}/tickets/${id}/${action}`, body);
const get = (id: string, tenant = 'CoL', auth = op) => request(t.http).get(`/v1/tenants/${tenant}/tickets/${id}`).set('Authorization', auth);

describe('a full lifecycle of each kind of ticket', () => {
  it.each(['incident', 'service_request', 'starter_mover_leaver'])('%s: raise to close, with every fact', async (kind) => {
    // References are unique in each tenant's register: one per ticket.
    const reference = { incident: 'MIR101', service_request: 'MIR102', starter_mover_leaver: 'MIR103' }[kind]!;
    const raised = await raise({ kind, ticketId: `LIFE-${kind}`, priority: undefined, impact: 1, urgency: 2 });
    expect(raised.status).toBe(201);
    expect(raised.headers.location).toBe(`/v1/tenants/CoL/tickets/LIFE-${kind}`);
    expect(raised.headers.etag).toBe('"0"');
    expect(raised.body).toEqual({
      ticketId: `LIFE-${kind}`,
      revision: '0',
      position: expect.any(String),
      events: [{ id: expect.any(String), type: 'IncidentRaised', revision: '0' }],
    });
    const id = raised.body.ticketId;
    const steps: Array<[string, object, string]> = [
      ['respond', { respondedBy: 'desk', occurredAt: at(5) }, 'IncidentResponded'],
      ['assign', { groupId: 'desktop', supplierId: 'konica', occurredAt: at(6) }, 'IncidentAssigned'],
      ['hold', { reason: 'awaiting_customer', note: 'asked for asset tag', occurredAt: at(10) }, 'IncidentPutOnHold'],
      ['resume', { occurredAt: at(40) }, 'IncidentResumed'],
      ['priority', { priority: 'P1', reason: 'whole floor', occurredAt: at(41) }, 'IncidentPriorityChanged'],
      ['major-incident', { reference, tenantsAffected: ['CoL', 'CoLP'], trigger: 'multi_tenant_outage', occurredAt: at(42) }, 'MajorIncidentDeclared'],
      ['outages', { from: at(-20), to: at(57), occurredAt: at(58) }, 'OutageRecorded'],
      ['resolve', { resolutionCode: 'fixed', rootCause: 'spooler', resolvedByGroupId: 'desktop', firstLineFix: false, occurredAt: at(60) }, 'IncidentResolved'],
      ['reopen', { reason: 'offline again', occurredAt: at(90) }, 'IncidentReopened'],
      [
        'resolve',
        { resolutionCode: 'replaced', rootCause: 'faulty NIC', resolvedByGroupId: 'service-desk', firstLineFix: false, occurredAt: at(120) },
        'IncidentResolved',
      ],
      ['feedback', { satisfaction: 4, nps: 9, comment: 'good', occurredAt: at(130) }, 'FeedbackRecorded'],
      ['close', { occurredAt: at(140) }, 'IncidentClosed'],
      ['complaints', { description: 'first fix did not hold', occurredAt: at(150) }, 'ComplaintRecorded'],
    ];
    for (const [i, [action, body, type]] of steps.entries()) {
      const res = await cmd(id, action, body);
      expect({ action, status: res.status }).toEqual({ action, status: 200 });
      expect(res.body.events.map((e: { type: string }) => e.type)).toEqual([type]);
      expect(res.body.revision).toBe(String(i + 1));
      expect(res.headers.etag).toBe(`"${i + 1}"`);
    }
    const state = await get(id).expect(200);
    expect(state.headers.etag).toBe(`"${steps.length}"`);
    expect(state.body).toMatchObject({
      ticketId: id,
      tenantId: 'CoL',
      kind,
      priority: 'P1',
      status: 'closed',
      respondedAt: at(5),
      assignment: { groupId: 'desktop', supplierId: 'konica', since: at(6) },
      resolvedAt: at(120),
      resolution: { resolutionCode: 'replaced', rootCause: 'faulty NIC', resolvedByGroupId: 'service-desk', firstLineFix: false },
      closedAt: at(140),
      reopenCount: 1,
      outageMinutes: 77,
      majorIncident: { reference, tenantsAffected: ['CoL', 'CoLP'], declaredAt: at(42), trigger: 'multi_tenant_outage' },
      feedbackRecorded: true,
      complaints: 1,
      revision: String(steps.length),
    });
  });

  it('records metadata on every event: actor, tenant, command, correlation, causation, schema version, recordedAt', async () => {
    const res = await raise({ ticketId: 'META-1' }).set('Idempotency-Key', 'key-meta-1').set('X-Correlation-Id', 'corr-42');
    expect(res.status).toBe(201);
    const store = t.app.get<EventStore>(EVENT_STORE);
    const [event] = await readWhole(store, ticketStream('CoL', 'META-1'));
    expect(event?.metadata).toEqual({
      commandId: 'key-meta-1',
      actor: 'tester',
      tenantId: 'CoL',
      correlationId: 'corr-42',
      causationId: 'key-meta-1',
      requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      recordedAt: expect.any(String),
      schemaVersion: 1,
      hash: eventHash(GENESIS_HASH, event!),
    });
  });
});

describe('every error case answers with an exact problem', () => {
  it('400 for a body of the wrong shape, naming each field and rule', async () => {
    const res = await raise({ priority: 'P9', impact: 'high' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual({
      type: 'urn:itsm:problem:request.invalid',
      title: 'Bad Request',
      status: 400,
      code: 'REQUEST.INVALID',
      detail: expect.any(String),
      instance: '/v1/tenants/CoL/tickets',
      errors: expect.arrayContaining([
        { field: 'priority', rule: 'isIn', message: 'priority must be one of the following values: P1, P2, P3, P4' },
        { field: 'impact', rule: 'isInt', message: 'impact must be an integer number' },
      ]),
    });
  });

  it('400 for an unknown field', async () => {
    const res = await raise({ colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'colour', rule: 'unknownField', message: 'colour is not a known field' }]);
  });

  it('400 for a nested rule, with the full path of the field', async () => {
    const res = await post(
      '/v1/suppliers',
      { supplierId: 'bt', name: 'BT', targets: { firstTimeFixPct: 120, uptimePct: 97, meanResponseMinutes: 240 } },
      admin,
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'targets.firstTimeFixPct', rule: 'max', message: 'targets.firstTimeFixPct must not be greater than 100' }]);
  });

  it('400 for malformed JSON', async () => {
    const res = await request(t.http).post('/v1/tenants/CoL/tickets').set('Authorization', op).set('Content-Type', 'application/json').send('{"kind": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: 'HTTP.BAD_REQUEST' });
  });

  it('422 for a well-formed command a domain rule refuses, naming the field', async () => {
    const res = await raise({ serviceId: 'niche' });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      type: 'urn:itsm:problem:ticket.service_not_for_tenant',
      title: 'Unprocessable Content',
      status: 422,
      code: 'TICKET.SERVICE_NOT_FOR_TENANT',
      detail: 'Service niche does not serve tenant CoL',
      instance: '/v1/tenants/CoL/tickets',
      errors: [{ field: 'serviceId', rule: 'TICKET.SERVICE_NOT_FOR_TENANT', message: 'Service niche does not serve tenant CoL' }],
    });
  });

  it('422 for a time in the future', async () => {
    const res = await raise({ occurredAt: new Date(Date.now() + 3600_000).toISOString() });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('TICKET.OCCURRED_IN_FUTURE');
  });

  it('409 for a transition the state does not allow', async () => {
    const id = await newTicket();
    const res = await cmd(id, 'resume', { occurredAt: at(1) });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      type: 'urn:itsm:problem:ticket.not_on_hold',
      title: 'Conflict',
      status: 409,
      code: 'TICKET.NOT_ON_HOLD',
      detail: 'The ticket is not on hold',
      instance: `/v1/tenants/CoL/tickets/${id}/resume`,
    });
  });

  it('409 for raising a ticket id twice', async () => {
    const id = await newTicket();
    const res = await raise({ ticketId: id });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('TICKET.ALREADY_RAISED');
  });

  it('412 for a stale If-Match, with the current revision; success with a fresh one', async () => {
    const id = await newTicket();
    await cmd(id, 'respond', { respondedBy: 'desk', occurredAt: at(1) }).expect(200);
    const stale = await cmd(id, 'assign', { groupId: 'desktop', occurredAt: at(2) }).set('If-Match', '"0"');
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ status: 412, code: 'COMMAND.STALE_REVISION', currentRevision: '1' });
    const fresh = await cmd(id, 'assign', { groupId: 'desktop', occurredAt: at(2) }).set('If-Match', '"1"');
    expect(fresh.status).toBe(200);
    expect(fresh.headers.etag).toBe('"2"');
  });

  it('400 for a malformed If-Match', async () => {
    const id = await newTicket();
    const res = await cmd(id, 'respond', { respondedBy: 'desk', occurredAt: at(1) }).set('If-Match', 'yesterday');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('REQUEST.INVALID_IF_MATCH');
  });

  it('a replayed Idempotency-Key returns the first result and appends nothing', async () => {
    const first = await raise({ occurredAt: at(3) }).set('Idempotency-Key', 'raise-once');
    expect(first.status).toBe(201);
    const again = await raise({ occurredAt: at(3) }).set('Idempotency-Key', 'raise-once');
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const id = first.body.ticketId;
    const respond1 = await cmd(id, 'respond', { respondedBy: 'desk', occurredAt: at(4), commandId: 'respond-once' });
    const respond2 = await cmd(id, 'respond', { respondedBy: 'desk', occurredAt: at(4), commandId: 'respond-once' });
    expect(respond2.status).toBe(200);
    expect(respond2.body).toEqual(respond1.body);
    const events = await readWhole(t.app.get<EventStore>(EVENT_STORE), ticketStream('CoL', id));
    expect(events.map((e) => e.type)).toEqual(['IncidentRaised', 'IncidentResponded']);
  });

  it('422 when an Idempotency-Key is reused for a different request', async () => {
    const id = await newTicket();
    await cmd(id, 'respond', { respondedBy: 'desk', occurredAt: at(1) })
      .set('Idempotency-Key', 'k-reuse')
      .expect(200);
    const res = await cmd(id, 'respond', { respondedBy: 'someone else', occurredAt: at(1) }).set('Idempotency-Key', 'k-reuse');
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('COMMAND.IDEMPOTENCY_KEY_REUSED');
  });

  it('404 for an unknown ticket, and for a ticket of another tenant', async () => {
    const missing = await cmd('NOPE', 'respond', { respondedBy: 'desk' });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 404, code: 'TICKET.NOT_FOUND' });
    const id = await newTicket();
    expect((await get(id, 'CoLP')).status).toBe(404);
    expect((await cmd(id, 'respond', { respondedBy: 'desk', occurredAt: at(1) }, 'CoLP')).status).toBe(404);
  });

  it('401 without a token, with an expired one and with a forged one', async () => {
    const none = await request(t.http).get('/v1/tenants/CoL/tickets/T1');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ status: 401, code: 'AUTH.TOKEN_MISSING' });
    const expired = await get('T1', 'CoL', t.auth({}, -60));
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('AUTH.TOKEN_EXPIRED');
    const forged = await get('T1', 'CoL', `${op.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('AUTH.TOKEN_INVALID');
  });

  it('403 for a tenant the token does not grant, and for a role that may not', async () => {
    const lbbOnly = t.auth({ tenants: ['LBB'] });
    const wrongTenant = await raise({}, 'CoL').set('Authorization', lbbOnly);
    expect(wrongTenant.status).toBe(403);
    expect(wrongTenant.body).toMatchObject({ status: 403, code: 'AUTH.TENANT_FORBIDDEN' });
    const reporter = t.auth({ roles: ['reporter'], tenants: ['CoL'] });
    const wrongRole = await raise().set('Authorization', reporter);
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.code).toBe('AUTH.ROLE_REQUIRED');
    const operatorOnCatalogue = await post('/v1/tenants', { tenantId: 'X', name: 'X' });
    expect(operatorOnCatalogue.status).toBe(403);
  });

  it('/health and /docs are open; the OpenAPI document lists every command and the problem shape', async () => {
    await request(t.http).get('/health').expect(200);
    const doc = await request(t.http).get('/docs/openapi.json').expect(200);
    const paths = Object.keys(doc.body.paths);
    for (const action of [
      'respond',
      'assign',
      'priority',
      'hold',
      'resume',
      'outages',
      'resolve',
      'reopen',
      'close',
      'major-incident',
      'feedback',
      'complaints',
    ]) {
      expect(paths).toContain(`/v1/tenants/{tenant}/tickets/{id}/${action}`);
    }
    expect(doc.body.components.schemas.ProblemDetails.properties).toHaveProperty('errors');
    expect(doc.body.components.schemas.RaiseTicketDto.properties.priority.example).toBe('P2');
  });
});

describe('concurrency', () => {
  it('50 concurrent commands on one ticket: each lands or gets a conflict; no gap, no duplicate', async () => {
    const id = await newTicket();
    const requests = Array.from({ length: 50 }, (_, i) =>
      i % 2 === 0
        ? cmd(id, 'complaints', { description: `complaint ${i}`, occurredAt: at(1) })
        : cmd(id, 'respond', { respondedBy: `agent ${i}`, occurredAt: at(1) }),
    );
    const results = await Promise.all(requests);
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const responded = results.filter((r, i) => i % 2 === 1 && r.status === 200);
    expect(responded).toHaveLength(1);
    results.filter((r) => r.status === 409).forEach((r) => expect(r.body.code).toBe('TICKET.ALREADY_RESPONDED'));
    expect(results.filter((r, i) => i % 2 === 0 && r.status === 200)).toHaveLength(25);
    const events = await readWhole(t.app.get<EventStore>(EVENT_STORE), ticketStream('CoL', id));
    expect(events).toHaveLength(1 + 25 + 1);
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => BigInt(i)));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('50 concurrent commands pinned to one revision: exactly one lands, the rest get 412', async () => {
    const id = await newTicket();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => cmd(id, 'complaints', { description: `c${i}`, occurredAt: at(1) }).set('If-Match', '"0"')),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(49);
    const events = await readWhole(t.app.get<EventStore>(EVENT_STORE), ticketStream('CoL', id));
    expect(events).toHaveLength(2);
  });
});
