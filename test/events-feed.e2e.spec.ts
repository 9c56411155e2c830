import { request as httpRequest, type ClientRequest } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@itsm/event-store';
import { startTestApp } from './support/test-app';
import { seedCatalogue } from './support/catalogue-seed';
import { waitFor } from '../libs/application/test/support/webhook-receiver';

/**
 * The tenant event feed: pages in log order that resume after `next`, the same events live as
 * server-sent events resumable with Last-Event-ID, across a restart of the API, and never an event
 * of another tenant.
 */
type App = Awaited<ReturnType<typeof startTestApp>>;
interface FeedEvent {
  eventId: string;
  type: string;
  streamId: string;
  tenantId: string | null;
  ticketId: string | null;
  position: string;
  data: Record<string, unknown>;
}

let t: App;
let star: string;
let cityOperator: string;
let colReader: string;
let colpReader: string;
let lbbOperator: string;
const base = Date.now() - 60 * 60_000;
const at = (minute: number) => new Date(base + minute * 60_000).toISOString();
const raise = (ticketId: string, serviceId = 'printing') => ({
  ticketId,
  kind: 'incident',
  priority: 'P3',
  serviceId,
  title: 'Broken',
  description: 'd',
  reporter: 'r',
  channel: 'phone',
});
let lbbService: string;

beforeAll(async () => {
  t = await startTestApp();
  star = t.auth({ sub: 'admin', roles: ['admin', 'operator'], tenants: ['*'] });
  cityOperator = t.auth({ roles: ['operator'], tenants: ['CoL', 'CoLP'] });
  colReader = t.auth({ roles: ['reporter'], tenants: ['CoL'] });
  colpReader = t.auth({ roles: ['auditor'], tenants: ['CoLP'] });
  lbbOperator = t.auth({ roles: ['operator'], tenants: ['LBB'] });
  await seedCatalogue(t.http, star);
  lbbService = 'lbb-network';
  await request(t.http)
    .post('/v1/services')
    .set('Authorization', star)
    .send({ serviceId: lbbService, name: 'Network', tenantIds: ['LBB'], critical: true, ownership: 'it_owned', availabilityTargetPct: 99 })
    .expect(201);
  await request(t.http)
    .post('/v1/tenants/CoL/tickets')
    .set('Authorization', cityOperator)
    .send({ ...raise('F1'), occurredAt: at(0) })
    .expect(201);
  await request(t.http)
    .post('/v1/tenants/LBB/tickets')
    .set('Authorization', lbbOperator)
    .send({ ...raise('F1', lbbService), occurredAt: at(1) })
    .expect(201);
  await request(t.http)
    .post('/v1/tenants/CoLP/tickets')
    .set('Authorization', cityOperator)
    .send({ ...raise('P1', 'niche'), occurredAt: at(2) })
    .expect(201);
  await request(t.http)
    .post('/v1/tenants/CoL/tickets/F1/outages')
    .set('Authorization', cityOperator)
    .send({ from: at(3), to: at(4), tenantIds: ['CoL', 'CoLP'], occurredAt: at(5) })
    .expect(200);
  await request(t.http)
    .post('/v1/tenants/CoL/tickets/F1/respond')
    .set('Authorization', cityOperator)
    .send({ respondedBy: 'desk', occurredAt: at(6) })
    .expect(200);
  // Not facts of any tenant's feed: a tenant group, a webhook registration.
  await request(t.http)
    .post('/v1/tenant-groups')
    .set('Authorization', star)
    .send({ groupId: 'city', name: 'City', tenantIds: ['CoL', 'CoLP'] })
    .expect(201);
  await request(t.http)
    .post('/v1/tenants/CoL/webhooks')
    .set('Authorization', star)
    .send({ url: 'https://93.184.216.34/hooks', events: ['IncidentRaised'], secret: 'a-shared-secret-for-the-feed' })
    .expect(201);
  // Printing stops serving CoL: that revision concerns CoL too.
  await request(t.http)
    .put('/v1/services/printing')
    .set('Authorization', star)
    .send({ name: 'Printing', tenantIds: ['CoLP'], critical: false, ownership: 'it_owned', supplierId: 'konica', availabilityTargetPct: 99 })
    .expect(200);
});
afterAll(() => t.stop());

const store = () => t.app.get<EventStore>(EVENT_STORE);
async function wholeLog(): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of store().readAll()) out.push(e);
  return out;
}

