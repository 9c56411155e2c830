import { CoL, konica, niche, printing, serviceDesk } from '@itsm/test-kit';
import type { ResolverGroup, TicketContext } from '../src';

export { CoL, konica, niche, printing };
export const desk = serviceDesk;
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
