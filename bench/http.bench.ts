import autocannon from 'autocannon';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { demoCatalogue, loadCatalogue } from '@itsm/simulation';
import { TokenService } from '@itsm/auth';
import { median, round } from './measure';

const SECRET = 'bench-secret-at-least-16-chars';
const BARE_SERVER_FLAG = '--bare-http-server';

/** One autocannon run's figures. */
interface Run {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/**
 * Commands through the HTTP API on the embedded store: the API runs as its own process (as
 * `npm start` runs it, with the projector, SLA timer and audit checkpointer in it, or with
 * ITSM_PROJECTOR=off as when apps/projector does that work), autocannon in this one; each request
 * raises a new ticket.
 *
 * Its limit is measured in the same run: a bare Node http server, also in its own process, that
 * reads and parses the same JSON body and answers 201 with a result of the same shape. The two are
 * run alternately, `rounds` times per client count, after a warm-up of each; the medians (and
 * ranges) are reported, and the API's rate as a share of the bare server's.
 */
export async function benchHttp(durationSeconds = 10, projectorInProcess = true, rounds = 3) {
  const dataDir = mkdtempSync(join(tmpdir(), 'itsm-bench-'));
  const seed = new SqliteEventStore({ filename: join(dataDir, 'itsm.sqlite') });
  await loadCatalogue(seed, demoCatalogue(), new Date('2022-12-01T00:00:00Z'));
  await seed.close();
  const apiPort = freePort();
  const api = spawn(process.execPath, [join(__dirname, '..', 'apps', 'api', 'src', 'main.js')], {
    env: {
      ...process.env,
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      ITSM_DATA_DIR: dataDir,
      ITSM_JWT_SECRET: SECRET,
      ITSM_PROJECTOR: projectorInProcess ? 'on' : 'off',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const barePort = freePort();
  const bare = spawn(process.execPath, [__filename, BARE_SERVER_FLAG], {
    env: { ...process.env, PORT: String(barePort) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const bareUrl = `http://127.0.0.1:${barePort}`;
  await Promise.all([ready(`${apiUrl}/health`), ready(bareUrl)]);
  const auth = `Bearer ${new TokenService(SECRET).sign({ sub: 'bench', roles: ['operator'], tenants: ['*'] }, '1h')}`;
  let n = 0;
  const raise = (url: string, connections: number, duration: number): Promise<Run> =>
    autocannon({
      url,
      connections,
      duration,
      requests: [
        {
          method: 'POST',
          path: '/v1/tenants/CoL/tickets',
          headers: { 'content-type': 'application/json', authorization: auth },
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({
              ticketId: `B${connections}-${++n}`,
              kind: 'incident',
              priority: 'P3',
              serviceId: 'printing',
              title: 'Printer jammed',
              description: 'bench',
              reporter: 'bench',
              channel: 'portal',
            }),
          }),
        },
      ],
    }).then((r) => ({ requestsPerSecond: round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors }));
  // Warm-up (JIT, caches, the read models' first pages): not measured.
  await raise(bareUrl, 50, 2);
  await raise(apiUrl, 50, 2);
  const results = [];
  for (const connections of [1, 50]) {
    const apiRuns: Run[] = [];
    const bareRuns: Run[] = [];
    for (let r = 0; r < rounds; r++) {
      bareRuns.push(await raise(bareUrl, connections, durationSeconds));
      apiRuns.push(await raise(apiUrl, connections, durationSeconds));
    }
    const api = summary(apiRuns);
    const limit = summary(bareRuns);
    results.push({
      connections,
      projector: projectorInProcess ? 'in the API process' : 'separate',
      ...api,
      bare: { requestsPerSecond: limit.requestsPerSecond, p99Ms: limit.p99Ms, requestsPerSecondRange: limit.requestsPerSecondRange },
      ratioToBare: round(api.requestsPerSecond / limit.requestsPerSecond, 3),
    });
  }
  const rssMb = apiRssMb(api.pid!);
  await Promise.all([stop(api), stop(bare)]);
  rmSync(dataDir, { recursive: true, force: true });
  return { results, apiPeakRssMb: rssMb };
}

/** Medians of the runs (and the range of the rate and of p99); failures are summed. */
function summary(runs: Run[]) {
  const rates = runs.map((r) => r.requestsPerSecond);
  const p99s = runs.map((r) => r.p99Ms);
  return {
    requestsPerSecond: round(median(rates)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(p99s),
    non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    runs: runs.length,
    requestsPerSecondRange: [Math.min(...rates), Math.max(...rates)],
    p99MsRange: [Math.min(...p99s), Math.max(...p99s)],
  };
}

const freePort = () => 30000 + Math.floor(Math.random() * 20000);

async function ready(url: string): Promise<void> {
  for (
    let i = 0;
    !(await fetch(url).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  ) {
    if (i > 300) throw new Error(`${url} did not start`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** The API process's peak resident set (VmHWM), from /proc. */
function apiRssMb(pid: number): number | null {
  try {
    const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return Number.isFinite(kb) ? round(kb / 1024) : null;
  } catch {
    return null;
  }
}

/**
 * The limit: Node's own http server reading the whole body, parsing it as JSON and answering 201
 * with a raise's answer shape, nothing else (no framework, no validation, no store).
 */
function serveBare(port: number): void {
  let position = 0;
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let ticketId = '';
      if (req.method === 'POST') {
        try {
          ticketId = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ticketId?: unknown }).ticketId);
        } catch {
          res.writeHead(400).end();
          return;
        }
      }
      position++;
      const body = JSON.stringify({
        ticketId,
        revision: '0',
        position: String(position),
        events: [{ id: '00000000-0000-4000-8000-000000000000', type: 'IncidentRaised', revision: '0' }],
      });
      res
        .writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
        .end(body);
    });
  }).listen(port, '127.0.0.1');
}

if (require.main === module && process.argv[2] === BARE_SERVER_FLAG) serveBare(Number(process.env.PORT));
