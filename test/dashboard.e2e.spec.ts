import request from 'supertest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { EVENT_STORE, type EventStore } from '@itsm/event-store';
import { Projector } from '@itsm/projections';
import { appendHistory, demoCatalogue, generateHistory, loadCatalogue } from '@itsm/simulation';
import { MovableClock } from '@itsm/test-kit';
import { CHROMIUM_ARGS, ensureChromium } from './support/chromium';
import { startTestApp } from './support/test-app';

const browserAvailable = ensureChromium();
if ('skipped' in browserAvailable) console.warn(`SKIPPED: dashboard browser test: ${browserAvailable.skipped}`);
const describeWithBrowser = 'path' in browserAvailable ? describe : describe.skip;

const HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1">';

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
    // The oldest open P1 of CoL, so the most urgent at risk: its title is hostile markup.
    await request(t.http)
      .post('/v1/tenants/CoL/tickets')
      .set('Authorization', t.auth({ roles: ['operator'], tenants: ['CoL'] }))
      .send({
        ticketId: 'XSS-1',
        kind: 'incident',
        priority: 'P1',
        serviceId: 'email',
        title: HOSTILE,
        description: 'd',
        reporter: 'r',
        channel: 'phone',
        occurredAt: '2023-05-02T09:00:00Z',
      })
      .expect(201);
    await t.app.get(Projector).catchUp();
    token = t.auth({ sub: 'dash', roles: ['reporter', 'auditor'], tenants: ['*'] }).slice('Bearer '.length);
    browser = await chromium.launch({ executablePath: (browserAvailable as { path: string }).path, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('request', (r) => requested.push(r.url()));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const summary = async (tenant: string, month: string) =>
    (await request(t.http).get(`/v1/tenants/${tenant}/reports/service-delivery-summary?month=${month}`).set('Authorization', `Bearer ${token}`).expect(200))
      .body;

  it('shows the same figures as the API, and saves a screenshot', async () => {
    await page.goto(`${t.http}/dashboard#token=${token}&tenant=CoL&month=2023-07`);
    await page.waitForSelector('body[data-loaded^="CoL/2023-07/"]', { timeout: 15_000 });
    const api = await summary('CoL', '2023-07');
    expect(await page.textContent('#count-P1')).toBe(String(api.counts.P1));
    expect(await page.textContent('#count-P2')).toBe(String(api.counts.P2));
    const gauges = await page.$$eval('.gauge', (els) =>
      els.map((e) => [e.getAttribute('data-ref'), e.getAttribute('data-value'), e.querySelector('.gauge-value')?.textContent]),
    );
    expect(gauges.length).toBeGreaterThan(4);
    expect(gauges).toEqual(
      api.charts.gauges.map((g: { reference: string; actual: number | null }) => [
        g.reference,
        g.actual === null ? '' : String(g.actual),
        g.actual === null ? '—' : `${g.actual}%`,
      ]),
    );
    expect(await page.$$eval('#incidents tr', (rows) => rows.length - 1)).toBe(api.priorityIncidents.length);
    expect(await page.$$eval('#summary li', (lis) => lis.map((li) => li.textContent))).toEqual(api.summary);
    expect(await page.locator('#trend svg').count()).toBe(1);
    await page.screenshot({ path: 'test/output/dashboard.png', fullPage: true });
  }, 60_000);

  const get = async (path: string) => (await request(t.http).get(path).set('Authorization', `Bearer ${token}`).expect(200)).body;

  it('shows the tickets at risk now as the queue answers them, most urgent first, operator text as text', async () => {
    await page.waitForSelector('#at-risk-panel[data-loaded^="CoL/"]', { timeout: 15_000 });
    const queue = await get('/v1/tenants/CoL/queue?atRisk=true&limit=25');
    expect(queue.counts.atRisk).toBeGreaterThan(1);
    const rows = await page.$$eval('#at-risk tr', (trs) => trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map((r) => r[0])).toEqual(queue.items.map((i: { ticketId: string }) => i.ticketId));
    expect(rows[0]?.slice(0, 4)).toEqual(['XSS-1', 'P1', HOSTILE, 'unassigned']);
    expect(await page.textContent('#at-risk-summary')).toContain(`${queue.counts.atRisk} at risk of ${queue.counts.open} open`);
    const groups = await page.$$eval('#at-risk-groups tr', (trs) => trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(groups).toEqual(
      queue.counts.byGroup.map((g: { groupId: string | null; open: number; unassigned: number; onHold: number; atRisk: number }) => [
        g.groupId ?? 'unassigned',
        ...[g.open, g.unassigned, g.onHold, g.atRisk].map(String),
      ]),
    );
    expect(await page.locator('#at-risk img').count()).toBe(0);
    expect(await page.$eval('body', (body) => body.getAttribute('data-pwned'))).toBeNull();
  }, 60_000);

  it('opens a ticket from its id: state, clocks explained and history, as the API answers them', async () => {
    await page.click('#at-risk a.ticket-link[data-ticket="XSS-1"]');
    await page.waitForSelector('#ticket-detail[data-ticket="XSS-1"]', { timeout: 15_000 });
    const [ticket, sla, history] = await Promise.all([
      get('/v1/tenants/CoL/tickets/XSS-1'),
      get('/v1/tenants/CoL/tickets/XSS-1/sla'),
      get('/v1/tenants/CoL/tickets/XSS-1/history'),
    ]);
    expect(await page.textContent('#ticket-heading')).toBe(`Ticket XSS-1: ${HOSTILE}`);
    const state = Object.fromEntries(
      await page.$$eval('#ticket-state tr', (trs) => trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))),
    );
    expect(state).toMatchObject({ Status: ticket.status, Priority: 'P1', Service: 'email', Revision: ticket.revision });
    const clocks = await page.$$eval('#ticket-clocks tr', (trs) => trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(clocks.map((c) => [c[0], c[4]])).toEqual(
      sla.clocks.map((c: { metric: string; reference: string; state: string }) => [`${c.metric} (${c.reference})`, c.state]),
    );
    expect(await page.textContent('#ticket-policy')).toContain(`SLA policy version ${sla.policy.version}`);
    expect(await page.$$eval('#ticket-recorded tr', (trs) => trs.length - 1)).toBe(sla.recorded.length);
    const facts = await page.$$eval('#ticket-history tr', (trs) => trs.slice(1).map((tr) => tr.querySelectorAll('td')[1].textContent));
    expect(facts).toEqual(history.map((e: { type: string }) => e.type));
    expect(await page.locator('#ticket-detail img').count()).toBe(0);
    expect(page.url()).toContain('ticket=XSS-1');
  }, 60_000);

  it('opens the ticket a link names; without a role that reads history, says so', async () => {
    const reporter = t.auth({ sub: 'dash', roles: ['reporter'], tenants: ['CoL'] }).slice('Bearer '.length);
    const fresh = await browser.newPage();
    await fresh.goto(`${t.http}/dashboard#token=${reporter}&tenant=CoL&month=2023-07&ticket=XSS-1`);
    await fresh.waitForSelector('#ticket-detail[data-ticket="XSS-1"]', { timeout: 15_000 });
    expect(await fresh.textContent('#ticket-history-note')).toMatch(/^History not shown: 403 /);
    expect(await fresh.$$eval('#ticket-clocks tr', (trs) => trs.length - 1)).toBeGreaterThan(0);
    await fresh.close();
  }, 60_000);

  it('links every ticket id of the P1/P2 table to its detail', async () => {
    const links = await page.$$eval('#incidents tr', (trs) => trs.slice(1).map((tr) => tr.querySelector('td a.ticket-link')?.getAttribute('data-ticket')));
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    await page.click(`#incidents a.ticket-link[data-ticket="${links[0]}"]`);
    await page.waitForSelector(`#ticket-detail[data-ticket="${links[0]}"]`, { timeout: 15_000 });
    const ticket = await get(`/v1/tenants/CoL/tickets/${links[0]}`);
    expect(await page.textContent('#ticket-heading')).toBe(`Ticket ${links[0]}: ${ticket.title}`);
    await page.click('#ticket-close');
    expect(await page.isHidden('#ticket-detail')).toBe(true);
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