/** Independent of the feed's own rule: which streams a tenant's feed shows, named by hand for this catalogue. */
function expectedFor(tenant: 'CoL' | 'CoLP', log: RecordedEvent[]): string[] {
  const served = {
    CoL: ['service-printing', 'resolver-group-service-desk', 'resolver-group-desktop'],
    CoLP: ['service-printing', 'service-niche', 'resolver-group-service-desk', 'resolver-group-desktop'],
  }[tenant];
  return log
    .filter((e) => {
      if (e.streamId === `tenant-${tenant}` || e.streamId === `sla-policy-${tenant}` || e.streamId.startsWith(`incident-${tenant}.`)) return true;
      if (e.streamId === 'supplier-konica' || served.includes(e.streamId)) return true;
      return tenant === 'CoLP' && e.streamId === 'incident-CoL.F1' && e.type === 'OutageRecorded';
    })
    .map((e) => e.id);
}

async function allPages(auth: string, tenant: string, query = '', limit = 2): Promise<{ events: FeedEvent[]; next: string | null }> {
  const events: FeedEvent[] = [];
  let next: string | null = null;
  for (let page = 0; page < 100; page++) {
    const res: request.Response = await request(t.http)
      .get(`/v1/tenants/${tenant}/events?limit=${limit}${next ? `&after=${next}` : ''}${query}`)
      .set('Authorization', auth)
      .expect(200);
    expect(res.body.events.length).toBeLessThanOrEqual(limit);
    events.push(...res.body.events);
    next = res.body.next ?? next;
    if (res.body.atHead) return { events, next };
  }
  throw new Error('the feed never reached the head');
}

describe('pages', () => {
  it("are the tenant's events in log order, shared entries where they serve it, and nothing of another tenant", async () => {
    const log = await wholeLog();
    const col = await allPages(colReader, 'CoL');
    expect(col.events.map((e) => e.eventId)).toEqual(expectedFor('CoL', log));
    expect(col.events.map((e) => e.type)).toContain('ServiceRevised'); // the revision that stopped serving CoL
    const positions = col.events.map((e) => BigInt(e.position));
    expect([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(positions);
    expect(JSON.stringify(col.events)).not.toMatch(/LBB|lbb-network|webhooks-|tenantgroup-/);
    // A shared entry lists only the tenants the reader may see.
    const printing = col.events.find((e) => e.streamId === 'service-printing' && e.type === 'ServiceRegistered')!;
    expect(printing).toMatchObject({ tenantId: null, ticketId: null, data: { tenantIds: ['CoL'] } });

    const colp = await allPages(colpReader, 'CoLP', '', 3);
    expect(colp.events.map((e) => e.eventId)).toEqual(expectedFor('CoLP', log));
    const outage = colp.events.find((e) => e.type === 'OutageRecorded')!;
    expect(outage).toMatchObject({ tenantId: 'CoL', ticketId: 'F1', data: { tenantIds: ['CoLP'] } });
  });

  it('filter by type; a page reaching the head says so and gives the position to resume after', async () => {
    const res = await request(t.http).get('/v1/tenants/CoL/events?types=IncidentRaised,IncidentResponded').set('Authorization', colReader).expect(200);
    expect(res.body.events.map((e: FeedEvent) => `${e.type} ${e.ticketId}`)).toEqual(['IncidentRaised F1', 'IncidentResponded F1']);
    expect(res.body.atHead).toBe(true);
    const after = await request(t.http).get(`/v1/tenants/CoL/events?after=${res.body.next}`).set('Authorization', colReader).expect(200);
    expect(after.body).toEqual({ events: [], next: res.body.next, atHead: true });
  });

  it('refuse a crafted position, a bad limit or type list with 400 naming it; only reporters and auditors of the tenant read', async () => {
    const head = (await store().headPosition())!;
    for (const after of ['abc', '-1', '1e3', `${head}0`, '99999999999999999999']) {
      const res = await request(t.http).get(`/v1/tenants/CoL/events?after=${after}`).set('Authorization', colReader).expect(400);
      expect(res.body.errors[0].field).toBe('after');
    }
    for (const [q, field] of [
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['types=not-a-type', 'types'],
    ]) {
      const res = await request(t.http).get(`/v1/tenants/CoL/events?${q}`).set('Authorization', colReader).expect(400);
      expect(res.body.errors[0].field).toBe(field);
    }
    const value = fc.oneof(fc.string(), fc.integer().map(String), fc.constantFrom('-1', '99999999999999999999', '1e3', 'IncidentRaised', ','));
    const params = fc.array(fc.tuple(fc.constantFrom('after', 'types', 'limit', 'x'), value), { maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(params, async (ps) => {
        const qs = ps.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        const res = await request(t.http).get(`/v1/tenants/CoL/events?${qs}`).set('Authorization', colReader);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 25 },
    );
    await request(t.http).get('/v1/tenants/CoL/events').expect(401);
    await request(t.http).get('/v1/tenants/CoL/events').set('Authorization', cityOperator).expect(403);
    await request(t.http).get('/v1/tenants/CoL/events').set('Authorization', colpReader).expect(403);
  });
});

/** A server-sent-events client: the messages received so far, parsed. */
function follow(auth: string, tenant: string, lastEventId?: string) {
  const messages: Array<{ id: string; event: FeedEvent }> = [];
  const state = { status: 0, contentType: '', buffer: '' };
  const url = new URL(`${t.http}/v1/tenants/${tenant}/events`);
  const req: ClientRequest = httpRequest(
    url,
    { headers: { Authorization: auth, Accept: 'text/event-stream', ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) } },
    (res) => {
      state.status = res.statusCode ?? 0;
      state.contentType = String(res.headers['content-type']);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        state.buffer += chunk;
        let end: number;
        while ((end = state.buffer.indexOf('\n\n')) >= 0) {
          const block = state.buffer.slice(0, end);
          state.buffer = state.buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((l) => !l.startsWith(':'))
              .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
          );
          if (fields.data && fields.id !== undefined) messages.push({ id: fields.id, event: JSON.parse(fields.data) });
        }
      });
    },
  );
  req.on('error', () => undefined);
  req.end();
  return { messages, state, close: () => req.destroy() };
}

