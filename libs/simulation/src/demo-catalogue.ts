import {
  cityOfLondon2023,
  DEFAULT_PRIORITY_MATRIX,
  sharedIct2019,
  type DefineSlaPolicyVersion,
  type ResolverGroup,
  type Service,
  type Supplier,
  type Tenant,
} from '@itsm/domain';

/** The catalogue of ../shared/DOMAIN.md: its tenants, services, suppliers and resolver groups. */
export interface Catalogue {
  tenants: Tenant[];
  suppliers: Supplier[];
  services: Service[];
  groups: ResolverGroup[];
  policies: DefineSlaPolicyVersion[];
}

const CITY = ['CoL', 'CoLP'];
const BOROUGHS = ['LBB', 'LBL', 'LBS'];
const targets = { firstTimeFixPct: 95, uptimePct: 97, meanResponseMinutes: 240 };
const tenant = (tenantId: string, name: string, autoCloseDays: number): Tenant => ({
  tenantId,
  name,
  timeZone: 'Europe/London',
  priorityMatrix: DEFAULT_PRIORITY_MATRIX,
  autoCloseDays,
  reopenWindowDays: 10,
});
const service = (
  serviceId: string,
  name: string,
  tenantIds: string[],
  critical: boolean,
  ownership: Service['ownership'],
  supplierId: string | undefined,
  availabilityTargetPct: number,
): Service => ({
  serviceId,
  name,
  tenantIds,
  critical,
  ownership,
  ...(supplierId ? { supplierId } : {}),
  availabilityTargetPct,
});

export function demoCatalogue(): Catalogue {
  return {
    tenants: [
      tenant('CoL', 'City of London Corporation', 5),
      tenant('CoLP', 'City of London Police', 5),
      tenant('LBB', 'London Borough of Brent', 3),
      tenant('LBL', 'London Borough of Lewisham', 3),
      tenant('LBS', 'London Borough of Southwark', 3),
    ],
    suppliers: [
      { supplierId: 'agilisys', name: 'Agilisys', targets },
      { supplierId: 'roc', name: 'Roc Technologies', targets },
      { supplierId: 'konica', name: 'Konica', targets },
      { supplierId: 'daisy', name: 'Daisy', targets },
      { supplierId: 'bt', name: 'BT', targets },
      { supplierId: 'microsoft', name: 'Microsoft', targets },
      { supplierId: 'vodafone', name: 'Vodafone', targets },
      { supplierId: 'provance', name: 'Provance', targets },
      { supplierId: 'home-office', name: 'Home Office', targets },
    ],
    services: [
      service('email', 'Email', [...CITY, ...BOROUGHS], true, 'it_owned', 'microsoft', 99.9),
      service('telephony', 'Telephony', CITY, true, 'it_owned', 'daisy', 99.5),
      service('website', 'Website', CITY, false, 'it_owned', 'agilisys', 99),
      service('printing', 'Printing', [...CITY, ...BOROUGHS], false, 'it_owned', 'konica', 97),
      service('network-guildhall', 'Network – Guildhall 5th floor', CITY, true, 'it_owned', 'roc', 99.5),
      service('network-artizan', 'Network – Artizan Street Library', ['CoL'], false, 'it_owned', 'roc', 99),
      service('aovpn', 'AoVPN', CITY, true, 'it_owned', 'microsoft', 99.5),
      service('niche', 'Niche', ['CoLP'], true, 'business_owned_it_supported', 'home-office', 99.5),
      service('pnc', 'PNC', ['CoLP'], true, 'business_owned', 'home-office', 99.5),
      service('pronto', 'Pronto', ['CoLP'], false, 'business_owned_it_supported', 'home-office', 99),
      service('internet', 'Internet access', BOROUGHS, true, 'it_owned', 'vodafone', 99.5),
      service('network', 'Network', BOROUGHS, true, 'it_owned', 'vodafone', 99.5),
      service('circuits', 'Circuits', BOROUGHS, false, 'it_owned', 'bt', 99),
      service('itsm-tool', 'ITSM tool', BOROUGHS, false, 'it_owned', 'provance', 99),
      service('desktop', 'Desktop and laptops', [...CITY, ...BOROUGHS], false, 'it_owned', undefined, 98),
    ],
    groups: [
      { groupId: 'service-desk', name: 'IT Service Desk', tenantIds: CITY, serviceDesk: true },
      { groupId: 'desktop-support', name: 'Desktop support', tenantIds: CITY, serviceDesk: false },
      { groupId: 'infrastructure', name: 'Infrastructure', tenantIds: CITY, serviceDesk: false },
      { groupId: 'applications', name: 'Applications', tenantIds: CITY, serviceDesk: false },
      { groupId: 'shared-service-desk', name: 'Shared ICT Service Desk', tenantIds: BOROUGHS, serviceDesk: true },
      { groupId: 'shared-infrastructure', name: 'Shared ICT Infrastructure', tenantIds: BOROUGHS, serviceDesk: false },
      { groupId: 'shared-applications', name: 'Shared ICT Applications', tenantIds: BOROUGHS, serviceDesk: false },
    ],
    policies: [...CITY.map((t) => cityOfLondon2023(t, '2023-01-01T00:00:00Z')), ...BOROUGHS.map((t) => sharedIct2019(t, '2019-01-01T00:00:00Z'))],
  };
}
