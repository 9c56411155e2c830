import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { SqliteEventStore } from '@itsm/event-store';
import { demoCatalogue, loadCatalogue } from '@itsm/simulation';
import { TokenService } from '@itsm/auth';
import { round } from './measure';

const SECRET = 'bench-secret-at-least-16-chars';

/**
 * Commands through the HTTP API on the embedded store: the API runs as its own process (as
 * `npm start` runs it, with the projector, SLA timer and audit checkpointer in it, or with
 * ITSM_PROJECTOR=off as when apps/projector does that work), autocannon in this one; each request
 * raises a new ticket.
 */
export async function benchHttp(durationSeconds = 10, projectorInProcess = true) {
  const dataDir = mkdtempSync(join(tmpdir(), 'itsm-bench-'));
  const seed = new SqliteEventStore({ filename: join(dataDir, 'itsm.sqlite') });
  await loadCatalogue(seed, demoCatalogue(), new Date('2022-12-01T00:00:00Z'));
  await seed.close();
  const port = 30000 + Math.floor(Math.random() * 20000);
  const api = spawn(process.execPath, [join(__dirname, '..', 'apps', 'api', 'src', 'main.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ITSM_DATA_DIR: dataDir, ITSM_JWT_SECRET: SECRET, ITSM_PROJECTOR: projectorInProcess ? 'on' : 'off' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; !(await fetch(`${url}/health`).then((r) => r.ok, () => false)); i++) {
    if (i > 100) throw new Error('the API did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  const auth = `Bearer ${new TokenService(SECRET).sign({ sub: 'bench', roles: ['operator'], tenants: ['*'] }, '1h')}`;
  let n = 0;
  const run = async (connections: number) => {
    const result = await autocannon({
      url,
      connections,
      duration: durationSeconds,
      requests: [
        {
          method: 'POST',
          path: '/v1/tenants/CoL/tickets',
          headers: { 'content-type': 'application/json', authorization: auth },
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ ticketId: `B${connections}-${++n}`, kind: 'incident', priority: 'P3', serviceId: 'printing', title: 'Printer jammed', description: 'bench', reporter: 'bench', channel: 'portal' }) }),
        },
      ],
    });
    return { connections, projector: projectorInProcess ? 'in the API process' : 'separate', requestsPerSecond: round(result.requests.average), p50Ms: result.latency.p50, p99Ms: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
  };
  const results = [await run(1), await run(50)];
  const rssMb = await apiRssMb(api.pid!);
  api.kill('SIGTERM');
  await new Promise((r) => api.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
  return { results, apiPeakRssMb: rssMb };
}

/** The API process's peak resident set (VmHWM), from /proc. */
async function apiRssMb(pid: number): Promise<number | null> {
  try {
    const status = await import('node:fs').then((fs) => fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? round(kb / 1024) : null;
  } catch {
    return null;
  }
}
