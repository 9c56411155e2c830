import { DEFAULT_PRIORITY_MATRIX, type ResolverGroup, type Service, type Supplier, type Tenant, type TicketContext } from '../src';

export const CoL: Tenant = {
  tenantId: 'CoL',
  name: 'City of London Corporation',
  timeZone: 'Europe/London',
  priorityMatrix: DEFAULT_PRIORITY_MATRIX,
  autoCloseDays: 5,
  reopenWindowDays: 10,
};
export const niche: Service = {
  serviceId: 'niche',
  name: 'Niche',
  tenantIds: ['CoLP'],
  critical: true,
  ownership: 'it_owned',
  availabilityTargetPct: 99,
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
export const konica: Supplier = {
  supplierId: 'konica',
  name: 'Konica',
  targets: { firstTimeFixPct: 95, uptimePct: 97, meanResponseMinutes: 240 },
};
export const desk: ResolverGroup = { groupId: 'service-desk', name: 'Service Desk', tenantIds: ['CoL', 'CoLP'], serviceDesk: true };
export const lbbNetworks: ResolverGroup = { groupId: 'lbb-networks', name: 'Brent networks', tenantIds: ['LBB'], serviceDesk: false };

export const NOW = '2023-07-10T12:00:00.000Z';
export const ctx = (over: Partial<TicketContext> = {}): TicketContext => ({
  now: NOW,
  tenant: CoL,
  service: printing,
  group: desk,
  supplier: konica,
  knownTenantIds: new Set(['CoL', 'CoLP', 'LBB']),
  ...over,
});
