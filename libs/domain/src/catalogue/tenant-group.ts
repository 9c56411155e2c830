import { invalid } from '../shared/domain-error';
import type { TenantGroup } from './catalogue.types';
import { assertCatalogueId } from './validate-catalogue';

export const TENANT_GROUP_MIN_MEMBERS = 2;
/** A group's report asks each member's figures: this bounds one request's work. */
export const TENANT_GROUP_MAX_MEMBERS = 50;

/** knownTenants: those of the group's tenantIds the handler found registered. */
export function validateTenantGroup(g: TenantGroup, knownTenants: ReadonlySet<string>): void {
  assertCatalogueId(g.groupId, 'groupId');
  if (typeof g.name !== 'string' || g.name.trim() === '') throw invalid('TENANT_GROUP.INVALID_NAME', 'name must not be blank', 'name');
  if (!Array.isArray(g.tenantIds) || !g.tenantIds.every((t) => typeof t === 'string')) {
    throw invalid('TENANT_GROUP.INVALID_MEMBERS', 'tenantIds must be a list of tenant ids', 'tenantIds');
  }
  const repeated = [...new Set(g.tenantIds.filter((t, i) => g.tenantIds.indexOf(t) !== i))];
  if (repeated.length) throw invalid('TENANT_GROUP.DUPLICATE_MEMBER', `tenantIds names a tenant more than once: ${repeated.join(', ')}`, 'tenantIds');
  if (g.tenantIds.length < TENANT_GROUP_MIN_MEMBERS) {
    throw invalid(
      'TENANT_GROUP.TOO_FEW_MEMBERS',
      `tenantIds must name at least ${TENANT_GROUP_MIN_MEMBERS} tenants: a group of one is the tenant itself`,
      'tenantIds',
    );
  }
  if (g.tenantIds.length > TENANT_GROUP_MAX_MEMBERS) {
    throw invalid('TENANT_GROUP.TOO_MANY_MEMBERS', `tenantIds may name at most ${TENANT_GROUP_MAX_MEMBERS} tenants`, 'tenantIds');
  }
  const unknown = g.tenantIds.filter((t) => !knownTenants.has(t));
  if (unknown.length) throw invalid('CATALOGUE.UNKNOWN_TENANT', `tenantIds names unknown tenants: ${unknown.join(', ')}`, 'tenantIds');
}
