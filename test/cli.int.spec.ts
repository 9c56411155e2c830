import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '@itsm/config';
import { AuditCheckpointer } from '@itsm/event-audit';
import { recordedAtOf } from '@itsm/event-store';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { dumpReadModels, physicalCollection, reportsProjection } from '@itsm/projections';
import { SqliteReadStore } from '@itsm/read-store-sqlite';
import { appendHistory, demoCatalogue, generateHistory, loadCatalogue } from '@itsm/simulation';
import { sharedIct2019 } from '@itsm/domain';
import { runCli } from '../apps/cli/src/cli';

const dirs: string[] = [];
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'itsm-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs the CLI on a data folder, capturing what it prints. */
async function itsm(dir: string, ...argv: string[]) {
  return itsmWith({}, dir, ...argv);
}

async function itsmWith(env: NodeJS.ProcessEnv, dir: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write: (chunk, _e, done) => (append(String(chunk)), done()) });
  const config = { ...loadConfig({ ITSM_SQLITE_POSITIONS: process.env.ITSM_SQLITE_POSITIONS, ...env }), dataDir: dir };
  const code = await runCli(argv, { config, stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

async function readModels(dir: string): Promise<string> {
  const reads = new SqliteReadStore(join(dir, 'read-models.sqlite'));
  const projection = reportsProjection();
  let out = '';
  for await (const line of dumpReadModels(reads, projection, (c) => physicalCollection(c, projection.version))) out += line;
  await reads.close();
  return out;
}

describe('CLI: export, import into a fresh store, rebuild, verify', () => {
  const original = dataDir();
  const copy = dataDir();
  const file = join(original, 'export.ndjson');

  beforeAll(async () => {
    const store = new SqliteEventStore({ filename: join(original, 'itsm.sqlite') });
    await loadCatalogue(store, demoCatalogue(), new Date('2023-03-01T00:00:00Z'));
    await appendHistory(store, generateHistory(demoCatalogue(), { seed: 11, tickets: 400, from: '2023-04-03T00:00:00Z', days: 60 }), { seed: 11 });
    await new AuditCheckpointer(store).checkpoint();
    await store.close();
  });

  it('gives read models identical byte for byte, and the same chain head', async () => {
    const built = await itsm(original, 'rebuild');
    expect(built.code).toBe(0);
    const [first] = built.json();
    expect(first).toMatchObject({ projection: 'reports', readModels: { documents: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(first.readModels.documents).toBeGreaterThan(400);

    expect((await itsm(original, 'export', '--out', file)).code).toBe(0);
    const imported = await itsm(copy, 'import', file);
    expect(imported.json()).toMatchObject({
      written: readFileSync(file, 'utf8').trim().split('\n').length,
      skipped: 0,
      positionsKept: true,
      headPosition: first.position,
    });

    const rebuilt = await itsm(copy, 'rebuild', 'reports');
    expect(rebuilt.json()[0].readModels).toEqual(first.readModels);
    expect(await readModels(copy)).toBe(await readModels(original));

    const [a, b] = [await itsm(original, 'verify'), await itsm(copy, 'verify')];
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(b.json()).toMatchObject({ ok: true, checkpointsChecked: 1, headGlobalHash: a.json().headGlobalHash });
  });

  it('a second import of the same file writes nothing', async () => {
    expect((await itsm(copy, 'import', file)).json()).toMatchObject({ written: 0, skipped: expect.any(Number) });
  });

  it('verify exits 1 and names the place when the copy is tampered with', async () => {
    const store = new SqliteEventStore({ filename: join(copy, 'itsm.sqlite') });
    store.database
      .prepare(
        "UPDATE events SET data = replace(data, 'P4', 'P3') WHERE position = (SELECT min(position) FROM events WHERE type = 'IncidentRaised' AND data LIKE '%\"P4\"%')",
      )
      .run();
    await store.close();
    const res = await itsm(copy, 'verify');
    expect(res.code).toBe(1);
    expect(res.json().firstBreak).toMatchObject({ kind: 'event_altered', streamId: expect.stringMatching(/^incident-/) });
    expect(res.stderr).toMatch(/^verify: BROKEN at position \d+/);
  });

  it('exports one tenant only, and reports stats', async () => {
    const res = await itsm(original, 'export', '--tenant', 'LBB');
    const lines = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(100);
    expect(new Set(lines.map((l) => l.metadata.tenantId))).toEqual(new Set(['LBB']));
    const stats = (await itsm(original, 'stats')).json();
    expect(stats).toMatchObject({
      eventStore: 'sqlite',
      readStore: 'sqlite',
      streamsByKind: { tenant: 5, incident: 400 },
      projections: [{ name: `reports@v${reportsProjection().version}`, lag: 0 }],
    });
    expect(stats.events).toBe(readFileSync(file, 'utf8').trim().split('\n').length);
  });

  it('bad usage exits 2 with the reason', async () => {
    const res = await itsm(original, 'export', '--from', 'yesterday');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--from must be an ISO 8601 instant');
    expect((await itsm(original, 'rebuild', 'nonsense')).stderr).toContain('unknown projection nonsense');
    expect((await itsm(original, 'frobnicate')).code).toBe(2);
  });
});

describe('CLI: demo and the monthly report', () => {
  const dir = dataDir();
  // The demo's "now" is pinned (the wall clock must never decide what a test sees), early on a
  // Monday: raises generated over the weekend move to working hours, which must not pass it.
  const NOW = '2026-06-22T02:00:00.000Z';
  const demoArgs = ['demo', '--months', '2', '--tickets', '300', '--seed', '5', '--now', NOW];

  it('loads the catalogue and tickets through the command path, idempotently, dating nothing after its now', async () => {
    const first = await itsm(dir, ...demoArgs);
    expect(first.code).toBe(0);
    const loaded = first.json();
    expect(loaded).toMatchObject({ tenants: ['CoL', 'CoLP', 'LBB', 'LBL', 'LBS'], tickets: 300, alreadyThere: 0 });
    expect(loaded.appended).toBeGreaterThan(1200);
    expect(loaded.to).toBe(NOW);
    const again = (await itsm(dir, ...demoArgs)).json();
    expect(again).toMatchObject({ appended: 0, headPosition: loaded.headPosition });
    const verified = await itsm(dir, 'verify');
    expect(verified.code).toBe(0);
    // Checkpoints recorded as it went, so a later edit is located within a few hundred events.
    expect(verified.json().checkpointsChecked).toBeGreaterThanOrEqual(Math.floor(loaded.commands / 500));
    const exported = join(dir, 'demo.ndjson');
    expect((await itsm(dir, 'export', '--out', exported)).code).toBe(0);
    const occurred = readFileSync(exported, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).data.occurredAt as string | undefined)
      .filter((t): t is string => !!t);
    expect(occurred.length).toBeGreaterThan(1200);
    expect(occurred.filter((t) => Date.parse(t) > Date.parse(NOW))).toEqual([]);
    expect((await itsm(dir, 'demo', '--now', 'yesterday')).stderr).toContain('--now must be an ISO 8601 instant');
  });

  it('report: the summary of last month, stating the position it was built at', async () => {
    const [rebuilt] = (await itsm(dir, 'rebuild')).json();
    const month = '2026-05';
    const json = (await itsm(dir, 'report', '--tenant', 'LBB', '--month', month, '--format', 'json')).json();
    expect(json).toMatchObject({ tenantId: 'LBB', tenantName: 'London Borough of Brent', month, logPosition: rebuilt.position });
    // The Shared ICT policy names its targets by priority only: a borough's page prints no City of
    // London codes, and its measures say what they count in the policy's units.
    expect(json.metrics.map((m: { reference: string | null }) => m.reference)).toEqual(json.metrics.map(() => null));
    expect(json.metrics.map((m: { measure: string }) => m.measure)).toEqual(
      expect.arrayContaining(['P3 incidents resolved within 2 working days', 'Incidents fixed by the service desk at first line']),
    );
    const col = (await itsm(dir, 'report', '--tenant', 'CoL', '--month', month, '--format', 'json')).json();
    expect(col.metrics.map((m: { reference: string }) => m.reference)).toEqual(expect.arrayContaining(['SD5', 'SD6', 'IM3', 'IM4', 'SRM1']));
    expect(json.demand.at(-1).incidents.P4).toBeGreaterThan(10);
    const md = await itsm(dir, 'report', '--tenant', 'LBB', '--month', month);
    expect(md.stdout).toContain('# IT Service Delivery Summary — London Borough of Brent, May 2026\n');
    expect((await itsm(dir, 'report', '--month', month)).code).toBe(2);
  });
});

describe('CLI: import a ServiceNow event log', () => {
  const dir = dataDir();
  const csv = join(__dirname, '..', 'libs', 'migration', 'test', 'fixtures', 'servicenow-sample.csv');

  it('imports, reports bad rows by line, and compares made_sla', async () => {
    const store = new SqliteEventStore({ filename: join(dir, 'itsm.sqlite') });
    const tenant = { ...demoCatalogue().tenants[0]!, tenantId: 'SNX', name: 'Migrant' };
    await loadCatalogue(
      store,
      { tenants: [tenant], suppliers: [], services: [], groups: [], policies: [sharedIct2019('SNX', '2010-01-01T00:00:00Z')] },
      new Date('2010-01-01T00:00:00Z'),
    );
    await store.close();
    const res = await itsm(dir, 'import', 'servicenow-log', csv, '--tenant', 'SNX');
    expect(res.code).toBe(0);
    expect(res.json()).toMatchObject({ rows: 22, incidents: 3, commands: { refused: 0 } });
    expect(res.json().sla).toEqual({
      required: true,
      historyStartsAt: '2016-03-01T09:00:00.000Z',
      firstIncident: 'INC0000001',
      earliestPolicyFrom: '2010-01-01T00:00:00.000Z',
      incidentsWithoutPolicy: 0,
    });
    expect(res.stderr).toContain('5 row(s) skipped and 0 command(s) refused');
    expect((await itsm(dir, 'import', 'servicenow-log', csv, '--tenant', 'SNX')).json().commands.appended).toBe(0);
    const report = (await itsm(dir, 'import', 'report', '--tenant', 'SNX')).json();
    expect(report.totals).toMatchObject({ incidents: 3, agree: 2, disagree: 1 });
    expect((await itsm(dir, 'import', 'servicenow-log', csv)).code).toBe(2);
  });

  it('records each imported fact when the import ran (as the store does), not at its 2016 time', async () => {
    const store = new SqliteEventStore({ filename: join(dir, 'itsm.sqlite') });
    const imported = [];
    for await (const e of store.readAll()) if (e.metadata.actor === 'import:servicenow') imported.push(e);
    await store.close();
    expect(imported.length).toBeGreaterThan(20);
    // metadata.recordedAt (what asOfRecorded reads) agrees with the store's own recording time.
    expect(imported.filter((e) => Math.abs(recordedAtOf(e).getTime() - e.recordedAt.getTime()) > 5_000)).toEqual([]);
    expect(imported.filter((e) => typeof e.data.occurredAt === 'string' && e.data.occurredAt.startsWith('2016-03')).length).toBeGreaterThan(20);
  });

  it("refuses a history that starts before the tenant's SLA policy (exit 1, nothing imported) unless --no-sla; the summary says which", async () => {
    const other = dataDir();
    const store = new SqliteEventStore({ filename: join(other, 'itsm.sqlite') });
    const tenant = { ...demoCatalogue().tenants[0]!, tenantId: 'SNY', name: 'Migrant', timeZone: 'Europe/London' };
    await loadCatalogue(
      store,
      { tenants: [tenant], suppliers: [], services: [], groups: [], policies: [sharedIct2019('SNY', '2019-01-01T00:00:00Z')] },
      new Date('2019-01-01T00:00:00Z'),
    );
    const head = await store.headPosition();
    await store.close();
    const refused = await itsm(other, 'import', 'servicenow-log', csv, '--tenant', 'SNY');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(
      "import: refused, nothing imported: SNY's history starts on 2016-03-01 09:00 (Europe/London; INC0000001 opened), before its earliest SLA policy (in force from 2019-01-01T00:00:00.000Z)",
    );
    const reopened = new SqliteEventStore({ filename: join(other, 'itsm.sqlite') });
    expect(await reopened.headPosition()).toBe(head);
    await reopened.close();
    const accepted = await itsm(other, 'import', 'servicenow-log', csv, '--tenant', 'SNY', '--no-sla');
    expect(accepted.code).toBe(0);
    expect(accepted.json()).toMatchObject({ incidents: 3, commands: { refused: 0 } });
    expect(accepted.json().sla).toEqual({
      required: false,
      historyStartsAt: '2016-03-01T09:00:00.000Z',
      firstIncident: 'INC0000001',
      earliestPolicyFrom: '2019-01-01T00:00:00.000Z',
      incidentsWithoutPolicy: 3,
    });
    expect(accepted.stderr).toContain(
      "import: --no-sla: 3 incident(s) were raised before SNY's earliest SLA policy (in force from 2019-01-01T00:00:00.000Z); they carry no SLA",
    );
  });
});

describe('CLI: the same history on dense and on server-shaped (sparse) positions', () => {
  it('records the same facts (SLA breaches and closes from the timer too) and checkpoints, builds the same read models, verifies', async () => {
    const NOW = '2026-03-16T09:00:00.000Z';
    const run = async (positions: 'dense' | 'sparse') => {
      const dir = dataDir();
      const env = { ITSM_SQLITE_POSITIONS: positions };
      expect((await itsmWith(env, dir, 'demo', '--months', '1', '--tickets', '200', '--seed', '3', '--now', NOW)).code).toBe(0);
      const [built] = (await itsmWith(env, dir, 'rebuild')).json();
      const verified = await itsmWith(env, dir, 'verify');
      const file = join(dir, 'log.ndjson');
      expect((await itsmWith(env, dir, 'export', '--out', file)).code).toBe(0);
      const events = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      // The ticket list tells operators the position of each ticket's last event: the store's own token.
      const figures = (await readModels(dir)).replace(/"position":"\d+"/g, '"position":"…"');
      const checkpoints = events.filter((e) => e.streamId === 'audit-checkpoints').map((e) => [e.data.eventCount, e.data.globalHash]);
      return { built, checkpoints, verified, events, figures };
    };
    const dense = await run('dense');
    const sparse = await run('sparse');
    // Positions differ (row numbers against offsets with gaps); every fact and every figure is the same.
    expect(sparse.events.map((e) => e.position)).not.toEqual(dense.events.map((e) => e.position));
    const facts = (events: Array<{ streamId: string; revision: string; type: string; data: unknown; metadata: { hash?: string } }>) =>
      events.filter((e) => e.streamId !== 'audit-checkpoints').map((e) => [e.streamId, e.revision, e.type, e.data, e.metadata.hash]);
    expect(facts(sparse.events)).toEqual(facts(dense.events));
    expect(dense.events.filter((e) => e.type === 'SlaBreached').length).toBeGreaterThan(0);
    expect(sparse.built.readModels.documents).toBe(dense.built.readModels.documents);
    expect(sparse.figures).toBe(dense.figures);
    // The demo's checkpoints cover the same events, and the first the same hash; later ones chain in
    // the earlier checkpoint events, which name their store's own positions.
    expect(dense.checkpoints.length).toBeGreaterThan(1);
    expect(sparse.checkpoints.map(([count]) => count)).toEqual(dense.checkpoints.map(([count]) => count));
    expect(sparse.checkpoints[0]).toEqual(dense.checkpoints[0]);
    expect(sparse.verified.code).toBe(0);
    expect(sparse.verified.json()).toMatchObject({ ok: true, checkpointsChecked: dense.checkpoints.length });
  });
});
