import request from 'supertest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { EVENT_STORE, type EventStore } from '@itsm/event-store';
import { Projector } from '@itsm/projections';
import { appendHistory, demoCatalogue, generateHistory, loadCatalogue } from '@itsm/simulation';
import { CHROMIUM_ARGS, ensureChromium } from './support/chromium';
import { MovableClock } from './support/movable-clock';
import { startTestApp } from './support/test-app';

const browserAvailable = ensureChromium();
if ('skipped' in browserAvailable) console.warn(`SKIPPED: dashboard browser test: ${browserAvailable.skipped}`);
const describeWithBrowser = 'path' in browserAvailable ? describe : describe.skip;

describeWithBrowser('the dashboard in headless Chromium, on demo data', () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let browser: Browser;
  let page: Page;
  let token: string;
  const requested: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({}, new MovableClock(Date.parse('2023-09-20T12:00:00Z')));
    const store = t.app.get<EventStore>(EVENT_STORE);
    await loadCatalogue(store, demoCatalogue(), new Date('2023-05-01T00:00:00Z'));
    await appendHistory(store, generateHistory(demoCatalogue(), { seed: 3, tickets: 600, from: '2023-06-01T00:00:00Z', days: 100 }), { seed: 3 });
    await t.app.get(Projector).catchUp();
    token = t.auth({ sub: 'dash', roles: ['reporter'], tenants: ['*'] }).slice('Bearer '.length);
    browser = await chromium.launch({ executablePath: (browserAvailable as { path: string }).path, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('request', (r) => requested.push(r.url()));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const summary = async (tenant: string, month: string) =>
    (await request(t.http).get(`/v1/tenants/${tenant}/reports/service-delivery-summary?month=${month}`).set('Authorization', `Bearer ${token}`).expect(200)).body;

  it('shows the same figures as the API, and saves a screenshot', async () => {
    await page.goto(`${t.http}/dashboard#token=${token}&tenant=CoL&month=2023-07`);
    await page.waitForSelector('body[data-loaded^="CoL/2023-07/"]', { timeout: 15_000 });
    const api = await summary('CoL', '2023-07');
    expect(await page.textContent('#count-P1')).toBe(String(api.counts.P1));
    expect(await page.textContent('#count-P2')).toBe(String(api.counts.P2));
    const gauges = await page.$$eval('.gauge', (els) => els.map((e) => [e.getAttribute('data-ref'), e.getAttribute('data-value'), e.querySelector('.gauge-value')?.textContent]));
    expect(gauges.length).toBeGreaterThan(4);
    expect(gauges).toEqual(api.charts.gauges.map((g: { reference: string; actual: number | null }) => [g.reference, g.actual === null ? '' : String(g.actual), g.actual === null ? '—' : `${g.actual}%`]));
    expect(await page.$$eval('#incidents tr', (rows) => rows.length - 1)).toBe(api.priorityIncidents.length);
    expect(await page.$$eval('#summary li', (lis) => lis.map((li) => li.textContent))).toEqual(api.summary);
    expect(await page.locator('#trend svg').count()).toBe(1);
    await page.screenshot({ path: 'test/output/dashboard.png', fullPage: true });
  }, 60_000);

  it('follows the tenant picker; loads nothing from outside the API', async () => {
    await page.selectOption('#tenant', 'LBB');
    await page.waitForSelector('body[data-loaded^="LBB/2023-07/"]', { timeout: 15_000 });
    const api = await summary('LBB', '2023-07');
    expect(await page.textContent('#count-P2')).toBe(String(api.counts.P2));
    expect(await page.textContent('#title')).toBe('London Borough of Brent, July 2023');
    expect(requested.every((u) => u.startsWith(t.http))).toBe(true);
  }, 60_000);

  it('asks for a token when it has none', async () => {
    const fresh = await browser.newPage();
    await fresh.goto(`${t.http}/dashboard`);
    await fresh.waitForSelector('#login:not([hidden])');
    await fresh.close();
  });
});
