import type { PriorityMatrix } from './priority';

/**
 * Tenants, services, suppliers, resolver groups and tenant groups share one life: registered once,
 * revised any number of times, each revision a whole new value (catalogue-entry.ts).
 */
export type CatalogueKind = 'Tenant' | 'Service' | 'Supplier' | 'ResolverGroup' | 'TenantGroup';
export const CATALOGUE_KINDS: readonly CatalogueKind[] = ['Tenant', 'Service', 'Supplier', 'ResolverGroup', 'TenantGroup'];

export interface Tenant {
  tenantId: string;
  name: string;
  /** IANA zone for working hours and report periods. */
  timeZone: string;
  priorityMatrix: PriorityMatrix;
  /** A resolved ticket closes itself this many days after resolution. */
  autoCloseDays: number;
  /** A closed ticket may be reopened for this many days after it closed. */
  reopenWindowDays: number;
  /**
   * No fact of this tenant's tickets may be dated before this instant (default DEFAULT_HISTORY_START):
   * a date typed wrong (year 0100) would otherwise cost every figure per week since then.
   */
  historyStartsAt?: string;
}

export const DEFAULT_HISTORY_START = '2000-01-01T00:00:00.000Z';
/** The earliest a tenant's history may start. */
export const EARLIEST_HISTORY_START = '1970-01-01T00:00:00.000Z';

export const historyStartOf = (t: Tenant | undefined): string => t?.historyStartsAt ?? DEFAULT_HISTORY_START;

export const OWNERSHIP = ['it_owned', 'business_owned', 'business_owned_it_supported'] as const;
export type Ownership = (typeof OWNERSHIP)[number];

export interface Service {
  serviceId: string;
  name: string;
  /** The tenants this service is offered to. */
  tenantIds: string[];
  /** A P1 is a general outage of a critical service. */
  critical: boolean;
  ownership: Ownership;
  supplierId?: string;
  availabilityTargetPct: number;
}

export interface SupplierTargets {
  firstTimeFixPct: number;
  uptimePct: number;
  meanResponseMinutes: number;
}

export interface Supplier {
  supplierId: string;
  name: string;
  targets: SupplierTargets;
}

export interface ResolverGroup {
  groupId: string;
  name: string;
  tenantIds: string[];
  /** Tickets resolved by a service-desk group count as first-line fixes (SD2). */
  serviceDesk: boolean;
}

/**
 * Tenants reported side by side with their totals (CoL and CoLP on one page; the three boroughs of
 * the Shared ICT Service). A catalogue entry like the others: registered once, revised whole; it
 * changes no ticket and no figure, only which tenants' figures are put together.
 */
export interface TenantGroup {
  groupId: string;
  name: string;
  /** The member tenants, in the order reports show them. */
  tenantIds: string[];
}

/** The value an entry of each kind holds. */
export interface CatalogueValues {
  Tenant: Tenant;
  Service: Service;
  Supplier: Supplier;
  ResolverGroup: ResolverGroup;
  TenantGroup: TenantGroup;
}
