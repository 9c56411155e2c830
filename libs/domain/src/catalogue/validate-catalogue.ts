import { invalid } from '../shared/domain-error';
import { assertPriorityMatrix } from './priority';
import { EARLIEST_HISTORY_START, OWNERSHIP, type ResolverGroup, type Service, type Supplier, type Tenant } from './catalogue.types';

/** Catalogue ids appear in stream names and URLs: short, plain, case-sensitive. */
export const CATALOGUE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function assertCatalogueId(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || !CATALOGUE_ID.test(value)) {
    throw invalid('CATALOGUE.INVALID_ID', `${field} must match ${CATALOGUE_ID}`, field);
  }
}

const pct = (value: number, field: string) => {
  if (!(value >= 0 && value <= 100)) throw invalid('CATALOGUE.INVALID_PERCENTAGE', `${field} must be between 0 and 100`, field);
};

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function validateTenant(t: Tenant): void {
  assertCatalogueId(t.tenantId, 'tenantId');
  if (!isTimeZone(t.timeZone)) throw invalid('TENANT.INVALID_TIME_ZONE', 'timeZone must be an IANA time zone', 'timeZone');
  assertPriorityMatrix(t.priorityMatrix);
  if (!Number.isInteger(t.autoCloseDays) || t.autoCloseDays < 1) {
    throw invalid('TENANT.INVALID_AUTO_CLOSE', 'autoCloseDays must be a whole number of days, at least 1', 'autoCloseDays');
  }
  if (!Number.isInteger(t.reopenWindowDays) || t.reopenWindowDays < 0) {
    throw invalid('TENANT.INVALID_REOPEN_WINDOW', 'reopenWindowDays must be a whole number of days, 0 or more', 'reopenWindowDays');
  }
  if (t.historyStartsAt !== undefined) {
    const start = Date.parse(t.historyStartsAt);
    if (!/^\d{4}-\d\d-\d\dT/.test(t.historyStartsAt) || Number.isNaN(start) || start < Date.parse(EARLIEST_HISTORY_START)) {
      throw invalid('TENANT.INVALID_HISTORY_START', `historyStartsAt must be an ISO 8601 instant, ${EARLIEST_HISTORY_START} or later`, 'historyStartsAt');
    }
  }
}

/** knownTenants/knownSupplier: what the handler found in the catalogue. */
export function validateService(s: Service, knownTenants: ReadonlySet<string>, supplierKnown: boolean): void {
  assertCatalogueId(s.serviceId, 'serviceId');
  if (!OWNERSHIP.includes(s.ownership)) throw invalid('SERVICE.INVALID_OWNERSHIP', `ownership must be one of ${OWNERSHIP.join(', ')}`, 'ownership');
  pct(s.availabilityTargetPct, 'availabilityTargetPct');
  assertTenantsKnown(s.tenantIds, knownTenants);
  if (s.supplierId !== undefined && !supplierKnown) {
    throw invalid('SERVICE.UNKNOWN_SUPPLIER', `supplierId ${s.supplierId} is not a registered supplier`, 'supplierId');
  }
}

export function validateSupplier(s: Supplier): void {
  assertCatalogueId(s.supplierId, 'supplierId');
  pct(s.targets.firstTimeFixPct, 'targets.firstTimeFixPct');
  pct(s.targets.uptimePct, 'targets.uptimePct');
  if (!(s.targets.meanResponseMinutes > 0)) {
    throw invalid('SUPPLIER.INVALID_TARGET', 'targets.meanResponseMinutes must be positive', 'targets.meanResponseMinutes');
  }
}

export function validateResolverGroup(g: ResolverGroup, knownTenants: ReadonlySet<string>): void {
  assertCatalogueId(g.groupId, 'groupId');
  assertTenantsKnown(g.tenantIds, knownTenants);
}

function assertTenantsKnown(tenantIds: string[], known: ReadonlySet<string>): void {
  if (!Array.isArray(tenantIds) || tenantIds.length === 0) throw invalid('CATALOGUE.NO_TENANTS', 'tenantIds must name at least one tenant', 'tenantIds');
  const unknown = tenantIds.filter((t) => !known.has(t));
  if (unknown.length) throw invalid('CATALOGUE.UNKNOWN_TENANT', `tenantIds names unknown tenants: ${unknown.join(', ')}`, 'tenantIds');
}
