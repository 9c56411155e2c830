import fc from 'fast-check';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '@itsm/event-store';
import { seedCatalogue } from './support/catalogue-seed';
import { startTestApp } from './support/test-app';

/**
 * Generated bodies, paths and query parameters against every command and query endpoint: never a
 * 5xx, and a refused request never leaves anything in the log. FUZZ_RUNS scales it (the soak runs
 * it long); npm test runs a short version.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
let t: Awaited<ReturnType<typeof startTestApp>>;
let store: EventStore;
let admin: string;
let operator: string;
let auditor: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = t.auth({ roles: ['admin'], tenants: ['*'] });
  operator = t.auth({ roles: ['operator'], tenants: ['CoL'] });
  auditor = t.auth({ roles: ['auditor', 'reporter'], tenants: ['CoL'] });
  store = t.app.get(EVENT_STORE);
  await seedCatalogue(t.http, admin);
  await request(t.http)
    .post('/v1/tenants/CoL/sla-policies')
    .set('Authorization', admin)
    .send({ template: 'city-of-london-2023', effectiveFrom: '2023-01-01T00:00:00Z' })
    .expect(201);
  for (const id of ['F1', 'F2', 'F3']) {
    await request(t.http)
      .post('/v1/tenants/CoL/tickets')
      .set('Authorization', operator)
      .send({ ticketId: id, kind: 'incident', priority: 'P3', serviceId: 'printing', title: 't', description: 'd', reporter: 'r', channel: 'phone' })
      .expect(201);
  }
});
afterAll(() => t.stop());

const instant = fc.oneof(
  fc.date({ min: new Date('2022-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.string(),
  fc.constant('2023-07-03T08:00:00Z'),
);
const weird = fc.oneof(fc.jsonValue(), fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), instant);

/** A valid body, then each field kept, dropped or replaced, plus unknown fields now and then. */
const mutate = (valid: Record<string, unknown>) =>
  fc
    .record({
      edits: fc.array(fc.tuple(fc.constantFrom(...Object.keys(valid), 'unknownField', '__proto__', 'constructor'), fc.oneof(fc.constant(undefined), weird)), {
        maxLength: 4,
      }),
    })
    .map(({ edits }) => {
      const body: Record<string, unknown> = { ...valid };
      for (const [k, v] of edits) {
        if (v === undefined) delete body[k];
        else Object.defineProperty(body, k, { value: v, enumerable: true, configurable: true, writable: true });
      }
      return body;
    });

const COMMANDS: Record<string, Record<string, unknown>> = {
  respond: { respondedBy: 'desk' },
  assign: { groupId: 'desktop', supplierId: 'konica' },
  priority: { priority: 'P2', reason: 'r' },
  hold: { reason: 'awaiting_customer', note: 'n' },
  resume: {},
  outages: { serviceId: 'printing', from: '2023-07-03T08:00:00Z', to: '2023-07-03T09:00:00Z' },
  resolve: { resolutionCode: 'fixed', rootCause: 'x', resolvedByGroupId: 'desktop', firstLineFix: false },
  reopen: { reason: 'again' },
  close: {},
  'major-incident': { reference: 'MIR1', tenantsAffected: ['CoL'], trigger: 'several_p1s' },
  feedback: { satisfaction: 4, nps: 9 },
  complaints: { description: 'slow' },
};
const RAISE = { ticketId: 'N1', kind: 'incident', priority: 'P3', serviceId: 'printing', title: 't', description: 'd', reporter: 'r', channel: 'phone' };
const ticketId = fc.oneof(fc.constantFrom('F1', 'F2', 'F3', 'NOPE'), fc.string({ minLength: 1, maxLength: 80 }).map(encodeURIComponent));

const commandRequest = fc.oneof(
  fc.record({
    path: fc.constant('/v1/tenants/CoL/tickets'),
    body: fc.oneof(mutate(RAISE), mutate({ ...RAISE, ticketId: 'N2', priority: undefined, impact: 2, urgency: 1 })),
    auth: fc.constant('operator'),
  }),
  ...Object.entries(COMMANDS).map(([name, valid]) =>
    fc.record({
      path: ticketId.map((id) => `/v1/tenants/CoL/tickets/${id}/${name}`),
      body: mutate({ ...valid, occurredAt: undefined }),
      auth: fc.constant('operator'),
    }),
  ),
  fc.record({
    path: fc.constant('/v1/services'),
    body: mutate({ serviceId: 'svc', name: 'S', tenantIds: ['CoL'], critical: false, ownership: 'it_owned', availabilityTargetPct: 99 }),
    auth: fc.constant('admin'),
  }),
  fc.record({ path: fc.constant('/v1/tenants'), body: mutate({ tenantId: 'NEW', name: 'New' }), auth: fc.constant('admin') }),
  fc.record({
    path: fc.constant('/v1/tenants/CoL/sla-policies'),
    body: mutate({ template: 'city-of-london-2023', effectiveFrom: '2024-01-01T00:00:00Z' }),
    auth: fc.constant('admin'),
  }),
);

