import request from 'supertest';
import { Projector } from '@itsm/projections';
import { EVENT_STORE } from '@itsm/event-store';
import type { SqliteEventStore } from '@itsm/event-store-sqlite';
import { MovableClock } from '@itsm/test-kit';
import { startTestApp } from './support/test-app';
import { seedCatalogue } from './support/catalogue-seed';

const T0 = Date.parse('2023-07-03T08:00:00Z');
const MIN = 60_000;
const iso = (m: number) => new Date(T0 + m * MIN).toISOString();
let t: Awaited<ReturnType<typeof startTestApp>>;
let clock: MovableClock;
let auditor: string;
let operator: string;

beforeAll(async () => {
  clock = new MovableClock(T0);
  t = await startTestApp({}, clock);
  const admin = t.auth({ roles: ['admin'], tenants: ['*'] });
  operator = t.auth({ sub: 'desk-anna', roles: ['operator'], tenants: ['CoL'] });
  auditor = t.auth({ sub: 'audit-bob', roles: ['auditor'], tenants: ['CoL'] });
  await seedCatalogue(t.http, admin);
  await request(t.http)
    .post('/v1/tenants/CoL/sla-policies')
    .set('Authorization', admin)
    .send({ template: 'city-of-london-2023', effectiveFrom: '2023-01-01T00:00:00Z' })
    .expect(201);
  // [what happened at minute, recorded at minute]: the hold at +10 is only recorded at +30.
  const steps: Array<[string, object, number, number]> = [
    ['', { ticketId: 'AUD1', kind: 'incident', priority: 'P2', serviceId: 'printing', title: 't', description: 'd', reporter: 'r', channel: 'phone' }, 0, 0],
    ['/AUD1/respond', { respondedBy: 'desk' }, 5, 5],
    ['/AUD1/hold', { reason: 'awaiting_customer' }, 10, 30],
    ['/AUD1/resume', {}, 40, 40],
    ['/AUD1/resolve', { resolutionCode: 'fixed', rootCause: 'spooler', resolvedByGroupId: 'desktop', firstLineFix: false }, 60, 61],
  ];
  for (const [path, body, happened, recorded] of steps) {
    clock.set(T0 + recorded * MIN);
    await request(t.http)
      .post(`/v1/tenants/CoL/tickets${path}`)
      .set('Authorization', operator)
      .send({ ...body, occurredAt: iso(happened) })
      .expect(path ? 200 : 201);
  }
  clock.set(T0 + 120 * MIN);
});
afterAll(() => t.stop());

const at = (query: string) => request(t.http).get(`/v1/tenants/CoL/tickets/AUD1?${query}`).set('Authorization', auditor);

