import fc from 'fast-check';
import request from 'supertest';
import { EVENT_STORE, readWhole, type EventStore } from '@itsm/event-store';
import { verifyWebhookSignature, webhooksStream } from '@itsm/application';
import { MovableClock } from '@itsm/test-kit';
import { startTestApp } from './support/test-app';
import { seedCatalogue } from './support/catalogue-seed';
import { waitFor, WebhookReceiver } from '../libs/application/test/support/webhook-receiver';

/**
 * Webhooks over HTTP: who may register them, what receivers are refused (SSRF), secrets never
 * shown again nor kept in clear, and, with the API delivering in-process, a parked delivery an
 * admin sends again.
 */
type App = Awaited<ReturnType<typeof startTestApp>>;
const SECRET = 'a-shared-secret-for-the-receiver';
const PUBLIC = 'https://93.184.216.34/itsm-hooks';
const body = (extra: object = {}) => ({ url: PUBLIC, events: ['SlaBreached', 'SlaWarningRaised'], secret: SECRET, ...extra });

describe('registering webhooks', () => {
  let t: App;
  let star: string;
  let colAdmin: string;
  let lbbAdmin: string;

  beforeAll(async () => {
    t = await startTestApp({ webhooks: false });
    star = t.auth({ sub: 'admin', roles: ['admin'], tenants: ['*'] });
    colAdmin = t.auth({ sub: 'col-admin', roles: ['admin'], tenants: ['CoL'] });
    lbbAdmin = t.auth({ sub: 'lbb-admin', roles: ['admin'], tenants: ['LBB'] });
    await seedCatalogue(t.http, star);
  });
  afterAll(() => t.stop());

  const register = (auth: string, tenant: string, b: object) => request(t.http).post(`/v1/tenants/${tenant}/webhooks`).set('Authorization', auth).send(b);

  it('answers {webhookId}; lists it without the secret; keeps only a sealed secret in the log', async () => {
    const res = await register(colAdmin, 'CoL', body()).expect(201);
    expect(Object.keys(res.body)).toEqual(['webhookId']);
    const list = await request(t.http).get('/v1/tenants/CoL/webhooks').set('Authorization', colAdmin).expect(200);
    expect(list.body.webhooks).toContainEqual({
      webhookId: res.body.webhookId,
      url: PUBLIC,
      events: ['SlaBreached', 'SlaWarningRaised'],
      registeredAt: expect.any(String),
      registeredBy: 'col-admin',
    });
    const one = await request(t.http).get(`/v1/tenants/CoL/webhooks/${res.body.webhookId}`).set('Authorization', colAdmin).expect(200);
    for (const text of [JSON.stringify(res.body), list.text, one.text]) expect(text).not.toContain(SECRET);
    const logged = JSON.stringify(await readWhole(t.app.get<EventStore>(EVENT_STORE), webhooksStream('CoL')), (_k, v) =>
      typeof v === 'bigint' ? String(v) : v,
    );
    expect(logged).not.toContain(SECRET);
    expect(logged).toContain('"sealed"');
  });

  it("is for admins of the tenant: no token 401, an operator 403, another tenant's admin 403", async () => {
    await request(t.http).post('/v1/tenants/CoL/webhooks').send(body()).expect(401);
    await register(t.auth({ roles: ['operator', 'reporter', 'auditor'], tenants: ['*'] }), 'CoL', body()).expect(403);
    await register(lbbAdmin, 'CoL', body()).expect(403);
    await request(t.http).get('/v1/tenants/CoL/webhooks').set('Authorization', lbbAdmin).expect(403);
    await request(t.http)
      .get('/v1/tenants/CoL/webhooks')
      .set('Authorization', t.auth({ roles: ['reporter'], tenants: ['CoL'] }))
      .expect(403);
  });

  it("answers another tenant's webhook exactly as an unknown one", async () => {
    const lbb = (await register(lbbAdmin, 'LBB', body()).expect(201)).body.webhookId as string;
    const unknown = '00000000-0000-4000-8000-000000000000';
    const strip = (r: request.Response) => ({ status: r.status, code: r.body.code, detail: String(r.body.detail).replace(lbb, 'ID').replace(unknown, 'ID') });
    for (const path of ['', '/deliveries']) {
      const theirs = await request(t.http).get(`/v1/tenants/CoL/webhooks/${lbb}${path}`).set('Authorization', colAdmin);
      const none = await request(t.http).get(`/v1/tenants/CoL/webhooks/${unknown}${path}`).set('Authorization', colAdmin);
      expect(strip(theirs)).toEqual(strip(none));
      expect(theirs.status).toBe(404);
    }
    await request(t.http).delete(`/v1/tenants/CoL/webhooks/${lbb}`).set('Authorization', colAdmin).expect(404);
    await request(t.http).get(`/v1/tenants/LBB/webhooks/${lbb}`).set('Authorization', lbbAdmin).expect(200);
  });

  it.each([
    ['not a URL', 'not a url', 'url'],
    ['plain http', 'http://93.184.216.34/hooks', 'scheme'],
    ['credentials in the URL', 'https://user:pw@93.184.216.34/hooks', 'credentials'],
    ['loopback', 'https://127.0.0.1/hooks', 'privateAddress'],
    ['loopback by name', 'https://localhost:8443/hooks', 'privateAddress'],
    ['IPv6 loopback', 'https://[::1]/hooks', 'privateAddress'],
    ['private (RFC 1918)', 'https://10.1.2.3/hooks', 'privateAddress'],
    ['private, IPv4-mapped', 'https://[::ffff:192.168.1.10]/hooks', 'privateAddress'],
    ['link-local (cloud metadata)', 'https://169.254.169.254/latest/meta-data', 'privateAddress'],
    ['loopback written as a number', 'https://2130706433/hooks', 'privateAddress'],
    ['unique-local IPv6', 'https://[fd00::1]/hooks', 'privateAddress'],
  ])('refuses %s: 422 naming url', async (_what, url, rule) => {
    const res = await register(colAdmin, 'CoL', body({ url })).expect(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'url', rule })]);
  });

  it('names the field and the rule of every other refusal', async () => {
    const named = async (b: object, status: number, field: string) => {
      const res = await register(colAdmin, 'CoL', b).expect(status);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await named({ ...body(), secret: undefined }, 400, 'secret');
    await named(body({ secret: 'short' }), 400, 'secret');
    await named(body({ events: [] }), 400, 'events');
    await named(body({ events: ['SlaBreached', 'SlaBreached'] }), 400, 'events');
    await named(body({ events: ['SlaBreach'] }), 422, 'events');
    await named(body({ extra: 1 }), 400, 'extra');
    const unknownTenant = await register(star, 'NOPE', body()).expect(404);
    expect(unknownTenant.body.code).toBe('TENANT.NOT_FOUND');
  });

  it('is idempotent with an Idempotency-Key; a reused key with another body is 422', async () => {
    const first = await register(colAdmin, 'CoL', body()).set('Idempotency-Key', 'hook-1').expect(201);
    const again = await register(colAdmin, 'CoL', body()).set('Idempotency-Key', 'hook-1').expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    await register(colAdmin, 'CoL', body({ secret: 'another-secret-of-enough-length' }))
      .set('Idempotency-Key', 'hook-1')
      .expect(422);
  });

  it('generated bodies, ids and queries: a 2xx or a 4xx problem, never a 5xx; a refusal appends nothing', async () => {
    const store = t.app.get<EventStore>(EVENT_STORE);
    const weird = fc.oneof(
      fc.jsonValue(),
      fc.string(),
      fc.constantFrom('https://[::1]/', 'https://0x7f.1/', 'https://93.184.216.34:99999/', 'javascript:alert(1)', '__proto__'),
    );
    const mutated = fc
      .array(fc.tuple(fc.constantFrom('url', 'events', 'secret', 'commandId', 'unknown', '__proto__'), fc.oneof(fc.constant(undefined), weird)), {
        maxLength: 3,
      })
      .map((edits) => {
        const b: Record<string, unknown> = body();
        for (const [k, v] of edits) {
          if (v === undefined) delete b[k];
          else Object.defineProperty(b, k, { value: v, enumerable: true, configurable: true, writable: true });
        }
        return b;
      });
    await fc.assert(
      fc.asyncProperty(mutated, async (b) => {
        const before = await store.headPosition();
        const res = await register(lbbAdmin, 'LBB', b);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(await store.headPosition()).toBe(before);
      }),
      { numRuns: 25 },
    );
    const id = fc.oneof(fc.string({ minLength: 1, maxLength: 60 }).map(encodeURIComponent), fc.uuid());
    const query = fc.array(
      fc.tuple(fc.constantFrom('status', 'limit', 'cursor', 'x'), fc.oneof(fc.string(), fc.constantFrom('failed', '0', '1001', 'eyJ4Ijox'))),
      { maxLength: 3 },
    );
    await fc.assert(
      fc.asyncProperty(id, id, query, async (hook, eventId, q) => {
        const qs = q.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        expect((await request(t.http).get(`/v1/tenants/LBB/webhooks/${hook}/deliveries?${qs}`).set('Authorization', lbbAdmin)).status).toBeLessThan(500);
        expect((await request(t.http).post(`/v1/tenants/LBB/webhooks/${hook}/deliveries/${eventId}/retry`).set('Authorization', lbbAdmin)).status).toBeLessThan(
          500,
        );
        expect((await request(t.http).delete(`/v1/tenants/LBB/webhooks/${hook}`).set('Authorization', lbbAdmin)).status).toBeLessThan(500);
      }),
      { numRuns: 15 },
    );
  }, 60_000);

  it('removes a webhook: 204, gone from the list, then 404', async () => {
    const id = (await register(colAdmin, 'CoL', body()).expect(201)).body.webhookId as string;
    await request(t.http).delete(`/v1/tenants/CoL/webhooks/${id}`).set('Authorization', colAdmin).expect(204);
    const list = await request(t.http).get('/v1/tenants/CoL/webhooks').set('Authorization', colAdmin).expect(200);
    expect(list.body.webhooks.map((w: { webhookId: string }) => w.webhookId)).not.toContain(id);
    await request(t.http).delete(`/v1/tenants/CoL/webhooks/${id}`).set('Authorization', colAdmin).expect(404);
    await request(t.http).get(`/v1/tenants/CoL/webhooks/${id}/deliveries`).set('Authorization', colAdmin).expect(404);
  });
});