describe('live, as server-sent events', () => {
  it('follows from the start, then live; resumes with Last-Event-ID; carries on across a restart', async () => {
    const log = await wholeLog();
    const live = follow(colReader, 'CoL');
    const history = expectedFor('CoL', log);
    await waitFor(() => live.messages.length === history.length, 'the history, then live');
    expect(live.state).toMatchObject({ status: 200, contentType: expect.stringContaining('text/event-stream') });
    expect(live.messages.map((m) => m.event.eventId)).toEqual(history);
    expect(live.messages.every((m) => m.id === m.event.position)).toBe(true);

    await request(t.http)
      .post('/v1/tenants/LBB/tickets')
      .set('Authorization', lbbOperator)
      .send({ ...raise('F2', lbbService), occurredAt: at(10) })
      .expect(201);
    await request(t.http)
      .post('/v1/tenants/CoL/tickets/F1/assign')
      .set('Authorization', cityOperator)
      .send({ groupId: 'desktop', occurredAt: at(12) })
      .expect(200);
    await waitFor(() => live.messages.length === history.length + 1, 'the live CoL event');
    expect(live.messages[history.length]?.event).toMatchObject({ type: 'IncidentAssigned', tenantId: 'CoL', ticketId: 'F1' }); // LBB's raise, appended before it, never came
    live.close();

    // While no one follows, CoL's ticket moves on; a reconnect with Last-Event-ID gets exactly what it missed.
    const lastSeen = live.messages[live.messages.length - 1]!.id;
    await request(t.http)
      .post('/v1/tenants/CoL/tickets/F1/hold')
      .set('Authorization', cityOperator)
      .send({ reason: 'awaiting_customer', occurredAt: at(13) })
      .expect(200);
    const resumed = follow(colReader, 'CoL', lastSeen);
    await waitFor(() => resumed.messages.length === 1, 'the missed event');
    expect(resumed.messages[0]?.event.type).toBe('IncidentPutOnHold');
    const pageNext = (await request(t.http).get(`/v1/tenants/CoL/events?after=${lastSeen}`).set('Authorization', colReader).expect(200)).body;
    expect(pageNext.events.map((e: FeedEvent) => e.eventId)).toEqual([resumed.messages[0]?.event.eventId]);
    const resumeAfter = resumed.messages[0]!.id;

    // The API restarts on the same stores: the page position and the Last-Event-ID still resume exactly there.
    await t.app.close(); // the live feed is ended by the shutdown
    await waitFor(() => resumed.state.buffer === '' && resumed.messages.length === 1, 'the feed ended');
    t = await startTestApp({ dataDir: t.config.dataDir });
    await request(t.http)
      .post('/v1/tenants/CoL/tickets/F1/resume')
      .set('Authorization', cityOperator)
      .send({ occurredAt: at(14) })
      .expect(200);
    const afterRestart = follow(colReader, 'CoL', resumeAfter);
    await waitFor(() => afterRestart.messages.length === 1, 'the event after the restart');
    expect(afterRestart.messages[0]?.event.type).toBe('IncidentResumed');
    const page = (await request(t.http).get(`/v1/tenants/CoL/events?after=${resumeAfter}`).set('Authorization', colReader).expect(200)).body;
    expect(page.events.map((e: FeedEvent) => e.type)).toEqual(['IncidentResumed']);
    afterRestart.close();

    const bad = follow(colReader, 'CoL', 'not-a-position');
    await waitFor(() => bad.state.status !== 0, 'an answer');
    expect(bad.state.status).toBe(400);
    bad.close();
  });
});