describe('audit: history and the ticket as it stood', () => {
  it('the history lists every fact with who recorded it, when, and its ids', async () => {
    const res = await request(t.http).get('/v1/tenants/CoL/tickets/AUD1/history').set('Authorization', auditor).expect(200);
    expect(res.body.map((e: { type: string; occurredAt: string; recordedAt: string; actor: string }) => [e.type, e.occurredAt, e.recordedAt, e.actor])).toEqual(
      [
        ['IncidentRaised', iso(0), iso(0), 'desk-anna'],
        ['IncidentResponded', iso(5), iso(5), 'desk-anna'],
        ['IncidentPutOnHold', iso(10), iso(30), 'desk-anna'],
        ['IncidentResumed', iso(40), iso(40), 'desk-anna'],
        ['IncidentResolved', iso(60), iso(61), 'desk-anna'],
      ],
    );
    expect(res.body[2]).toMatchObject({
      revision: '2',
      commandId: expect.any(String),
      correlationId: expect.any(String),
      causationId: expect.any(String),
      schemaVersion: 1,
      data: { reason: 'awaiting_customer' },
    });
    // Operators read the facts too, without the record's ids and the log position (issue 20).
    const facts = await request(t.http).get('/v1/tenants/CoL/tickets/AUD1/history').set('Authorization', operator).expect(200);
    expect(facts.body[2]).toEqual({
      revision: '2',
      eventId: res.body[2].eventId,
      type: 'IncidentPutOnHold',
      occurredAt: iso(10),
      recordedAt: iso(30),
      actor: 'desk-anna',
      data: res.body[2].data,
    });
  });

  it.each([
    // [query, status, revision]
    ['asOf=2023-07-03T08:07:00Z', 'in_progress', '1'],
    ['asOf=2023-07-03T08:20:00Z', 'on_hold', '2'], // by business time the hold had begun at 08:10
    ['asOfRecorded=2023-07-03T08:20:00Z', 'in_progress', '1'], // but the system only learned of it at 08:30
    ['asOfRecorded=2023-07-03T08:35:00Z', 'on_hold', '2'],
    ['asOf=2023-07-03T08:45:00Z', 'in_progress', '3'],
    ['asOf=2023-07-03T09:00:30Z&asOfRecorded=2023-07-03T09:00:30Z', 'in_progress', '3'], // resolved at 09:00, recorded 09:01
    ['asOf=2023-07-03T09:30:00Z', 'resolved', '4'],
  ])('%s → %s at revision %s', async (query, status, revision) => {
    const res = await at(query).expect(200);
    expect(res.body).toMatchObject({ status, revision });
  });

  it('404 before the ticket existed', async () => {
    expect((await at('asOf=2023-07-03T07:59:00Z')).status).toBe(404);
  });

  it('the SLA clocks as they stood: paused during the hold, elapsed excluding it afterwards', async () => {
    const during = await request(t.http).get('/v1/tenants/CoL/tickets/AUD1/sla?asOf=2023-07-03T08:20:00Z').set('Authorization', auditor).expect(200);
    expect(during.body.clocks.find((c: { metric: string }) => c.metric === 'resolution')).toMatchObject({ state: 'paused', elapsedMinutes: 10 });
    const after = await request(t.http).get('/v1/tenants/CoL/tickets/AUD1/sla?asOf=2023-07-03T09:30:00Z').set('Authorization', auditor).expect(200);
    expect(after.body.clocks.find((c: { metric: string }) => c.metric === 'resolution')).toMatchObject({ state: 'met', elapsedMinutes: 30 });
  });

  it('400 for a malformed moment', async () => {
    const res = await at('asOf=yesterday').expect(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'asOf', rule: 'isInstant' });
    // An ISO week date is ISO 8601 but no instant: a 400 naming the field, not a misleading 404.
    expect((await at('asOfRecorded=2023-W27-1').expect(400)).body.errors[0]).toMatchObject({ field: 'asOfRecorded' });
  });
});

