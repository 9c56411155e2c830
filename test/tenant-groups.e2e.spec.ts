import fc from 'fast-check';
import request from 'supertest';
import { Projector } from '@itsm/projections';
import { MovableClock } from '@itsm/test-kit';
import { startTestApp } from './support/test-app';
import { seedCatalogue } from './support/catalogue-seed';

/**
 * Tenant groups end to end: who may register, revise and read one (a group naming a tenant outside
 * the token is, to that token, an unknown group), and the group reports, JSON and CSV, whose total
 * rows are the sums of the members' own reports.
 */
const T0 = Date.parse('2023-07-03T08:00:00Z');
const MIN = 60_000;
const iso = (m: number) => new Date(T0 + m * MIN).toISOString();
type App = Awaited<ReturnType<typeof startTestApp>>;
let t: App;
let clock: MovableClock;
let star: string;
let colAdmin: string;
let cityAdmin: string;
let colReader: string;
let cityReader: string;

const REPORTS = ['sla-performance', 'demand', 'aged-backlog', 'satisfaction', 'service-availability', 'supplier-scorecards', 'major-incidents'];
const QUERY: Record<string, string> = {
  'sla-performance': '?from=2023-07&to=2023-07',
  demand: '?from=2023-07&to=2023-07',
  'aged-backlog': '?from=2023-06-01&to=2023-07-31',
  satisfaction: '?from=2023-07&to=2023-07',
  'service-availability': '?month=2023-07',
  'supplier-scorecards': '?month=2023-07',
  'major-incidents': '',
};

