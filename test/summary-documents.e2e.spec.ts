import ExcelJS from 'exceljs';
import request from 'supertest';
import { Projector } from '@itsm/projections';
import { MovableClock } from '@itsm/test-kit';
import { startTestApp } from './support/test-app';
import { seedCatalogue } from './support/catalogue-seed';
import { readPdf } from './support/pdf-text';

/**
 * The committee pack over HTTP: the tenant's and the group's monthly summary as PDF and XLSX
 * (format= or Accept), stamped with the position the figures were built at and the global chain's
 * head hash there, refused exactly as the JSON summary is.
 */
const T0 = Date.parse('2023-07-03T08:00:00Z');
const MIN = 60_000;
const iso = (m: number) => new Date(T0 + m * MIN).toISOString();
const PDF = 'application/pdf';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let t: Awaited<ReturnType<typeof startTestApp>>;
let clock: MovableClock;
let star: string;
let cityReader: string;
let colReader: string;
let auditor: string;

beforeAll(async () => {
  clock = new MovableClock(T0);
  t = await startTestApp({}, clock);
  star = t.auth({ sub: 'admin', roles: ['admin'], tenants: ['*'] });
  cityReader = t.auth({ roles: ['reporter', 'operator'], tenants: ['CoL', 'CoLP'] });
  colReader = t.auth({ roles: ['reporter'], tenants: ['CoL'] });
  auditor = t.auth({ roles: ['auditor'], tenants: ['CoL'] });
  await seedCatalogue(t.http, star);
  for (const tenant of ['CoL', 'CoLP'])
    await request(t.http)
      .post(`/v1/tenants/${tenant}/sla-policies`)
      .set('Authorization', star)
      .send({ template: 'city-of-london-2023', effectiveFrom: '2023-01-01T00:00:00Z' })
      .expect(201);
  await request(t.http)
    .post('/v1/tenant-groups')
    .set('Authorization', star)
    .send({ groupId: 'city', name: 'City of London', tenantIds: ['CoL', 'CoLP'] })
    .expect(201);
  const cmd = async (tenant: string, path: string, body: object, minute: number) => {
    clock.set(T0 + minute * MIN);
    const res = await request(t.http)
      .post(`/v1/tenants/${tenant}/tickets${path}`)
      .set('Authorization', cityReader)
      .send({ ...body, occurredAt: iso(minute) });
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const raise = (ticketId: string) => ({
    ticketId,
    kind: 'incident',
    priority: 'P1',
    serviceId: 'printing',
    title: '=1+1 printers down',
    description: 'd',
    reporter: 'r',
    channel: 'phone',
  });
  await cmd('CoL', '', raise('R1'), 0);
  await cmd('CoL', '/R1/respond', { respondedBy: 'desk' }, 10);
  await cmd('CoL', '/R1/resolve', { resolutionCode: 'fixed', rootCause: '@spooler', resolvedByGroupId: 'desktop', firstLineFix: false }, 90);
  await cmd('CoLP', '', raise('R7'), 30);
  await cmd('CoLP', '/R7/resolve', { resolutionCode: 'fixed', rootCause: 'spooler', resolvedByGroupId: 'desktop', firstLineFix: false }, 400);
  await t.app.get(Projector).catchUp();
  clock.set(Date.parse('2023-08-10T09:00:00Z'));
}, 60_000);
afterAll(() => t.stop());

/** A GET whose body is kept as bytes, whatever its type. */
const fetch = (auth: string | null, path: string, accept?: string) => {
  let req = request(t.http).get(path);
  if (auth) req = req.set('Authorization', auth);
  if (accept) req = req.set('Accept', accept);
  return req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
};
/** What a refusal says, whatever was asked for. */
const refusal = (res: request.Response) => {
  const { instance: _instance, ...body } = JSON.parse((res.body as Buffer).toString('utf8'));
  return { status: res.status, body };
};
const summaryOf = (tenant: string) => `/v1/tenants/${tenant}/reports/service-delivery-summary?month=2023-07`;
const GROUP = '/v1/tenant-groups/city/reports/service-delivery-summary?month=2023-07';

async function sheets(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as never);
  return wb;
}
const stampOf = (wb: ExcelJS.Workbook) =>
  Object.fromEntries(
    wb
      .getWorksheet('Summary')!
      .getSheetValues()
      .slice(2)
      .map((r) => (r as unknown[]).slice(1, 3)),
  );