describe('delivering in process', () => {
  let t: App;
  let clock: MovableClock;
  let receiver: WebhookReceiver;
  let admin: string;
  let operator: string;

  beforeAll(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
    clock = new MovableClock(Date.now());
    t = await startTestApp({ webhooks: true, webhooksAllowPrivate: true, webhookMaxAttempts: 2 }, clock);
    admin = t.auth({ sub: 'admin', roles: ['admin'], tenants: ['*'] });
    operator = t.auth({ roles: ['operator'], tenants: ['CoL'] });
    await seedCatalogue(t.http, admin);
  });
  afterAll(async () => {
    await t.stop();
    await receiver.stop();
  });

  it('parks a delivery after the failures allowed; an admin retries it; the ledger tells each step', async () => {
    const hook = (
      await request(t.http)
        .post('/v1/tenants/CoL/webhooks')
        .set('Authorization', admin)
        .send({ url: `${receiver.url}/col`, events: ['IncidentRaised'], secret: SECRET })
        .expect(201)
    ).body.webhookId;
    const ledger = async () =>
      (await request(t.http).get(`/v1/tenants/CoL/webhooks/${hook}/deliveries`).set('Authorization', admin).expect(200)).body.deliveries;
    const raised = await request(t.http)
      .post('/v1/tenants/CoL/tickets')
      .set('Authorization', operator)
      .send({
        ticketId: 'W1',
        kind: 'incident',
        priority: 'P3',
        serviceId: 'printing',
        title: 'Printer jam',
        description: 'd',
        reporter: 'r',
        channel: 'phone',
      })
      .expect(201);
    const eventId = raised.body.events[0].id as string;
    receiver.script(eventId, [500, 502, 200]);

    await waitFor(() => receiver.for(eventId).length === 1, 'the first attempt');
    await waitFor(async () => (await ledger())[0]?.attempts === 1, 'the first attempt in the ledger');
    expect((await ledger())[0]).toMatchObject({
      eventId,
      type: 'IncidentRaised',
      status: 'pending',
      attempts: 1,
      lastStatus: 500,
      nextAttemptAt: expect.any(String),
    });
    await request(t.http).post(`/v1/tenants/CoL/webhooks/${hook}/deliveries/${eventId}/retry`).set('Authorization', admin).expect(409);

    clock.advance(3_600_000); // past the backoff: no test waits for it
    await waitFor(async () => (await ledger())[0]?.status === 'failed', 'parked after two failures');
    expect((await ledger())[0]).toMatchObject({ status: 'failed', attempts: 2, lastStatus: 502, nextAttemptAt: null });

    await request(t.http)
      .post(`/v1/tenants/CoL/webhooks/${hook}/deliveries/${eventId}/retry`)
      .set('Authorization', t.auth({ roles: ['operator'], tenants: ['CoL'] }))
      .expect(403);
    await request(t.http)
      .post(`/v1/tenants/CoL/webhooks/${hook}/deliveries/00000000-0000-4000-8000-000000000000/retry`)
      .set('Authorization', admin)
      .expect(404);
    await request(t.http).post(`/v1/tenants/CoL/webhooks/${hook}/deliveries/${eventId}/retry`).set('Authorization', admin).expect(202);
    await waitFor(async () => (await ledger())[0]?.status === 'delivered', 'delivered after the retry');
    expect((await ledger())[0]).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 200, lastError: null, deliveredAt: expect.any(String) });

    const seen = receiver.for(eventId);
    expect(seen.map((r) => r.answered)).toEqual([500, 502, 200]);
    for (const r of seen) expect(verifyWebhookSignature(SECRET, r.timestamp, r.body, r.signature)).toBe(true);
    expect(JSON.parse(seen[2]!.body)).toMatchObject({
      eventId,
      type: 'IncidentRaised',
      tenantId: 'CoL',
      ticketId: 'W1',
      timeZone: 'Europe/London',
      data: { ticketId: 'W1' },
    });
  });
});
