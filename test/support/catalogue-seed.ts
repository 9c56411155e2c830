import request from 'supertest';
import { CoL, CoLP, desktop, konica, LBB, niche, printing, serviceDesk } from '@itsm/test-kit';

/** The shared catalogue (@itsm/test-kit), registered through the admin API as an operator would. */
export async function seedCatalogue(http: unknown, adminAuth: string): Promise<void> {
  const post = async (path: string, body: object) => {
    const res = await request(http as never)
      .post(path)
      .set('Authorization', adminAuth)
      .send(body);
    if (res.status !== 201) throw new Error(`seeding ${path} failed: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await post('/v1/tenants', CoL);
  await post('/v1/tenants', CoLP);
  await post('/v1/tenants', { ...LBB, autoCloseDays: 3 }); // Brent closes resolved tickets sooner
  await post('/v1/suppliers', konica);
  await post('/v1/services', printing);
  await post('/v1/services', niche);
  await post('/v1/resolver-groups', serviceDesk);
  await post('/v1/resolver-groups', desktop);
}

export const ADMIN = { sub: 'admin', roles: ['admin'] as const, tenants: ['*'] };