describe('audit: reports as the log stood at a moment', () => {
  const report = (path: string) => request(t.http).get(`/v1/tenants/CoL/reports/${path}`).set('Authorization', auditor);
  const july = 'demand?from=2023-07&to=2023-07';
  let published: { position: string; demand: unknown; sla: unknown };

  beforeAll(async () => {
    await t.app.get(Projector).catchUp();
    // The figures as published to the committee...
    const demand = await report(july).expect(200);
    const sla = await report('sla-performance?from=2023-07&to=2023-07').expect(200);
    published = { position: demand.headers['x-log-position']!, demand: demand.body, sla: sla.body };
    // ...then the log moves on: a second ticket, raised and resolved later.
    clock.set(T0 + 200 * MIN);
    await request(t.http)
      .post('/v1/tenants/CoL/tickets')
      .set('Authorization', operator)
      .send({
        ticketId: 'AUD2',
        kind: 'incident',
        priority: 'P2',
        serviceId: 'printing',
        title: 't',
        description: 'd',
        reporter: 'r',
        channel: 'phone',
        occurredAt: iso(200),
      })
      .expect(201);
    await t.app.get(Projector).catchUp();
  });

  it('the live answer has moved on, and says at which log position it stands', async () => {
    const live = await report(july).expect(200);
    expect(BigInt(live.headers['x-log-position']!)).toBeGreaterThan(BigInt(published.position));
    // July is still in progress on the test's clock: partial, and what is open now stands for its end.
    expect(live.body).toEqual([
      { period: '2023-07', kind: 'incident', priority: 'P2', raised: 2, resolved: 1, openAtEnd: 1, incidentsResolved: 1, firstLineFixes: 0, partial: true },
    ]);
  });

  it('asOfPosition reproduces the published figures exactly', async () => {
    expect(published.demand).toEqual([
      { period: '2023-07', kind: 'incident', priority: 'P2', raised: 1, resolved: 1, openAtEnd: 0, incidentsResolved: 1, firstLineFixes: 0, partial: true },
    ]);
    const demand = await report(`${july}&asOfPosition=${published.position}`).expect(200);
    expect(demand.headers['x-log-position']).toBe(published.position);
    expect(demand.body).toEqual(published.demand);
    expect((await report(`sla-performance?from=2023-07&to=2023-07&asOfPosition=${published.position}`).expect(200)).body).toEqual(published.sla);
  });

  it('asOfRecorded answers with what the system had been told by then', async () => {
    // At 08:45 the resolution (09:00, recorded 09:01) was not yet known: one ticket, unresolved
    // (July had not ended: partial, and open at its end is what was open then).
    const before = await report(`${july}&asOfRecorded=2023-07-03T08:45:00Z`).expect(200);
    expect(before.body).toEqual([
      { period: '2023-07', kind: 'incident', priority: 'P2', raised: 1, resolved: 0, openAtEnd: 1, incidentsResolved: 0, firstLineFixes: 0, partial: true },
    ]);
    expect(before.headers['x-as-of']).toBe('2023-07-03T08:45:00.000Z');
    const tickets = await report('tickets?asOfRecorded=2023-07-03T08:45:00Z').expect(200);
    expect(tickets.body.items.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([['AUD1', 'in_progress']]);
  });

  it('400 for a malformed position, or for both moments at once', async () => {
    expect((await report(`${july}&asOfPosition=-1`).expect(400)).body.errors[0]).toMatchObject({ field: 'asOfPosition', rule: 'matches' });
    expect((await report(`${july}&asOfPosition=3&asOfRecorded=2023-07-03T08:45:00Z`).expect(400)).body.errors[0]).toMatchObject({
      field: 'asOfRecorded',
      rule: 'exclusiveWith',
    });
  });
});

describe('audit: tamper evidence (runs last: it corrupts the log)', () => {
  const verify = (tenant: string, token: string) => request(t.http).get(`/v1/tenants/${tenant}/audit/verify`).set('Authorization', token);

  it('an intact log verifies', async () => {
    const res = await verify('CoL', auditor).expect(200);
    expect(res.body).toMatchObject({ ok: true, firstBreak: null, breaks: [] });
    expect(res.body.eventsChecked).toBeGreaterThan(5);
    await verify('CoL', operator).expect(403);
    await verify('LBB', auditor).expect(403);
  });

  it("an event edited in the database is located; another tenant's auditor learns of a break but not where", async () => {
    const store = t.app.get<SqliteEventStore>(EVENT_STORE);
    const row = store.database.prepare("SELECT position, data FROM events WHERE stream_id = 'incident-CoL.AUD1' AND revision = 2").get() as {
      position: bigint;
      data: string;
    };
    store.database.prepare('UPDATE events SET data = ? WHERE position = ?').run(row.data.replace('awaiting_customer', 'awaiting_supplier'), row.position);
    const res = await verify('CoL', auditor).expect(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.firstBreak).toMatchObject({ kind: 'event_altered', streamId: 'incident-CoL.AUD1', revision: '2', position: String(row.position) });
    const lbb = await verify('LBB', t.auth({ roles: ['auditor'], tenants: ['LBB'] })).expect(200);
    expect(lbb.body.firstBreak).toEqual({ kind: 'event_altered', position: String(row.position), detail: 'in a stream of another tenant' });
  });
});
