import request from 'supertest';
import { startTestApp } from './support/test-app';
import { seedCatalogue } from './support/catalogue-seed';

/** Issue 16, item 1: a fact dated in year 0100 is refused before it costs anything. */
describe("business time starts with the tenant's history", () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let admin: string;
  let op: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = t.auth({ roles: ['admin'], tenants: ['*'] });
    op = t.auth({ roles: ['operator'], tenants: ['*'] });
    await seedCatalogue(t.http, admin);
  });
  afterAll(() => t.stop());

  const raise = (tenant: string, ticketId: string, occurredAt: string) =>
    request(t.http)
      .post(`/v1/tenants/${tenant}/tickets`)
      .set('Authorization', op)
      .send({ ticketId, kind: 'incident', priority: 'P3', serviceId: 'printing', title: 't', description: 'd', reporter: 'r', channel: 'phone', occurredAt });

  it('refuses a raise dated in year 0100 (default start 2000-01-01) with a 422 naming occurredAt, and writes nothing', async () => {
    const res = await raise('CoL', 'OLD1', '0100-07-03T09:00:00Z').expect(422);
    expect(res.body).toMatchObject({ code: 'TICKET.BEFORE_HISTORY_START', errors: [expect.objectContaining({ field: 'occurredAt' })] });
    await request(t.http).get('/v1/tenants/CoL/tickets/OLD1').set('Authorization', op).expect(404);
    await raise('CoL', 'NEW1', '2000-01-01T00:00:00Z').expect(201);
  });

  it("follows a tenant's own historyStartsAt, which must be an instant", async () => {
    await request(t.http)
      .put('/v1/tenants/CoLP')
      .set('Authorization', admin)
      .send({ name: 'City of London Police', historyStartsAt: '2015-04-01T00:00:00Z' })
      .expect(200);
    expect((await raise('CoLP', 'P1', '2014-06-01T09:00:00Z').expect(422)).body.code).toBe('TICKET.BEFORE_HISTORY_START');
    await raise('CoLP', 'P2', '2015-06-01T09:00:00Z').expect(201);
    const bad = await request(t.http)
      .put('/v1/tenants/CoLP')
      .set('Authorization', admin)
      .send({ name: 'City of London Police', historyStartsAt: '0100-01-01T00:00:00Z' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0]).toMatchObject({ field: 'historyStartsAt' });
  });
});