beforeAll(async () => {
  clock = new MovableClock(T0);
  t = await startTestApp({}, clock);
  star = t.auth({ sub: 'admin', roles: ['admin'], tenants: ['*'] });
  colAdmin = t.auth({ sub: 'col-admin', roles: ['admin'], tenants: ['CoL'] });
  cityAdmin = t.auth({ sub: 'city-admin', roles: ['admin'], tenants: ['CoL', 'CoLP'] });
  colReader = t.auth({ roles: ['reporter', 'operator'], tenants: ['CoL'] });
  cityReader = t.auth({ roles: ['reporter', 'operator'], tenants: ['CoL', 'CoLP'] });
  await seedCatalogue(t.http, star);
  for (const tenant of ['CoL', 'CoLP']) {
    await request(t.http)
      .post(`/v1/tenants/${tenant}/sla-policies`)
      .set('Authorization', star)
      .send({ template: 'city-of-london-2023', effectiveFrom: '2023-01-01T00:00:00Z' })
      .expect(201);
  }
  const cmd = async (tenant: string, path: string, body: object, minute: number) => {
    clock.set(T0 + minute * MIN);
    const res = await request(t.http)
      .post(`/v1/tenants/${tenant}/tickets${path}`)
      .set('Authorization', cityReader)
      .send({ ...body, occurredAt: iso(minute) });
    if (res.status >= 300) throw new Error(`${tenant} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const raise = (ticketId: string, priority = 'P1') => ({
    ticketId,
    kind: 'incident',
    priority,
    serviceId: 'printing',
    title: 'Printers down',
    description: 'd',
    reporter: 'r',
    channel: 'phone',
  });
  const resolve = { resolutionCode: 'fixed', rootCause: 'spooler', resolvedByGroupId: 'desktop', firstLineFix: false };
  // CoL: R1 resolved in 90 minutes (IM1 met), R2 in 300 (breached). CoLP has its own R1, met, a
  // major incident of both. Printing was out 11:20–12:20 for CoL and 12:00–13:00 for CoLP.
  await cmd('CoL', '', raise('R1'), 0);
  await cmd('CoL', '/R1/respond', { respondedBy: 'desk' }, 10);
  await cmd('CoL', '/R1/assign', { groupId: 'desktop', supplierId: 'konica' }, 11);
  await cmd('CoLP', '', raise('R1'), 30);
  await cmd('CoLP', '/R1/respond', { respondedBy: 'desk' }, 35);
  await cmd('CoLP', '/R1/assign', { groupId: 'desktop', supplierId: 'konica' }, 36);
  await cmd(
    'CoLP',
    '/R1/major-incident',
    { reference: 'MIR101', tenantsAffected: ['CoL', 'CoLP'], trigger: 'multi_tenant_outage', description: 'Printing down everywhere' },
    38,
  );
  await cmd('CoL', '/R1/resolve', resolve, 90);
  await cmd('CoL', '/R1/feedback', { satisfaction: 5, nps: 10 }, 95);
  await cmd('CoLP', '/R1/resolve', resolve, 100);
  await cmd('CoLP', '/R1/feedback', { satisfaction: 2, nps: 3 }, 110);
  await cmd('CoLP', '', raise('R3', 'P3'), 120);
  await cmd('CoL', '', raise('R2'), 200);
  await cmd('CoL', '/R2/respond', { respondedBy: 'desk' }, 230);
  await cmd('CoL', '/R2/outages', { from: iso(200), to: iso(260) }, 261);
  await cmd('CoLP', '/R1/outages', { from: iso(240), to: iso(300) }, 301);
  await cmd('CoL', '/R2/resolve', resolve, 500);
  await t.app.get(Projector).catchUp();
});
afterAll(() => t.stop());

const post = (auth: string, body: object) => request(t.http).post('/v1/tenant-groups').set('Authorization', auth).send(body);
const put = (auth: string, id: string, body: object) => request(t.http).put(`/v1/tenant-groups/${id}`).set('Authorization', auth).send(body);
const get = (auth: string, path: string, accept = 'application/json') => request(t.http).get(path).set('Authorization', auth).set('Accept', accept);
/**
 * What a client can observe of an answer but its own URL (`instance`; Express's weak ETag of a body
 * hashes that URL too, so only its presence counts).
 */
const observed = (res: request.Response) => {
  const { instance: _i, ...body } = res.body as Record<string, unknown>;
  const etag: string | undefined = res.headers.etag;
  return { status: res.status, etag: etag?.startsWith('W/') ? 'weak' : etag, body };
};

describe('registering a tenant group', () => {
  it('an admin covering only one member cannot create the group: 403 naming tenantIds, nothing recorded', async () => {
    const res = await post(colAdmin, { groupId: 'city', name: 'City of London', tenantIds: ['CoL', 'CoLP'] }).expect(403);
    expect(res.body).toMatchObject({ code: 'AUTH.TENANT_FORBIDDEN', errors: [{ field: 'tenantIds', rule: 'AUTH.TENANT_FORBIDDEN' }] });
    expect(res.body.detail).toContain('CoLP');
    await get(star, '/v1/tenant-groups/city').expect(404);
  });

  it('an admin of every member (or *) registers it: 201 with its revision', async () => {
    const res = await post(cityAdmin, { groupId: 'city', name: 'City of London', tenantIds: ['CoL', 'CoLP'] }).expect(201);
    expect(res.headers.etag).toBe('"0"');
    expect(res.body).toMatchObject({ id: 'city', revision: '0', events: [{ type: 'TenantGroupRegistered' }] });
    await post(star, { groupId: 'everyone', name: 'All three', tenantIds: ['LBB', 'CoL', 'CoLP'] }).expect(201);
  });

  it('a taken id is 409, whoever asks and whatever the members', async () => {
    const again = await post(star, { groupId: 'city', name: 'Again', tenantIds: ['CoL', 'CoLP'] }).expect(409);
    expect(again.body.code).toBe('TENANT_GROUP.ALREADY_REGISTERED');
    // An admin who cannot see `everyone` (LBB) learns only that the id is taken: the same answer.
    const hidden = await post(cityAdmin, { groupId: 'everyone', name: 'Again', tenantIds: ['CoL', 'CoLP'] }).expect(409);
    expect(observed(hidden)).toEqual(observed(await post(cityAdmin, { groupId: 'city', name: 'Again', tenantIds: ['CoL', 'CoLP'] })));
  });

  it.each<[string, object, number, string, string]>([
    ['an unknown tenant', { groupId: 'g1', name: 'n', tenantIds: ['CoL', 'NOPE'] }, 422, 'CATALOGUE.UNKNOWN_TENANT', 'tenantIds'],
    ['one member', { groupId: 'g1', name: 'n', tenantIds: ['CoL'] }, 422, 'TENANT_GROUP.TOO_FEW_MEMBERS', 'tenantIds'],
    ['no member', { groupId: 'g1', name: 'n', tenantIds: [] }, 422, 'TENANT_GROUP.TOO_FEW_MEMBERS', 'tenantIds'],
    ['a member twice', { groupId: 'g1', name: 'n', tenantIds: ['CoL', 'CoL'] }, 422, 'TENANT_GROUP.DUPLICATE_MEMBER', 'tenantIds'],
    ['a blank name', { groupId: 'g1', name: '   ', tenantIds: ['CoL', 'CoLP'] }, 422, 'TENANT_GROUP.INVALID_NAME', 'name'],
    ['a bad id', { groupId: 'no such/id', name: 'n', tenantIds: ['CoL', 'CoLP'] }, 400, 'REQUEST.INVALID', 'groupId'],
    ['no tenantIds', { groupId: 'g1', name: 'n' }, 400, 'REQUEST.INVALID', 'tenantIds'],
    ['tenantIds not a list', { groupId: 'g1', name: 'n', tenantIds: 'CoL,CoLP' }, 400, 'REQUEST.INVALID', 'tenantIds'],
    ['an unknown field', { groupId: 'g1', name: 'n', tenantIds: ['CoL', 'CoLP'], colour: 'red' }, 400, 'REQUEST.INVALID', 'colour'],
  ])('%s is refused, naming the field', async (_why, body, status, code, field) => {
    const res = await post(star, body).expect(status);
    expect(res.body.code).toBe(code);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    await get(star, '/v1/tenant-groups/g1').expect(404);
  });

  it('an unknown tenant named by an admin who does not cover it is 403, not 422: existence is not probed', async () => {
    const res = await post(cityAdmin, { groupId: 'g1', name: 'n', tenantIds: ['CoL', 'NOPE'] }).expect(403);
    expect(res.body.errors[0]).toMatchObject({ field: 'tenantIds', rule: 'AUTH.TENANT_FORBIDDEN' });
  });

  it('needs the admin role', async () => {
    await post(cityReader, { groupId: 'g1', name: 'n', tenantIds: ['CoL', 'CoLP'] }).expect(403);
  });
});

describe('reading a tenant group', () => {
  it('a token covering every member reads it, with its revision', async () => {
    const res = await get(cityReader, '/v1/tenant-groups/city').expect(200);
    expect(res.body).toEqual({ groupId: 'city', name: 'City of London', tenantIds: ['CoL', 'CoLP'], revision: '0' });
    expect(res.headers.etag).toBe('"0"');
  });

  it('a reporter covering one member gets 404, exactly as for an unknown group', async () => {
    const hidden = await get(colReader, '/v1/tenant-groups/city').expect(404);
    const unknown = await get(colReader, '/v1/tenant-groups/no-such-group').expect(404);
    expect(hidden.body.code).toBe('TENANT_GROUP.NOT_FOUND');
    // The same answer but the id the caller typed, which it knows already.
    expect(observed(hidden)).toEqual({ ...observed(unknown), body: { ...observed(unknown).body, detail: 'Tenant group city is not registered' } });
    expect(observed(hidden).etag).toBe('weak');
  });

  it('the list holds the groups the token covers entirely', async () => {
    expect((await get(star, '/v1/tenant-groups').expect(200)).body.map((g: { groupId: string }) => g.groupId)).toEqual(['city', 'everyone']);
    expect((await get(cityReader, '/v1/tenant-groups').expect(200)).body).toEqual([{ groupId: 'city', name: 'City of London', tenantIds: ['CoL', 'CoLP'] }]);
    expect((await get(colReader, '/v1/tenant-groups').expect(200)).body).toEqual([]);
  });
});

describe('group reports', () => {
  const rowsOf = async (auth: string, path: string) => (await get(auth, path).expect(200)).body;

  it('SLA performance: each member as in its own report, and a total recomputed from the summed counts', async () => {
    const body = await rowsOf(cityReader, '/v1/tenant-groups/city/reports/sla-performance?from=2023-07&to=2023-07');
    expect(body).toMatchObject({ groupId: 'city', tenantIds: ['CoL', 'CoLP'] });
    const im1 = body.rows.filter((r: { metric: string; priority: string }) => r.metric === 'resolution' && r.priority === 'P1');
    expect(im1.map((r: object) => ({ ...r }))).toEqual([
      expect.objectContaining({ tenantId: 'CoL', total: 2, met: 1, breached: 1, pctMet: 50 }),
      expect.objectContaining({ tenantId: 'CoLP', total: 1, met: 1, breached: 0, pctMet: 100 }),
      expect.objectContaining({ tenantId: '*', total: 3, met: 2, breached: 1, pctMet: 66.67, reference: 'IM1', goalPct: 98, goalMet: false }),
    ]);
    for (const tenant of ['CoL', 'CoLP']) {
      const own = await rowsOf(cityReader, `/v1/tenants/${tenant}/reports/sla-performance?from=2023-07&to=2023-07`);
      expect(body.rows.filter((r: { tenantId: string }) => r.tenantId === tenant).map(({ tenantId: _t, ...r }: { tenantId: string }) => r)).toEqual(own.rows);
      expect(body.breachedStillOpen[tenant]).toEqual(own.breachedStillOpen);
    }
  });

  it('demand and satisfaction totals are the members summed; NPS and % from the summed counts', async () => {
    const demand = await rowsOf(cityReader, '/v1/tenant-groups/city/reports/demand?from=2023-07&to=2023-07');
    expect(demand.rows.filter((r: { priority: string }) => r.priority === 'P1')).toEqual([
      expect.objectContaining({ tenantId: 'CoL', raised: 2, resolved: 2 }),
      expect.objectContaining({ tenantId: 'CoLP', raised: 1, resolved: 1 }),
      expect.objectContaining({ tenantId: '*', kind: 'incident', priority: 'P1', raised: 3, resolved: 3 }),
    ]);
    const sat = await rowsOf(cityReader, '/v1/tenant-groups/city/reports/satisfaction?from=2023-07&to=2023-07');
    expect(sat.rows.find((r: { tenantId: string }) => r.tenantId === '*')).toMatchObject({
      feedback: 2,
      resolved: 3,
      responseRatePct: 66.67,
      positivePct: 50,
      negativePct: 50,
      npsAnswers: 2,
      nps: 0,
    });
  });

  it('availability to the group is the union of the members’ outages, never their sum', async () => {
    const body = await rowsOf(cityReader, '/v1/tenant-groups/city/reports/service-availability?month=2023-07');
    const printing = body.services.filter((s: { serviceId: string }) => s.serviceId === 'printing');
    expect(printing.map((s: { tenantId: string; outageMinutes: number }) => [s.tenantId, s.outageMinutes])).toEqual([
      ['CoL', 60],
      ['CoLP', 60],
      ['*', 100], // 11:20–12:20 and 12:00–13:00 overlap by 20 minutes
    ]);
  });

  it('the major incident register lists each incident once for the group, with the members it affected', async () => {
    const body = await rowsOf(cityReader, '/v1/tenant-groups/city/reports/major-incidents');
    const total = body.rows.filter((r: { tenantId: string }) => r.tenantId === '*');
    expect(total).toEqual([expect.objectContaining({ reference: 'MIR101', ticketTenantId: 'CoLP', memberTenantIds: ['CoL', 'CoLP'] })]);
  });

  it.each(REPORTS)('%s answers JSON and CSV (flat rows, tenantId first, total rows "*")', async (report) => {
    const path = `/v1/tenant-groups/city/reports/${report}${QUERY[report]}`;
    const json = await get(cityReader, path).expect(200);
    expect(json.headers['x-log-position']).toBeDefined();
    expect(json.headers['x-tenant-group-revision']).toBe('0');
    const csv = await get(cityReader, path, 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...lines] = csv.text.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(header?.split(',')[0]).toBe('tenantId');
    expect(lines.some((l) => l.startsWith('*,') || l.startsWith('"*",'))).toBe(true);
  });

  it('the CSV of SLA performance holds the total row', async () => {
    const csv = await get(cityReader, '/v1/tenant-groups/city/reports/sla-performance?from=2023-07&to=2023-07', 'text/csv').expect(200);
    expect(csv.text.split('\n')).toContain('*,2023-07,resolution,incident,P1,all,*,IM1,98,120,3,2,1,66.67,false');
  });

  it('granularity takes month, quarter, year, financial-quarter and financial-year; anything else is 400 naming it', async () => {
    for (const [granularity, period] of [
      ['quarter', '2023-Q3'],
      ['year', '2023'],
      ['financial-quarter', '2023-24 Q2'],
      ['financial-year', '2023-24'],
    ]) {
      const body = await rowsOf(cityReader, `/v1/tenant-groups/city/reports/demand?from=2023-07&to=2023-07&granularity=${granularity}`);
      expect(body.rows.map((r: { period: string }) => r.period)).toEqual(body.rows.map(() => period));
      expect(body.rows.find((r: { tenantId: string; priority: string }) => r.tenantId === '*' && r.priority === 'P1')).toMatchObject({ raised: 3 });
    }
    const res = await get(cityReader, '/v1/tenant-groups/city/reports/demand?granularity=week').expect(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'granularity', rule: 'isIn' });
  });

  it('the monthly summary of CoL and CoLP on one page: each member as its own page, the group from summed counts (JSON, Markdown, HTML, CSV)', async () => {
    const path = '/v1/tenant-groups/city/reports/service-delivery-summary?month=2023-07';
    const group = (await get(cityReader, path).expect(200)).body;
    expect(group.counts).toEqual({ CoL: { P1: 2, P2: 0 }, CoLP: { P1: 1, P2: 0 }, '*': { P1: 3, P2: 0 } });
    // Each member's column is its own summary's figure.
    for (const tenant of ['CoL', 'CoLP']) {
      const own = (await get(cityReader, `/v1/tenants/${tenant}/reports/service-delivery-summary?month=2023-07`).expect(200)).body;
      expect(group.members.find((m: { tenantId: string }) => m.tenantId === tenant).metrics).toEqual(own.metrics);
      for (const m of own.metrics)
        expect(
          group.metrics.find((r: { label: string; reference: string | null }) => r.label === m.measure && r.reference === m.reference).byTenant[tenant],
        ).toEqual({ actual: m.actual, met: m.unit === '%' ? m.met : null, total: m.unit === '%' ? m.total : null });
    }
    // IM1: CoL met 1 of 2 (R2 took 500 minutes), CoLP 1 of 1: the group 2 of 3, not the mean of 50% and 100%.
    const im1 = group.metrics.find((r: { reference: string }) => r.reference === 'IM1');
    expect(im1.group).toEqual({ actual: 66.67, met: 2, total: 3 });
    expect(group.majorIncidents.map((m: { reference: string; memberTenantIds: string[] }) => [m.reference, m.memberTenantIds])).toEqual([
      ['MIR101', ['CoL', 'CoLP']],
    ]);
    const md = (await get(cityReader, `${path}&format=md`).expect(200)).text;
    expect(md).toContain('# IT Service Delivery Summary — City of London, July 2023');
    expect(md).toContain('| IM1 | P1 incidents resolved within 2 hours | 50% (1 / 2) | 100% (1 / 1) | 66.67% (2 / 3) | 98% |');
    const html = (await get(cityReader, path, 'text/html').expect(200)).text;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toContain('<script');
    const csv = (await get(cityReader, path, 'text/csv').expect(200)).text.trim().split('\n');
    expect(csv[0]).toBe('table,figure,reference,tenantId,actual,met,total');
    expect(csv).toContain('metrics,P1 incidents resolved within 2 hours,IM1,*,66.67,2,3');
    await get(colReader, path).expect(404);
  });

  it('asOfPosition reproduces a group answer as the log stood (a replay, as for a tenant)', async () => {
    const now = await get(cityReader, '/v1/tenant-groups/city/reports/demand?from=2023-07&to=2023-07').expect(200);
    const position = now.headers['x-log-position'];
    const again = await get(cityReader, `/v1/tenant-groups/city/reports/demand?from=2023-07&to=2023-07&asOfPosition=${position}`).expect(200);
    expect(again.headers['x-log-position']).toBe(position);
    expect(again.body).toEqual(now.body);
    // Before any ticket event: the members' rows and the total are empty.
    const before = await get(cityReader, '/v1/tenant-groups/city/reports/demand?from=2023-07&to=2023-07&asOfRecorded=2023-07-03T07:00:00Z').expect(200);
    expect(before.body.rows).toEqual([]);
    const bad = await get(cityReader, '/v1/tenant-groups/city/reports/demand?asOfPosition=x').expect(400);
    expect(bad.body.errors[0].field).toBe('asOfPosition');
  });

  it.each(REPORTS)('%s: a reporter covering one member gets 404, exactly as for an unknown group', async (report) => {
    const hidden = await get(colReader, `/v1/tenant-groups/city/reports/${report}${QUERY[report]}`).expect(404);
    expect(hidden.body.code).toBe('TENANT_GROUP.NOT_FOUND');
    const never = await get(colReader, `/v1/tenant-groups/nothing/reports/${report}${QUERY[report]}`).expect(404);
    expect(observed(hidden).body).toEqual({ ...observed(never).body, detail: 'Tenant group city is not registered' });
    expect(hidden.headers['x-log-position']).toBeUndefined();
  });

  it('a role without reports is refused before the group is looked at', async () => {
    const admin = await get(star, '/v1/tenant-groups/city/reports/demand').expect(403);
    const unknown = await get(star, '/v1/tenant-groups/nothing/reports/demand').expect(403);
    expect(observed(admin)).toEqual(observed(unknown));
  });
});

describe('revising a tenant group', () => {
  it('needs an admin of every member it would have', async () => {
    const res = await put(cityAdmin, 'city', { name: 'City and Brent', tenantIds: ['CoL', 'CoLP', 'LBB'] }).expect(403);
    expect(res.body.errors[0]).toMatchObject({ field: 'tenantIds', rule: 'AUTH.TENANT_FORBIDDEN' });
    expect((await get(cityReader, '/v1/tenant-groups/city').expect(200)).body.tenantIds).toEqual(['CoL', 'CoLP']);
  });

  it('revises the membership; a reader no longer covering it then gets 404, and its admin too', async () => {
    const res = await put(star, 'city', { name: 'City and Brent', tenantIds: ['CoL', 'CoLP', 'LBB'] }).expect(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body.events).toEqual([expect.objectContaining({ type: 'TenantGroupRevised' })]);
    await get(cityReader, '/v1/tenant-groups/city').expect(404);
    await get(cityReader, '/v1/tenant-groups/city/reports/demand').expect(404);
    expect((await get(cityReader, '/v1/tenant-groups').expect(200)).body).toEqual([]);
    const hidden = await put(cityAdmin, 'city', { name: 'back', tenantIds: ['CoL', 'CoLP'] }).expect(404);
    const unknown = await put(cityAdmin, 'never-was', { name: 'back', tenantIds: ['CoL', 'CoLP'] }).expect(404);
    expect(observed(hidden).body).toEqual({ ...observed(unknown).body, detail: 'Tenant group city is not registered' });
    const body = await rowsOf(t.auth({ roles: ['reporter'], tenants: ['*'] }), '/v1/tenant-groups/city/reports/demand?from=2023-07&to=2023-07');
    expect(body.tenantIds).toEqual(['CoL', 'CoLP', 'LBB']);
  });

  it('If-Match with a stale revision is 412', async () => {
    const res = await request(t.http)
      .put('/v1/tenant-groups/city')
      .set('Authorization', star)
      .set('If-Match', '"0"')
      .send({ name: 'x', tenantIds: ['CoL', 'CoLP'] })
      .expect(412);
    expect(res.body.currentRevision).toBe('1');
  });

  async function rowsOf(auth: string, path: string) {
    return (await get(auth, path).expect(200)).body;
  }
});

describe('OpenAPI', () => {
  it('documents the group routes: the 404 rule, replays, the granularities', async () => {
    const doc = (await request(t.http).get('/docs/openapi.json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/tenant-groups', '/v1/tenant-groups/{groupId}', ...REPORTS.map((r) => `/v1/tenant-groups/{groupId}/reports/${r}`)]),
    );
    const demand = doc.paths['/v1/tenant-groups/{groupId}/reports/demand'].get;
    expect(demand.description).toMatch(/answer from a replay/);
    expect(demand.responses['404'].description).toMatch(/same 404/);
    const params = demand.parameters.map((x: { name: string }) => x.name);
    expect(params).toEqual(expect.arrayContaining(['groupId', 'from', 'to', 'granularity']));
    expect(params).toEqual(expect.arrayContaining(['asOfPosition', 'asOfRecorded']));
    expect(demand.parameters.find((x: { name: string }) => x.name === 'granularity').schema.enum).toEqual([
      'month',
      'quarter',
      'year',
      'financial-quarter',
      'financial-year',
    ]);
    expect(doc.paths['/v1/tenant-groups/{groupId}'].get.responses['404'].description).toMatch(/same 404/);
  });
});

describe('generated input never gets a 5xx', () => {
  it('bodies, ids and query parameters', async () => {
    const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('CoL', 'CoLP', 'LBB', '*', '', '__proto__', 'constructor', '../x', '%00'));
    const value = fc.oneof(text, fc.integer(), fc.constant(null), fc.array(text, { maxLength: 4 }), fc.dictionary(text, text, { maxKeys: 2 }));
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('groupId', 'name', 'tenantIds', 'x'), value, { maxKeys: 4 }),
        text,
        fc.constantFrom(...REPORTS),
        fc.dictionary(fc.constantFrom('from', 'to', 'month', 'granularity', 'by', 'value', 'days', 'supplier', 'x'), text, { maxKeys: 3 }),
        async (body, id, report, query) => {
          const auths = [star, cityAdmin, colReader];
          for (const auth of auths) {
            const created = await post(auth, body);
            expect(created.status).toBeLessThan(500);
            expect((await put(auth, encodeURIComponent(id) || 'x', body)).status).toBeLessThan(500);
            const qs = new URLSearchParams(query).toString();
            expect((await get(auth, `/v1/tenant-groups/${encodeURIComponent(id) || 'x'}/reports/${report}?${qs}`)).status).toBeLessThan(500);
            expect((await get(auth, `/v1/tenant-groups/everyone/reports/${report}?${qs}`)).status).toBeLessThan(500);
          }
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 60), seed: 2024 },
    );
  });
});
