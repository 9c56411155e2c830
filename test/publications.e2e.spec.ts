import fc from 'fast-check';
import request from 'supertest';
import { publicationStream } from '@itsm/domain';
import { EVENT_STORE, parseLogPosition, readWhole, type EventStore } from '@itsm/event-store';
import { exportEvents } from '@itsm/event-transfer';
import { verifyLog } from '@itsm/event-audit';
import { buildServiceDeliverySummary, documentFigures, figuresDigest, Projector, ReportReplays } from '@itsm/projections';
import { READ_STORE, type ReadStore } from '@itsm/read-store';
import { MovableClock } from '@itsm/test-kit';
import { startTestApp } from './support/test-app';
import { seedCatalogue } from './support/catalogue-seed';

/**
 * Published figures stay reproducible (issue 18): a publication answers the same document byte for
 * byte however the log moves on, and its drift names each figure that moved since, both values and
 * the facts that moved it. The API's clock is the test's.
 */
const JULY_3 = Date.parse('2023-07-03T08:00:00Z');
const AUG_2 = Date.parse('2023-08-02T09:00:00Z');
const MIN = 60_000;
const at = (ms: number) => new Date(ms).toISOString();
type App = Awaited<ReturnType<typeof startTestApp>>;
let t: App;
let clock: MovableClock;
let store: EventStore;
let star: string;
let cityReporter: string;
let colReporter: string;
let colpReporter: string;
let auditor: string;
let operator: string;

const resolve = { resolutionCode: 'fixed', rootCause: 'spooler', resolvedByGroupId: 'desktop', firstLineFix: false };
const raise = (ticketId: string) => ({
  ticketId,
  kind: 'incident',
  priority: 'P2',
  serviceId: 'printing',
  title: 'Printers down',
  description: 'd',
  reporter: 'r',
  channel: 'phone',
});

