import { join } from 'node:path';
import request from 'supertest';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { Projector, reportsProjection } from '@itsm/projections';
import { SqliteReadStore } from '@itsm/read-store-sqlite';
import { MovableClock } from '@itsm/test-kit';
import { startTestApp } from './support/test-app';
import { seedCatalogue } from './support/catalogue-seed';

const T0 = Date.parse('2023-07-03T08:00:00Z');
const MIN = 60_000;
const iso = (m: number) => new Date(T0 + m * MIN).toISOString();
let t: Awaited<ReturnType<typeof startTestApp>>;
let clock: MovableClock;
let reporter: string;

beforeAll(async () => {
  clock = new MovableClock(T0);
  t = await startTestApp({}, clock);
  const admin = t.auth({ roles: ['admin'], tenants: ['*'] });
  const op = t.auth({ roles: ['operator'], tenants: ['CoL'] });
  reporter = t.auth({ roles: ['reporter'], tenants: ['CoL'] });
  await seedCatalogue(t.http, admin);
  await request(t.http)
    .post('/v1/tenants/CoL/sla-policies')
    .set('Authorization', admin)
    .send({ template: 'city-of-london-2023', effectiveFrom: '2023-01-01T00:00:00Z' })
    .expect(201);
  const cmd = async (path: string, body: object, minute: number) => {
    clock.set(T0 + minute * MIN);
    const res = await request(t.http)
      .post(`/v1/tenants/CoL/tickets${path}`)
      .set('Authorization', op)
      .send({ ...body, occurredAt: iso(minute) });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await cmd(
    '',
    { ticketId: 'R1', kind: 'incident', priority: 'P1', serviceId: 'printing', title: 'Printers down', description: 'd', reporter: 'r', channel: 'phone' },
    0,
  );
  await cmd('/R1/respond', { respondedBy: 'desk' }, 10);
  await cmd('/R1/assign', { groupId: 'desktop', supplierId: 'konica' }, 11);
  await cmd('/R1/resolve', { resolutionCode: 'fixed', rootCause: 'spooler', resolvedByGroupId: 'desktop', firstLineFix: false }, 90);
  await cmd(
    '',
    {
      ticketId: 'R2',
      kind: 'incident',
      priority: 'P1',
      serviceId: 'printing',
      title: 'Printers down again',
      description: 'd',
      reporter: 'r',
      channel: 'phone',
    },
    200,
  );
  await cmd('/R2/respond', { respondedBy: 'desk' }, 230);
  await cmd('/R2/resolve', { resolutionCode: 'fixed', rootCause: 'spooler', resolvedByGroupId: 'desktop', firstLineFix: false }, 500);
  await t.app.get(Projector).catchUp();
});
afterAll(() => t.stop());

const get = (path: string, accept = 'application/json') =>
  request(t.http).get(`/v1/tenants/CoL/reports/${path}`).set('Authorization', reporter).set('Accept', accept);

describe('report endpoints', () => {
  it('SLA performance as JSON: IM1 1 of 2 within target', async () => {
    const res = await get('sla-performance?from=2023-07&to=2023-07').expect(200);
    expect(res.body.rows.find((r: { metric: string; priority: string }) => r.metric === 'resolution' && r.priority === 'P1')).toMatchObject({
      period: '2023-07',
      reference: 'IM1',
      total: 2,
      met: 1,
      breached: 1,
      pctMet: 50,
      goalPct: 98,
      goalMet: false,
    });
  });

  it('the same as CSV with Accept: text/csv', async () => {
    const res = await get('sla-performance?from=2023-07&to=2023-07', 'text/csv').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...lines] = res.text.trim().split('\n');
    expect(header?.split(',')).toEqual(
      expect.arrayContaining(['period', 'metric', 'kind', 'priority', 'total', 'met', 'breached', 'pctMet', 'goalPct', 'goalMet']),
    );
    expect(lines).toContain('2023-07,resolution,incident,P1,all,*,IM1,98,120,2,1,1,50,false');
  });

  it('demand, satisfaction, availability, scorecards, major incidents and tickets answer', async () => {
    expect((await get('demand?from=2023-07&to=2023-07').expect(200)).body).toEqual([
      { period: '2023-07', kind: 'incident', priority: 'P1', raised: 2, resolved: 2, openAtEnd: 0, incidentsResolved: 2, firstLineFixes: 0, partial: true },
    ]);
    expect((await get('satisfaction?from=2023-07&to=2023-07').expect(200)).body[0]).toMatchObject({ period: '2023-07', resolved: 2, feedback: 0 });
    expect((await get('service-availability?month=2023-07').expect(200)).body.services.map((s: { serviceId: string }) => s.serviceId)).toEqual(['printing']);
    const [card] = (await get('supplier-scorecards?month=2023-07&supplier=konica').expect(200)).body;
    expect(card).toMatchObject({ supplierId: 'konica', tickets: 1, resolved: 1, meanTimeToRespondMinutes: 10 });
    expect((await get('major-incidents').expect(200)).body).toEqual([]);
    const tickets = await get('tickets?priority=P1&sort=raisedAt&order=asc&limit=1').expect(200);
    expect(tickets.body.items.map((x: { id: string }) => x.id)).toEqual(['R1']);
    expect(tickets.body.items[0].state).toBeUndefined();
    const next = await get(`tickets?priority=P1&sort=raisedAt&order=asc&limit=1&cursor=${encodeURIComponent(tickets.body.nextCursor)}`).expect(200);
    expect(next.body.items.map((x: { id: string }) => x.id)).toEqual(['R2']);
  });

  it('400 for a bad query parameter, naming it', async () => {
    const res = await get('demand?from=July').expect(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'from', rule: 'matches' });
  });

  it('403 for another tenant', async () => {
    await request(t.http).get('/v1/tenants/LBB/reports/demand').set('Authorization', reporter).expect(403);
  });

  it('/health shows the projection position and lag', async () => {
    const res = await request(t.http).get('/health').expect(200);
    expect(res.body.projections[0]).toMatchObject({
      name: 'reports',
      version: reportsProjection().version,
      lag: 0,
      servingVersion: reportsProjection().version,
    });
    expect(res.body.readStore).toEqual({ adapter: 'sqlite', reachable: true });
  });

  it('the monthly Service Delivery Summary as JSON (with charts), Markdown and HTML', async () => {
    const json = await get('service-delivery-summary?month=2023-07').expect(200);
    expect(json.body).toMatchObject({ tenantId: 'CoL', month: '2023-07', counts: { P1: 2, P2: 0 }, logPosition: json.headers['x-log-position'] });
    expect(json.body.priorityIncidents.map((t: { id: string; resolvedWithinTarget: boolean }) => [t.id, t.resolvedWithinTarget])).toEqual([
      ['R1', true],
      ['R2', false],
    ]);
    expect(json.body.charts.trend).toMatch(/^<svg /);
    const md = await get('service-delivery-summary?month=2023-07', 'text/markdown').expect(200);
    expect(md.headers['content-type']).toMatch(/^text\/markdown/);
    expect(md.text).toContain('There were 2 P1 incidents for City of London Corporation.');
    const html = await get('service-delivery-summary?month=2023-07&format=html').expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toContain('<svg ');
    expect((await get('service-delivery-summary?month=2023-13').expect(400)).body.errors[0]).toMatchObject({ field: 'month' });
  });

  // Last: it moves the serving version.
  it('a new projection version built by another process takes over while the API serves: answers follow it', async () => {
    const before = await get('sla-performance?from=2023-07&to=2023-07').expect(200);
    const tickets = await get('tickets').expect(200);
    expect(tickets.body.items.length).toBe(2);
    const next = { ...reportsProjection(), version: reportsProjection().version + 1 };
    const events = new SqliteEventStore({ filename: join(t.config.dataDir, 'itsm.sqlite') });
    const reads = new SqliteReadStore(join(t.config.dataDir, 'read-models.sqlite'));
    const worker = new Projector(events, reads, next);
    await worker.init();
    await worker.catchUp(); // takes over and drops the old version's collections
    expect((await get('sla-performance?from=2023-07&to=2023-07').expect(200)).body).toEqual(before.body);
    expect((await get('tickets').expect(200)).body).toEqual(tickets.body);
    expect((await request(t.http).get('/health').expect(200)).body.projections[0]).toMatchObject({ servingVersion: next.version });
    await Promise.all([events.close(), reads.close()]);
  });
});
