import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { loadConfig } from '@itsm/config';
import { AuditCheckpointer } from '@itsm/event-audit';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { appendHistory, demoCatalogue, generateHistory, loadCatalogue } from '@itsm/simulation';
import { fixedClock } from '@itsm/test-kit';
import { runCli } from '../apps/cli/src/cli';
import { readPdf } from './support/pdf-text';

/** `itsm report --format pdf|xlsx --out FILE`: the committee pack from the command line, stamped. */
const dir = mkdtempSync(join(tmpdir(), 'itsm-cli-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function itsm(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write: (chunk, _e, done) => (append(String(chunk)), done()) });
  const config = { ...loadConfig({ ITSM_SQLITE_POSITIONS: process.env.ITSM_SQLITE_POSITIONS }), dataDir: dir };
  const code = await runCli(argv, { config, stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

beforeAll(async () => {
  const store = new SqliteEventStore({ filename: join(dir, 'itsm.sqlite') });
  await loadCatalogue(store, demoCatalogue(), new Date('2023-03-01T00:00:00Z'));
  await appendHistory(store, generateHistory(demoCatalogue(), { seed: 3, tickets: 120, from: '2023-07-01T00:00:00Z', days: 30 }), { seed: 3 });
  await new AuditCheckpointer(store, fixedClock('2023-08-01T00:00:00Z')).checkpoint();
  await store.close();
}, 30_000);

describe('itsm report --format pdf|xlsx', () => {
  it('writes the stamped PDF and XLSX of the month to the file named', async () => {
    const [built] = (await itsm('rebuild')).json();
    const { headGlobalHash, headPosition } = (await itsm('verify')).json();
    expect(headPosition).toBe(built.position);

    const pdfFile = join(dir, 'summary.pdf');
    const pdf = await itsm('report', '--tenant', 'LBB', '--month', '2023-07', '--format', 'pdf', '--out', pdfFile);
    expect([pdf.code, pdf.stdout]).toEqual([0, '']);
    const { text, pages } = await readPdf(readFileSync(pdfFile));
    expect(pages.map((p) => Math.round(p.width))).toEqual(pages.map(() => 595));
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('IT Service Delivery Summary — London Borough of Brent, July 2023');
    expect(flat).toContain(`log position ${built.position}`);
    expect(flat).toContain(headGlobalHash);

    const xlsxFile = join(dir, 'summary.xlsx');
    expect((await itsm('report', '--tenant', 'LBB', '--month', '2023-07', '--format', 'xlsx', '--out', xlsxFile)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(xlsxFile) as never);
    const about = Object.fromEntries(
      wb
        .getWorksheet('Summary')!
        .getSheetValues()
        .slice(2)
        .map((r) => (r as unknown[]).slice(1, 3)),
    );
    const json = (await itsm('report', '--tenant', 'LBB', '--month', '2023-07', '--format', 'json')).json();
    expect(about).toMatchObject({
      Tenant: 'LBB',
      Month: '2023-07',
      'Log position': built.position,
      'Global chain head hash': headGlobalHash,
      'P2 incidents': json.counts.P2,
    });
    expect(json.counts.P1 + json.counts.P2).toBeGreaterThan(0);
  });

  it('refuses another format with usage (exit 2)', async () => {
    const res = await itsm('report', '--tenant', 'LBB', '--format', 'docx');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--format must be md, html, json, pdf or xlsx');
  });
});
