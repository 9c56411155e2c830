import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What a process loads, checked on the build (dist/, as `npm start` runs it: real Node resolution,
 * the aliases rewritten by tsc-alias, the lazy requires of @itsm/store-adapters included). Each case
 * runs in a fresh process and answers with the drivers found in its require.cache.
 */
const root = join(__dirname, '..', '..', '..');
const dist = (...path: string[]) => join(root, 'dist', ...path);
const DRIVERS = { 'better-sqlite3': 'better-sqlite3', kurrentdb: '@kurrent/kurrentdb-client', mongodb: 'mongodb' } as const;

/** Runs the script in a new Node process; `loaded()` in it answers which drivers are in require.cache. */
function driversLoaded(script: string): string[] {
  const entry = dist('libs', 'store-adapters', 'src', 'index.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: npm test builds it (npm run build) before jest`);
  const program = `
    const loaded = () => Object.entries(${JSON.stringify(DRIVERS)})
      .filter(([, dir]) => Object.keys(require.cache).some((p) => p.includes('/node_modules/' + dir + '/')))
      .map(([name]) => name);
    (async () => { ${script} })().then(
      (answer) => { console.log(JSON.stringify(answer)); process.exit(0); },
      (e) => { console.error(e); process.exit(1); },
    );
  `;
  const run = spawnSync(process.execPath, ['-e', program], { encoding: 'utf8', timeout: 60_000 });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as string[];
}

describe('a process loads the store driver it runs on, and no other', () => {
  let dataDir: string;
  beforeAll(() => (dataDir = mkdtempSync(join(tmpdir(), 'itsm-adapter-loading-'))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('loading the application, domain, projections, the ports and the factories loads no driver', () => {
    const libs = ['domain', 'event-store', 'read-store', 'event-audit', 'event-transfer', 'projections', 'application', 'store-adapters'];
    const requires = libs.map((l) => `require(${JSON.stringify(dist('libs', l, 'src'))});`).join('\n');
    expect(driversLoaded(`${requires} return loaded();`)).toEqual([]);
  });

  it('loading the whole API module (every controller and provider) loads no driver until the stores are made', () => {
    expect(driversLoaded(`require(${JSON.stringify(dist('apps', 'api', 'src', 'app.module.js'))}); return loaded();`)).toEqual([]);
  });

  it('the embedded stores load better-sqlite3 alone: neither the KurrentDB client nor mongodb', () => {
    const script = `
      const { createEventStore, createReadStore } = require(${JSON.stringify(dist('libs', 'store-adapters', 'src'))});
      const events = createEventStore({ dataDir: ${JSON.stringify(dataDir)} });
      const reads = createReadStore({ dataDir: ${JSON.stringify(dataDir)} });
      const answer = [events.kind, reads.kind, ...loaded()];
      await events.close();
      await reads.close();
      return answer;
    `;
    expect(driversLoaded(script)).toEqual(['sqlite', 'sqlite', 'better-sqlite3']);
  });

  it('the server stores load their own clients alone, and not better-sqlite3 (no server needed: neither connects until used)', () => {
    const script = `
      const { createEventStore, createReadStore } = require(${JSON.stringify(dist('libs', 'store-adapters', 'src'))});
      const events = createEventStore({ dataDir: ${JSON.stringify(dataDir)}, kurrentDbConnectionString: 'kurrentdb://localhost:1?tls=false' });
      const reads = createReadStore({ dataDir: ${JSON.stringify(dataDir)}, mongoDbUri: 'mongodb://localhost:1/itsm' });
      return [events.kind, reads.kind, ...loaded()];
    `;
    expect(driversLoaded(script)).toEqual(['kurrentdb', 'mongodb', 'kurrentdb', 'mongodb']);
  });
});
