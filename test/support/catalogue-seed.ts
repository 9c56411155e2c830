import request from 'supertest';

/** A small catalogue in the shape of DOMAIN.md, registered through the admin API. */
export async function seedCatalogue(http: unknown, adminAuth: string): Promise<void> {
  const post = async (path: string, body: object) => {
    const res = await request(http as never).post(path).set('Authorization', adminAuth).send(body);
    if (res.status !== 201) throw new Error(`seeding ${path} failed: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await post('/v1/tenants', { tenantId: 'CoL', name: 'City of London Corporation' });
  await post('/v1/tenants', { tenantId: 'CoLP', name: 'City of London Police' });
  await post('/v1/tenants', { tenantId: 'LBB', name: 'London Borough of Brent', autoCloseDays: 3 });
  await post('/v1/suppliers', { supplierId: 'konica', name: 'Konica', targets: { firstTimeFixPct: 95, uptimePct: 97, meanResponseMinutes: 240 } });
  await post('/v1/services', { serviceId: 'printing', name: 'Printing', tenantIds: ['CoL', 'CoLP'], critical: false, ownership: 'it_owned', supplierId: 'konica', availabilityTargetPct: 99 });
  await post('/v1/services', { serviceId: 'niche', name: 'Niche', tenantIds: ['CoLP'], critical: true, ownership: 'business_owned_it_supported', availabilityTargetPct: 99.5 });
  await post('/v1/resolver-groups', { groupId: 'service-desk', name: 'Service Desk', tenantIds: ['CoL', 'CoLP'], serviceDesk: true });
  await post('/v1/resolver-groups', { groupId: 'desktop', name: 'Desktop support', tenantIds: ['CoL', 'CoLP'] });
}

export const ADMIN = { sub: 'admin', roles: ['admin'] as const, tenants: ['*'] };