const REPORTS = ['tickets', 'sla-performance', 'demand', 'aged-backlog', 'supplier-scorecards', 'service-availability', 'satisfaction', 'major-incidents'];
const queryParam = fc.tuple(
  fc.constantFrom(
    'from',
    'to',
    'month',
    'granularity',
    'by',
    'value',
    'days',
    'limit',
    'cursor',
    'sort',
    'order',
    'priority',
    'aged',
    'asOfPosition',
    'asOfRecorded',
    'asOf',
    'x',
  ),
  fc.oneof(fc.string(), fc.integer().map(String), fc.constantFrom('2023-07', '2023-07-03', 'quarter', '-1', '99999999999999999999')),
);
const queryRequest = fc.record({
  path: fc.oneof(
    fc.constantFrom(...REPORTS).map((r) => `/v1/tenants/CoL/reports/${r}`),
    ticketId.map((id) => `/v1/tenants/CoL/tickets/${id}`),
    ticketId.map((id) => `/v1/tenants/CoL/tickets/${id}/history`),
    ticketId.map((id) => `/v1/tenants/CoL/tickets/${id}/sla`),
  ),
  query: fc.array(queryParam, { maxLength: 4 }),
});

/** Hostile input (issue 16): bodies nested deep, compressed wrongly, too large; crafted cursors and instants; prototype names as paths. */
const nested = fc
  .tuple(fc.integer({ min: 1, max: 6000 }), fc.constantFrom('[', '{"a":'))
  .map(([depth, open]) => open.repeat(depth) + (open === '[' ? '' : '1') + (open === '[' ? ']' : '}').repeat(depth));
const hostileBody = fc.oneof(
  nested.map((text) => ({ text, encoding: undefined as string | undefined })),
  fc.record({ text: fc.string({ maxLength: 50 }), encoding: fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'zstd', 'identity', 'GZIP', 'x') }),
  fc
    .integer({ min: 200_000, max: 400_000 })
    .map((n) => ({ text: JSON.stringify({ ...RAISE, description: 'x'.repeat(n) }), encoding: undefined as string | undefined })),
);
const base64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const hostileQuery = fc.oneof(
  // A cursor whose sort value is an object or array (a MongoDB operator), or that is not a pair at all.
  fc
    .tuple(fc.oneof(fc.object(), fc.array(fc.jsonValue()), fc.constant({ $gt: 1 })), fc.jsonValue())
    .map(([value, id]) => `/v1/tenants/CoL/reports/tickets?cursor=${base64url([value, id])}`),
  fc
    .oneof(fc.object(), fc.string(), fc.integer(), fc.array(fc.jsonValue(), { minLength: 3 }))
    .map((v) => `/v1/tenants/CoL/reports/tickets?cursor=${base64url(v)}`),
  fc
    .tuple(
      fc.integer({ min: -1, max: 99999 }),
      fc.constantFrom('-W27-1', '-W53', '-184', '-02-30', '-07-32', '-13-01', '-07-03T25:00:00Z', '-07-03T09:00:00', '-07-03T09:00:00+99:00', '0101'),
    )
    .map(([y, rest]) => `/v1/tenants/CoL/reports/demand?asOfRecorded=${encodeURIComponent(`${y}${rest}`)}`),
  fc
    .constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf', 'prototype')
    .map((name) => `/dashboard/${name}`),
);

describe(`fuzz (${RUNS} runs per property)`, () => {
  it('hostile bodies, cursors, instants and paths: a 4xx problem, never a 5xx; nothing appended', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileBody.map((body) => ({ body, path: undefined })),
          hostileQuery.map((path) => ({ body: undefined, path })),
        ),
        async ({ body, path }) => {
          const before = await store.headPosition();
          const res = body
            ? await fetch(`${t.http}/v1/tenants/CoL/tickets`, {
                method: 'POST',
                headers: { authorization: operator, 'content-type': 'application/json', ...(body.encoding ? { 'content-encoding': body.encoding } : {}) },
                body: body.text,
              })
            : await fetch(`${t.http}${path}`, { headers: { authorization: auditor } });
          const text = await res.text();
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          expect(JSON.parse(text)).toMatchObject({ status: res.status, code: expect.any(String) });
          expect(await store.headPosition()).toBe(before);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });

  it('commands: never a 5xx; a refused command appends nothing', async () => {
    await fc.assert(
      fc.asyncProperty(commandRequest, fc.boolean(), async ({ path, body, auth }, rawText) => {
        const before = await store.headPosition();
        const req = request(t.http)
          .post(path)
          .set('Authorization', auth === 'admin' ? admin : operator);
        const res = rawText ? await req.set('Content-Type', 'application/json').send(JSON.stringify(body).slice(0, -1)) : await req.send(body);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.body).toMatchObject({ status: res.status, code: expect.any(String) });
          expect(await store.headPosition()).toBe(before);
        }
      }),
      { numRuns: RUNS * 4 },
    );
  });

  it('queries: never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(queryRequest, async ({ path, query }) => {
        const qs = query.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        const res = await request(t.http)
          .get(`${path}${qs ? `?${qs}` : ''}`)
          .set('Authorization', auditor);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
