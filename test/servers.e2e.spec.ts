import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { SlaTimer } from '@itsm/application';
import { AuditCheckpointer } from '@itsm/event-audit';
import { EVENT_STORE, type EventStore } from '@itsm/event-store';
import { Projector } from '@itsm/projections';
import { MovableClock } from '@itsm/test-kit';
import { startTestApp } from './support/test-app';

/**
 * The API end to end on the production servers: KurrentDB for events and/or MongoDB for read
 * models, whichever of KURRENTDB_CONNECTION_STRING / MONGODB_URI is set. It shares the server with
 * anything else there: its tenant, service and group ids are new on every run, and MongoDB gets a
 * database of its own. Without either variable it says SKIPPED: no server ran here.
 */
const kurrent = process.env.KURRENTDB_CONNECTION_STRING;
const mongo = process.env.MONGODB_URI;

/** The same MongoDB deployment, another database: read models of one run only. */
function ownDatabase(uri: string, name: string): string {
  const url = new URL(uri);
  url.pathname = `/${name}`;
  return url.toString();
}

if (!kurrent && !mongo) {
  console.warn('SKIPPED: the API end-to-end suite on servers needs KURRENTDB_CONNECTION_STRING and/or MONGODB_URI.');
  describe('API end to end on KurrentDB / MongoDB', () => {
    it.skip('SKIPPED: neither KURRENTDB_CONNECTION_STRING nor MONGODB_URI is set, so the API did not run on a server', () => {});
  });
} else {
  describe(`API end to end on ${[kurrent && `KurrentDB (${kurrent})`, mongo && `MongoDB (${mongo})`].filter(Boolean).join(' and ')}`, () => {
    const run = randomBytes(4).toString('hex');
    const tenant = `T${run}`;
    const T0 = Date.now() - 3 * 86_400_000;
    const clock = new MovableClock(T0);
    let t: Awaited<ReturnType<typeof startTestApp>>;
    let admin: string;
    let op: string;
    let all: string;

    beforeAll(async () => {
      t = await startTestApp({ kurrentDbConnectionString: kurrent, mongoDbUri: mongo ? ownDatabase(mongo, `itsm_e2e_${run}`) : undefined }, clock);
      admin = t.auth({ roles: ['admin'], tenants: ['*'] });
      op = t.auth({ roles: ['operator'], tenants: [tenant] });
      all = t.auth({ roles: ['operator', 'auditor', 'reporter'], tenants: [tenant] });
      const post = async (path: string, body: object) => {
        const res = await request(t.http).post(path).set('Authorization', admin).send(body);
        if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      };
      await post('/v1/tenants', { tenantId: tenant, name: `Server run ${run}` });
      await post('/v1/services', {
        serviceId: `svc-${run}`,
        name: 'Email',
        tenantIds: [tenant],
        critical: true,
        ownership: 'it_owned',
        availabilityTargetPct: 99,
      });
      await post('/v1/resolver-groups', { groupId: `desk-${run}`, name: 'Service Desk', tenantIds: [tenant], serviceDesk: true });
      await post(`/v1/tenants/${tenant}/sla-policies`, { template: 'shared-ict-2019', effectiveFrom: new Date(T0 - 86_400_000).toISOString() });
    }, 60_000);
    afterAll(() => t?.stop());

    const raise = (ticketId: string, minute: number) =>
      request(t.http)
        .post(`/v1/tenants/${tenant}/tickets`)
        .set('Authorization', op)
        .send({
          ticketId,
          kind: 'incident',
          priority: 'P1',
          serviceId: `svc-${run}`,
          title: 'Email down',
          description: 'd',
          reporter: 'r',
          channel: 'phone',
          occurredAt: new Date(T0 + minute * 60_000).toISOString(),
        });

    it('records commands, breaches by the SLA timer, read models, replays, checkpoints and a clean verify', async () => {
      expect((await raise('A1', 0)).status).toBe(201);
      expect((await raise('A2', 5)).status).toBe(201);
      const resolved = await request(t.http)
        .post(`/v1/tenants/${tenant}/tickets/A1/resolve`)
        .set('Authorization', op)
        .send({
          resolutionCode: 'fixed',
          rootCause: 'x',
          resolvedByGroupId: `desk-${run}`,
          firstLineFix: true,
          occurredAt: new Date(T0 + 30 * 60_000).toISOString(),
        });
      expect(resolved.status).toBe(200);
      // A2 was never answered: two days later its P1 clocks have long breached.
      clock.set(T0 + 2 * 86_400_000);
      expect(await t.app.get(SlaTimer).runDue()).toBeGreaterThan(0);
      const sla = await request(t.http).get(`/v1/tenants/${tenant}/tickets/A2/sla`).set('Authorization', all).expect(200);
      expect(JSON.stringify(sla.body)).toContain('breached');

      const projector = t.app.get(Projector);
      await projector.catchUp();
      const list = await request(t.http).get(`/v1/tenants/${tenant}/reports/tickets`).set('Authorization', all).expect(200);
      expect(list.body.items.map((i: { id?: string; ticketId?: string }) => i.ticketId ?? i.id).sort()).toEqual(['A1', 'A2']);
      const position = list.headers['x-log-position'];
      expect(position).toMatch(/^\d+$/);
      const replay = await request(t.http).get(`/v1/tenants/${tenant}/reports/tickets?asOfPosition=${position}`).set('Authorization', all).expect(200);
      expect(replay.body.items).toHaveLength(2);

      const store = t.app.get<EventStore>(EVENT_STORE);
      expect(await new AuditCheckpointer(store).checkpoint()).toMatchObject({ eventCount: expect.any(Number) });
      const verify = await request(t.http).get(`/v1/tenants/${tenant}/audit/verify`).set('Authorization', all).expect(200);
      expect(verify.body.breaks.filter((b: { streamId?: string }) => b.streamId?.includes(tenant))).toEqual([]);

      const health = await request(t.http).get('/health').expect(200);
      expect(health.body.eventStore.adapter).toBe(kurrent ? 'kurrentdb' : 'sqlite');
      expect(health.body.readStore.adapter).toBe(mongo ? 'mongodb' : 'sqlite');
    }, 120_000);
  });
}
