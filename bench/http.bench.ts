import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@itsm/config';
import { SqliteEventStore } from '@itsm/event-store';
import { demoCatalogue, loadCatalogue } from '@itsm/simulation';
import { createApp } from '../apps/api/src/create-app';
import { TokenService } from '../apps/api/src/auth/token.service';
import { round } from './measure';

const SECRET = 'bench-secret-at-least-16-chars';

/**
 * Commands through the HTTP API on the embedded store, as deployed embedded (projector, SLA timer
 * and audit checkpoints running in the same process): each request raises a new ticket.
 */
export async function benchHttp(durationSeconds = 10) {
  const dataDir = mkdtempSync(join(tmpdir(), 'itsm-bench-'));
  const seed = new SqliteEventStore({ filename: join(dataDir, 'itsm.sqlite') });
  await loadCatalogue(seed, demoCatalogue(), new Date('2022-12-01T00:00:00Z'));
  await seed.close();
  const app = await createApp({ ...loadConfig({}), dataDir, jwtSecret: SECRET }, { jwtSecret: SECRET, logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
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
    return { connections, requestsPerSecond: round(result.requests.average), p50Ms: result.latency.p50, p99Ms: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
  };
  const results = [await run(1), await run(50)];
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  return results;
}