describe('the tenant summary as PDF and XLSX', () => {
  it('answers a stamped A4 PDF for format=pdf, and for Accept: application/pdf', async () => {
    const res = await fetch(colReader, `${summaryOf('CoL')}&format=pdf`).expect(200);
    expect(res.headers['content-type']).toBe(PDF);
    expect(res.headers['content-disposition']).toBe('attachment; filename="service-delivery-summary-CoL-2023-07.pdf"');
    const position = res.headers['x-log-position'];
    // At the head of the log, the stamp is the hash an auditor's verify reports.
    const verified = (await request(t.http).get('/v1/tenants/CoL/audit/verify').set('Authorization', auditor).expect(200)).body;
    expect(verified.headPosition).toBe(position);
    expect(res.headers['x-head-global-hash']).toBe(verified.headGlobalHash);
    const pdf = await readPdf(res.body);
    expect(pdf.pages.map((p) => [Math.round(p.width), Math.round(p.height)])).toEqual(pdf.pages.map(() => [595, 842]));
    const text = pdf.text.replace(/\s+/g, ' ');
    expect(text).toContain('IT Service Delivery Summary — City of London Corporation, July 2023');
    expect(text).toContain(`log position ${position}`);
    expect(text).toContain(verified.headGlobalHash);
    expect(text).toContain('There was 1 P1 incident for City of London Corporation.');
    expect(text).toContain('@spooler');

    const accepted = await fetch(colReader, summaryOf('CoL'), PDF).expect(200);
    expect(accepted.headers['content-type']).toBe(PDF);
    expect((accepted.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('answers an XLSX workbook for Accept (or format=xlsx) whose figures are the JSON summary’s', async () => {
    const json = (await request(t.http).get(summaryOf('CoL')).set('Authorization', colReader).expect(200)).body;
    const res = await fetch(colReader, summaryOf('CoL'), XLSX).expect(200);
    expect(res.headers['content-type']).toBe(XLSX);
    const wb = await sheets(res.body);
    expect(stampOf(wb)).toMatchObject({ 'Log position': json.logPosition, 'Global chain head hash': res.headers['x-head-global-hash'], 'P1 incidents': 1 });
    const levels = wb.getWorksheet('Service levels')!.getSheetValues().slice(2) as unknown[][];
    const im1 = json.metrics.find((m: { reference: string }) => m.reference === 'IM1');
    expect(
      levels
        .find((r) => r[1] === 'IM1')!
        .slice(7, 8)
        .concat(levels.find((r) => r[1] === 'IM1')!.slice(10, 12)),
    ).toEqual([im1.actual, im1.met, im1.total]);
    const incidents = wb.getWorksheet('P1 and P2 incidents')!.getSheetValues().slice(2) as unknown[][];
    // Operators' text starting a formula is written neutralised, as the CSV writer does.
    expect(incidents.map((r) => [r[1], r[6], r[7]])).toEqual([['R1', "'=1+1 printers down", "'@spooler"]]);
    expect((await fetch(colReader, `${summaryOf('CoL')}&format=xlsx`).expect(200)).headers['content-type']).toBe(XLSX);
  });

  it('as of a position: stamped with that position, and byte for byte the same each time (dated by the replay, not the clock)', async () => {
    const head = await fetch(colReader, `${summaryOf('CoL')}&format=pdf`).expect(200);
    const position = head.headers['x-log-position'];
    await request(t.http)
      .post('/v1/tenants/CoL/tickets')
      .set('Authorization', cityReader)
      .send({ ticketId: 'R9', kind: 'incident', priority: 'P2', serviceId: 'printing', title: 'later', description: 'd', reporter: 'r', channel: 'phone' })
      .expect(201);
    const [a, b] = [
      await fetch(colReader, `${summaryOf('CoL')}&format=pdf&asOfPosition=${position}`).expect(200),
      await fetch(colReader, `${summaryOf('CoL')}&format=pdf&asOfPosition=${position}`).expect(200),
    ];
    expect(a.headers['x-log-position']).toBe(position);
    expect(a.headers['x-head-global-hash']).toBe(head.headers['x-head-global-hash']);
    expect((a.body as Buffer).equals(b.body)).toBe(true);
  });

  it('is refused exactly as the JSON summary is', async () => {
    const cases: Array<[string | null, string]> = [
      [null, summaryOf('CoL')], // no token
      [colReader, summaryOf('LBB')], // another tenant
      [star, summaryOf('CoL')], // a role without reports
      [colReader, `${summaryOf('CoL')}&asOfPosition=x`],
    ];
    for (const [auth, path] of cases) {
      const json = refusal(await fetch(auth, path));
      expect(json.status).toBeGreaterThanOrEqual(400);
      for (const format of ['pdf', 'xlsx']) expect(refusal(await fetch(auth, `${path}&format=${format}`))).toEqual(json);
      expect(refusal(await fetch(auth, path, PDF))).toEqual(json);
    }
    const bad = refusal(await fetch(colReader, `${summaryOf('CoL')}&format=docx`));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ field: 'format', rule: 'isIn' });
  });
});

describe('the group summary as PDF and XLSX', () => {
  it('answers both, stamped, with every member', async () => {
    const pdf = await fetch(cityReader, `${GROUP}&format=pdf`).expect(200);
    expect(pdf.headers['content-type']).toBe(PDF);
    expect(pdf.headers['content-disposition']).toBe('attachment; filename="service-delivery-summary-city-2023-07.pdf"');
    const text = (await readPdf(pdf.body)).text.replace(/\s+/g, ' ');
    expect(text).toContain('IT Service Delivery Summary — City of London, July 2023');
    expect(text).toContain(`log position ${pdf.headers['x-log-position']}`);
    expect(text).toContain(pdf.headers['x-head-global-hash']);
    const xlsx = await fetch(cityReader, GROUP, XLSX).expect(200);
    expect(xlsx.headers['content-type']).toBe(XLSX);
    const wb = await sheets(xlsx.body);
    expect(stampOf(wb)).toMatchObject({
      Group: 'city',
      'Log position': xlsx.headers['x-log-position'],
      'Global chain head hash': xlsx.headers['x-head-global-hash'],
    });
    expect(wb.getWorksheet('P1 and P2 counts')!.getSheetValues().slice(1)).toEqual([
      [undefined, 'Priority', 'CoL', 'CoLP', 'Group'],
      [undefined, 'P1', 1, 1, 2],
      [undefined, 'P2', 0, 0, 0],
    ]);
  });

  it('is hidden exactly as the JSON summary is: a reader of one member, or an unknown group, gets 404', async () => {
    for (const path of [GROUP, '/v1/tenant-groups/nothing/reports/service-delivery-summary?month=2023-07']) {
      const json = refusal(await fetch(colReader, path));
      expect(json.status).toBe(404);
      for (const format of ['pdf', 'xlsx']) expect(refusal(await fetch(colReader, `${path}&format=${format}`))).toEqual(json);
      expect(refusal(await fetch(colReader, path, XLSX))).toEqual(json);
    }
  });
});
