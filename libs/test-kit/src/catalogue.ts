import { cityOfLondon2023, DEFAULT_PRIORITY_MATRIX, type ResolverGroup, type Service, type SlaPolicyVersion, type Supplier, type Tenant } from '@itsm/domain';

/**
 * The catalogue most tests share, in the shape of DOMAIN.md: whole, valid values, as the register
 * commands would store them. A test that needs something else spreads an override over these.
 */

/** A tenant with every field set to the values the API defaults to. */
export const tenant = (tenantId: string, over: Partial<Tenant> = {}): Tenant => ({
  tenantId,
  name: tenantId,
  timeZone: 'Europe/London',
  priorityMatrix: DEFAULT_PRIORITY_MATRIX,
  autoCloseDays: 5,
  reopenWindowDays: 10,
  ...over,
});

export const CoL = tenant('CoL', { name: 'City of London Corporation' });
export const CoLP = tenant('CoLP', { name: 'City of London Police' });
export const LBB = tenant('LBB', { name: 'London Borough of Brent' });

export const konica: Supplier = {
  supplierId: 'konica',
  name: 'Konica',
  targets: { firstTimeFixPct: 95, uptimePct: 97, meanResponseMinutes: 240 },
};

export const printing: Service = {
  serviceId: 'printing',
  name: 'Printing',
  tenantIds: ['CoL', 'CoLP'],
  critical: false,
  ownership: 'it_owned',
  supplierId: 'konica',
  availabilityTargetPct: 99,
};
/** The police's critical service: its P1s are general outages. */
export const niche: Service = {
  serviceId: 'niche',
  name: 'Niche',
  tenantIds: ['CoLP'],
  critical: true,
  ownership: 'business_owned_it_supported',
  availabilityTargetPct: 99.5,
};

export const serviceDesk: ResolverGroup = { groupId: 'service-desk', name: 'Service Desk', tenantIds: ['CoL', 'CoLP'], serviceDesk: true };
export const desktop: ResolverGroup = { groupId: 'desktop', name: 'Desktop support', tenantIds: ['CoL', 'CoLP'], serviceDesk: false };

/** The City of London 2023 policy as a tenant's stored version (version 1 unless told). */
export const slaPolicy = (tenantId: string, effectiveFrom?: string, version = 1): SlaPolicyVersion => ({
  ...cityOfLondon2023(tenantId, effectiveFrom),
  version,
});