async function command(tenant: string, path: string, body: object, occurred: number, recorded = occurred) {
  clock.set(recorded);
  const res = await request(t.http)
    .post(`/v1/tenants/${tenant}/tickets${path}`)
    .set('Authorization', operator)
    .send({ ...body, occurredAt: at(occurred) });
  if (res.status >= 300) throw new Error(`${tenant} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
}

beforeAll(async () => {
  clock = new MovableClock(JULY_3);
  t = await startTestApp({}, clock);
  store = t.app.get<EventStore>(EVENT_STORE);
  star = t.auth({ sub: 'admin', roles: ['admin', 'reporter', 'auditor'], tenants: ['*'] });
  cityReporter = t.auth({ sub: 'committee-clerk', roles: ['reporter'], tenants: ['CoL', 'CoLP'] });
  colReporter = t.auth({ sub: 'col-clerk', roles: ['reporter'], tenants: ['CoL'] });
  colpReporter = t.auth({ sub: 'colp-clerk', roles: ['reporter'], tenants: ['CoLP'] });
  auditor = t.auth({ sub: 'auditor', roles: ['auditor'], tenants: ['CoL', 'CoLP'] });
  operator = t.auth({ sub: 'desk', roles: ['operator'], tenants: ['CoL', 'CoLP'] });
  await seedCatalogue(t.http, star);
  for (const tenant of ['CoL', 'CoLP']) {
    await request(t.http)
      .post(`/v1/tenants/${tenant}/sla-policies`)
      .set('Authorization', star)
      .send({ template: 'city-of-london-2023', effectiveFrom: '2023-01-01T00:00:00Z' })
      .expect(201);
  }
  await request(t.http)
    .post('/v1/tenant-groups')
    .set('Authorization', star)
    .send({ groupId: 'city', name: 'City of London', tenantIds: ['CoL', 'CoLP'] })
    .expect(201);
  // July: CoL's A resolved in 2 hours (IM2, P2 within 4 hours: met); CoL's B still open when July is
  // published; CoLP's C resolved in an hour.
  await command('CoL', '', raise('A'), JULY_3);
  await command('CoL', '/A/respond', { respondedBy: 'desk' }, JULY_3 + 10 * MIN);
  await command('CoL', '/A/resolve', resolve, JULY_3 + 120 * MIN);
  await command('CoLP', '', raise('C'), JULY_3 + 30 * MIN);
  await command('CoLP', '/C/resolve', resolve, JULY_3 + 90 * MIN);
  const JULY_10 = Date.parse('2023-07-10T09:00:00Z');
  await command('CoL', '', raise('B'), JULY_10);
  await command('CoL', '/B/respond', { respondedBy: 'desk' }, JULY_10 + 5 * MIN);
  clock.set(AUG_2);
  await t.app.get(Projector).catchUp();
});
afterAll(() => t.stop());

const publish = (path: string, body: object, auth = cityReporter) => request(t.http).post(`${path}/publications`).set('Authorization', auth).send(body);
const get = (path: string, auth = cityReporter) => request(t.http).get(path).set('Authorization', auth);
/** A binary answer (PDF, XLSX) as its bytes. */
const bytes = async (path: string) =>
  (
    await get(path)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200)
  ).body as Buffer;
const streamLength = async (tenantId: string) => (await readWhole(store, publicationStream({ kind: 'tenant', tenantId }))).length;

describe('publishing the monthly summary, then back-dating a fact that changes a figure', () => {
  const july = { report: 'service-delivery-summary', month: '2023-07' };
  let col: { publicationId: string; position: string; headGlobalHash: string; digest: string };
  let colp: typeof col;
  let city: typeof col;
  const first: Record<string, string> = {};
  const firstPack: Record<string, Buffer> = {};
  let verified: { headGlobalHash: string; eventsChecked: number };
  const paths = () => ({
    'CoL json': `/v1/tenants/CoL/publications/${col.publicationId}?format=json`,
    'CoL md': `/v1/tenants/CoL/publications/${col.publicationId}?format=md`,
    'CoL html': `/v1/tenants/CoL/publications/${col.publicationId}?format=html`,
    'city json': `/v1/tenant-groups/city/publications/${city.publicationId}`,
    'city md': `/v1/tenant-groups/city/publications/${city.publicationId}?format=md`,
  });

  beforeAll(async () => {
    const head = await store.headPosition();
    verified = await verifyLog(store); // the log as it stood when the figures were published
    col = (await publish('/v1/tenants/CoL', july).expect(201)).body;
    colp = (await publish('/v1/tenants/CoLP', july).expect(201)).body;
    city = (await publish('/v1/tenant-groups/city', july).expect(201)).body;
    expect(col.position).toBe(head!.toString()); // the projector's checkpoint: it had applied everything
    for (const [name, path] of Object.entries(paths())) first[name] = (await get(path).expect(200)).text;
    for (const format of ['pdf', 'xlsx']) firstPack[format] = await bytes(`/v1/tenants/CoL/publications/${col.publicationId}?format=${format}`);
    // Then, on 3 August, the desk records that B was resolved on 10 July at 17:00: 8 hours after it
    // was raised, so IM2 (P2 within 4 hours) was missed after all.
    await command('CoL', '/B/resolve', resolve, Date.parse('2023-07-10T17:00:00Z'), Date.parse('2023-08-03T10:00:00Z'));
    await t.app.get(Projector).catchUp();
  });

  it('answers {publicationId, position, headGlobalHash, digest}, recorded as FiguresPublished in the tenant’s publications stream', async () => {
    expect(col).toMatchObject({
      publicationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      position: expect.stringMatching(/^\d+$/),
      headGlobalHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      report: 'service-delivery-summary',
      month: '2023-07',
      publishedBy: 'committee-clerk',
    });
    const [event] = await readWhole(store, 'publications-CoL');
    expect(event).toMatchObject({ type: 'FiguresPublished', metadata: { tenantId: 'CoL', actor: 'committee-clerk' } });
    expect(event?.data).toMatchObject({
      publicationId: col.publicationId,
      position: col.position,
      headGlobalHash: col.headGlobalHash,
      digest: col.digest,
      parameters: { month: '2023-07', zone: 'Europe/London' },
      subject: { kind: 'tenant', tenantId: 'CoL' },
    });
    // No business time: the reports' own clock must not move because figures were published.
    expect(event?.data).not.toHaveProperty('occurredAt');
    // The head hash is the global chain's at that position: what verify reported for the log then.
    expect(col.headGlobalHash).toBe(verified.headGlobalHash);
    expect(event?.data.eventCount).toBe(verified.eventsChecked);
    expect((await readWhole(store, 'grouppublications-city'))[0]?.data).toMatchObject({
      subject: { kind: 'group', groupId: 'city', tenantIds: ['CoL', 'CoLP'] },
    });
    // An export of CoL's log carries its publications, and no other tenant's.
    const exported = new Set<string>();
    for await (const line of exportEvents(store, { tenantId: 'CoL' })) exported.add(JSON.parse(line).streamId);
    expect([...exported].filter((s) => s.includes('publications-'))).toEqual(['publications-CoL']);
  });

  it('the figure did change: today’s summary says IM2 is 50%, the publication said 100%', async () => {
    const today = await get('/v1/tenants/CoL/reports/service-delivery-summary?month=2023-07').expect(200);
    expect(today.body.metrics.find((m: { reference: string }) => m.reference === 'IM2')).toMatchObject({ actual: 50, met: 1, total: 2 });
    const published = JSON.parse(first['CoL json']!);
    expect(published.metrics.find((m: { reference: string }) => m.reference === 'IM2')).toMatchObject({ actual: 100, met: 1, total: 1 });
    expect(published.publication).toMatchObject({
      publicationId: col.publicationId,
      position: col.position,
      digest: col.digest,
      headGlobalHash: col.headGlobalHash,
    });
  });

  it('every format still answers the original document, byte for byte', async () => {
    for (const [name, path] of Object.entries(paths())) expect([name, (await get(path).expect(200)).text]).toEqual([name, first[name]]);
    const md = await get(paths()['CoL md']).expect(200);
    expect(md.headers['content-type']).toMatch(/^text\/markdown/);
    expect(md.headers['x-log-position']).toBe(col.position);
    expect(md.text).toContain(`log position ${col.position}`);
    expect(md.text).toContain(col.digest);
    expect((await get(paths()['CoL html']).expect(200)).text).toContain(col.headGlobalHash);
    // The Accept header picks a format too; the same bytes as format=.
    expect((await get(`/v1/tenants/CoL/publications/${col.publicationId}`).set('Accept', 'text/markdown').expect(200)).text).toBe(first['CoL md']);
  });

  it('the committee pack (PDF, XLSX) of a publication is the same bytes every time, after the figure changed', async () => {
    expect(firstPack.pdf?.subarray(0, 5).toString()).toBe('%PDF-');
    expect(firstPack.xlsx?.subarray(0, 2).toString()).toBe('PK');
    for (const format of ['pdf', 'xlsx'])
      expect((await bytes(`/v1/tenants/CoL/publications/${col.publicationId}?format=${format}`)).equals(firstPack[format]!)).toBe(true);
  });

  it('drift names the figure, both values and the back-dated resolution', async () => {
    const res = await get(`/v1/tenants/CoL/publications/${col.publicationId}/drift`).expect(200);
    expect(res.headers['x-published-position']).toBe(col.position);
    const im2 = res.body.find((d: { figure: string }) => d.figure === 'metrics[incident.P2.resolution].actual');
    expect(im2).toMatchObject({ published: 100, today: 50, change: 'changed' });
    expect(im2.events).toContainEqual(
      expect.objectContaining({
        type: 'IncidentResolved',
        tenantId: 'CoL',
        ticketId: 'B',
        streamId: 'incident-CoL.B',
        occurredAt: '2023-07-10T17:00:00.000Z',
        recordedAt: '2023-08-03T10:00:00.000Z',
        actor: 'desk',
      }),
    );
    expect(res.body.find((d: { figure: string }) => d.figure === 'priorityIncidents[B].resolvedWithinTarget')).toMatchObject({ published: null, today: false });
    expect(res.body.find((d: { figure: string }) => d.figure === 'trend.incident[2023-07].P2')).toMatchObject({ published: 100, today: 50 });
    // Only what moved: the counts of P1/P2 incidents and A's row did not.
    const figures = res.body.map((d: { figure: string }) => d.figure);
    expect(figures).not.toContain('counts.P2');
    expect(figures.filter((f: string) => f.startsWith('priorityIncidents[A]'))).toEqual([]);
    // An auditor may read it too.
    await get(`/v1/tenants/CoL/publications/${col.publicationId}/drift`, auditor).expect(200);
  });

  it('an unchanged publication’s drift is []', async () => {
    const res = await get(`/v1/tenants/CoLP/publications/${colp.publicationId}/drift`).expect(200);
    expect(res.body).toEqual([]);
  });

  it('a group publication’s drift names the member’s figure and the group’s total', async () => {
    const res = await get(`/v1/tenant-groups/city/publications/${city.publicationId}/drift`).expect(200);
    expect(res.body.find((d: { figure: string }) => d.figure === 'members[CoL].metrics[incident.P2.resolution].actual')).toMatchObject({
      published: 100,
      today: 50,
    });
    const total = res.body.find((d: { figure: string }) => /^total\.metrics\[IM2 .*\]\.actual$/.test(d.figure));
    expect(total).toMatchObject({ published: 100, today: 66.67 }); // 2 of 3 met across the group
    expect(total.events.map((e: { ticketId: string; type: string }) => `${e.ticketId} ${e.type}`)).toContain('B IncidentResolved');
    expect(res.body.every((d: { figure: string }) => !d.figure.startsWith('members[CoLP]'))).toBe(true);
  });

  it('a replay of the log at the recorded position (asOfPosition) gives the same digest', async () => {
    // The report replays behind asOfPosition, asked for the publication's position and month at its
    // "now" (the API's asOfPosition answers at the replay's own: when its last event was recorded).
    const replay = await t.app.get(ReportReplays).at(parseLogPosition(col.position));
    expect(replay.position?.toString()).toBe(col.position);
    const [published] = (await get('/v1/tenants/CoL/publications').expect(200)).body;
    const summary = await buildServiceDeliverySummary(replay.queries, {
      tenantId: 'CoL',
      month: '2023-07',
      zone: 'Europe/London',
      logPosition: replay.position,
      now: new Date(published.asOf),
    });
    expect(figuresDigest(documentFigures({ kind: 'tenant', summary }))).toBe(col.digest);
    expect(JSON.stringify({ kind: 'tenant', summary })).toBe(
      await t.app
        .get<ReadStore>(READ_STORE)
        .get<{ document: string }>('publication_snapshots', col.publicationId)
        .then((d) => d?.document),
    );
    // Today's figures are not those.
    const live = await get('/v1/tenants/CoL/reports/service-delivery-summary?month=2023-07').expect(200);
    expect(figuresDigest(documentFigures({ kind: 'tenant', summary: live.body }))).not.toBe(col.digest);
  });

  it('a lost snapshot is rebuilt once by a replay at the publication’s position: the same bytes again', async () => {
    const reads = t.app.get<ReadStore>(READ_STORE);
    await reads.delete('publication_snapshots', col.publicationId);
    await reads.delete('publication_snapshots', city.publicationId);
    expect(await reads.get('publication_snapshots', col.publicationId)).toBeUndefined();
    expect((await get(paths()['CoL json']).expect(200)).text).toBe(first['CoL json']);
    expect((await get(paths()['city md']).expect(200)).text).toBe(first['city md']);
    expect(await reads.get('publication_snapshots', col.publicationId)).toBeDefined();
    // A kept document whose figures are not the published ones (the digest says so) is not served.
    const kept = (await reads.get<{ document: string }>('publication_snapshots', col.publicationId))!.document;
    const tampered = kept.replace('"counts":{"P1":0,"P2":2}', '"counts":{"P1":0,"P2":1}');
    expect(tampered).not.toBe(kept);
    await reads.upsert('publication_snapshots', col.publicationId, { id: col.publicationId, document: tampered });
    expect((await get(paths()['CoL json']).expect(200)).text).toBe(first['CoL json']);
    await reads.upsert('publication_snapshots', col.publicationId, { id: col.publicationId, document: 'not json' });
    expect((await get(paths()['CoL md']).expect(200)).text).toBe(first['CoL md']);
  });

  it('lists the publications, oldest first', async () => {
    const res = await get('/v1/tenants/CoL/publications').expect(200);
    expect(res.body.map((p: { publicationId: string }) => p.publicationId)).toEqual([col.publicationId]);
    expect(res.body[0]).toMatchObject({ month: '2023-07', position: col.position, digest: col.digest, subject: { kind: 'tenant', tenantId: 'CoL' } });
    expect((await get('/v1/tenant-groups/city/publications').expect(200)).body.map((p: { publicationId: string }) => p.publicationId)).toEqual([
      city.publicationId,
    ]);
  });

  it('another tenant’s publication id answers 404 exactly as an unknown one', async () => {
    const observed = (res: request.Response) => ({ status: res.status, code: res.body.code, detail: res.body.detail, errors: res.body.errors });
    const unknown = await get('/v1/tenants/CoLP/publications/00000000-0000-4000-8000-000000000000', star);
    const others = await get(`/v1/tenants/CoLP/publications/${col.publicationId}`, star);
    expect(others.status).toBe(404);
    expect(observed(others)).toEqual(observed(unknown));
    expect(observed(await get(`/v1/tenants/CoLP/publications/${col.publicationId}/drift`, star))).toEqual(
      observed(await get('/v1/tenants/CoLP/publications/nope/drift', star)),
    );
    // A group's publication is no tenant's.
    expect(observed(await get(`/v1/tenants/CoL/publications/${city.publicationId}`, star))).toEqual(observed(unknown));
  });

  it('a tenant the token does not cover is 403, as for the tenant’s reports; a group with a member outside it is 404', async () => {
    expect((await get(`/v1/tenants/CoL/publications/${col.publicationId}`, colpReporter).expect(403)).body.code).toBe('AUTH.TENANT_FORBIDDEN');
    await get('/v1/tenants/CoL/publications', colpReporter).expect(403);
    await get(`/v1/tenants/CoL/publications/${col.publicationId}`, colReporter).expect(200);
    expect((await get(`/v1/tenant-groups/city/publications/${city.publicationId}`, colReporter).expect(404)).body.code).toBe('TENANT_GROUP.NOT_FOUND');
    expect((await publish('/v1/tenant-groups/city', july, colReporter).expect(404)).body.code).toBe('TENANT_GROUP.NOT_FOUND');
  });
});

describe('who may publish, and what is refused', () => {
  const july = { report: 'service-delivery-summary', month: '2023-07' };

  it('publishing needs the reporter role and the tenant: an auditor or operator is 403, as is another tenant’s reporter', async () => {
    const before = await streamLength('CoL');
    expect((await publish('/v1/tenants/CoL', july, auditor).expect(403)).body.code).toBe('AUTH.ROLE_REQUIRED');
    await publish('/v1/tenants/CoL', july, operator).expect(403);
    expect((await publish('/v1/tenants/CoL', july, colpReporter).expect(403)).body.code).toBe('AUTH.TENANT_FORBIDDEN');
    await request(t.http).post('/v1/tenants/CoL/publications').send(july).expect(401);
    expect(await streamLength('CoL')).toBe(before);
  });

  it.each<[string, object, number, string, string]>([
    ['an unknown report', { report: 'sla-performance', month: '2023-07' }, 422, 'PUBLICATION.UNKNOWN_REPORT', 'report'],
    ['no report', { month: '2023-07' }, 422, 'PUBLICATION.UNKNOWN_REPORT', 'report'],
    ['no month', { report: 'service-delivery-summary' }, 422, 'PUBLICATION.INVALID_MONTH', 'month'],
    ['a month that is no month', { report: 'service-delivery-summary', month: '2023-13' }, 422, 'PUBLICATION.INVALID_MONTH', 'month'],
    ['a month not yet begun', { report: 'service-delivery-summary', month: '2023-09' }, 422, 'PUBLICATION.MONTH_NOT_BEGUN', 'month'],
    ['a month of the wrong type', { report: 'service-delivery-summary', month: 202307 }, 400, 'REQUEST.INVALID', 'month'],
    ['an unknown field', { ...july, colour: 'red' }, 400, 'REQUEST.INVALID', 'colour'],
  ])('%s is refused naming the field, and nothing is recorded', async (_why, body, status, code, field) => {
    const head = await store.headPosition();
    const res = await publish('/v1/tenants/CoL', body).expect(status);
    expect(res.body.code).toBe(code);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await store.headPosition()).toBe(head);
  });

  it('an unregistered tenant is 404; an unknown format is 400 naming format', async () => {
    expect((await publish('/v1/tenants/Atlantis', july, star).expect(404)).body.code).toBe('TENANT.NOT_FOUND');
    expect((await get('/v1/tenants/Atlantis/publications', star).expect(200)).body).toEqual([]);
    const [published] = (await get('/v1/tenants/CoL/publications').expect(200)).body;
    const res = await get(`/v1/tenants/CoL/publications/${published.publicationId}?format=docx`).expect(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'format', rule: 'isIn' });
  });

  it('generated bodies, ids and formats: a success or a 4xx problem, never a 5xx; a refusal records nothing', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('2023-07', '2023-7', '9999-12', '0000-01', 'service-delivery-summary', '', '__proto__', 'constructor', '../x', '%00', ']'),
    );
    // Nested keys named `constructor` once crashed class-transformer (a 500): they are 400s now.
    const key = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('constructor', '__proto__', 'prototype'));
    const value = fc.oneof(text, fc.integer(), fc.constant(null), fc.array(text, { maxLength: 3 }), fc.dictionary(key, text, { maxKeys: 2 }));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('report', 'month', 'commandId', 'x'), value, { maxKeys: 3 }), text, text, async (body, id, format) => {
        const head = await store.headPosition();
        const res = await publish('/v1/tenants/CoL', body);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(await store.headPosition()).toBe(head);
        for (const path of [
          `/v1/tenants/CoL/publications/${encodeURIComponent(id)}?format=${encodeURIComponent(format)}`,
          `/v1/tenant-groups/city/publications/${encodeURIComponent(id)}/drift`,
          `/v1/tenants/${encodeURIComponent(id)}/publications`,
        ]) {
          expect((await get(path, star)).status).toBeLessThan(500);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('a retry with the same Idempotency-Key answers the same publication and records nothing; the key reused for another month is 422', async () => {
    const send = (body: object) =>
      request(t.http).post('/v1/tenants/CoLP/publications').set('Authorization', cityReporter).set('Idempotency-Key', 'colp-july-again').send(body);
    const first = await send(july).expect(201);
    const length = await streamLength('CoLP');
    const retry = await send(july).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await streamLength('CoLP')).toBe(length);
    expect((await send({ ...july, month: '2023-06' }).expect(422)).body.code).toBe('COMMAND.IDEMPOTENCY_KEY_REUSED');
  });
});
