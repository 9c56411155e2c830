import { ALL_TENANTS, mayTouchTenant, type Principal } from '@itsm/auth';
import type { CatalogueKind } from '@itsm/domain';
import { mayReadTenantGroup, tenantGroupNotFound } from '../auth/tenant-group.guard';
import { problem, ProblemException } from '../common/problem-details';

const FORBIDDEN = 'AUTH.TENANT_FORBIDDEN';

const tenantIdsOf = (value: unknown): string[] => {
  const ids = (value as { tenantIds?: unknown } | undefined)?.tenantIds;
  return Array.isArray(ids) ? ids.filter((t): t is string => typeof t === 'string') : [];
};

/**
 * Who may change a catalogue entry: an admin of every tenant it serves, before and after the change
 * (`*` covers all). A tenant is its own; services and resolver groups serve their tenantIds;
 * suppliers have no tenant list and any tenant's tickets may be passed to one (its contract targets
 * score them), so they need `*`. The refusal names the tenants the request itself names, never
 * those only the stored entry serves (the caller may not know them). Tenant groups: see
 * assertMayChangeTenantGroup.
 */
export function assertMayChangeEntry(
  principal: Principal,
  kind: CatalogueKind,
  id: string,
  value: object,
  current: object | undefined,
  action: 'register' | 'revise' = 'revise',
): void {
  if (kind === 'TenantGroup') return assertMayChangeTenantGroup(principal, id, value, current, action);
  if (principal.tenants.includes(ALL_TENANTS)) return;
  if (kind === 'Tenant') {
    if (mayTouchTenant(principal, id)) return;
    throw new ProblemException(
      problem(403, FORBIDDEN, `The token does not grant access to tenant ${id}`, {
        errors: [{ field: 'tenantId', rule: FORBIDDEN, message: `tenant ${id} is outside your token` }],
      }),
    );
  }
  if (kind === 'Supplier') {
    throw new ProblemException(
      problem(
        403,
        FORBIDDEN,
        `Suppliers serve every tenant (any tenant's tickets may be passed to one): registering or revising supplier ${id} needs a token for all tenants (*)`,
      ),
    );
  }
  const named = [...new Set(tenantIdsOf(value).filter((t) => !mayTouchTenant(principal, t)))];
  const hidden = tenantIdsOf(current).some((t) => !mayTouchTenant(principal, t));
  if (named.length === 0 && !hidden) return;
  const why = [
    ...(hidden ? ['the entry serves tenants outside your token'] : []),
    ...(named.length ? [`it would serve ${named.join(', ')}, outside your token`] : []),
  ];
  throw new ProblemException(
    problem(403, FORBIDDEN, `Changing ${kind} ${id} needs an admin of every tenant it serves: ${why.join('; ')}`, {
      ...(named.length ? { errors: [{ field: 'tenantIds', rule: FORBIDDEN, message: `tenants outside your token: ${named.join(', ')}` }] } : {}),
    }),
  );
}

/**
 * A tenant group is changed by an admin of every member it would have (403 naming the others in
 * `tenantIds`, judged on the request alone). A group that exists with a member outside the token
 * does not exist for that token (as on reads): revising it is the 404 of an unknown group;
 * registering its id again is the 409 any duplicate gets (the id is taken: that much is unavoidable).
 */
function assertMayChangeTenantGroup(principal: Principal, id: string, value: object, current: object | undefined, action: 'register' | 'revise'): void {
  const named = [...new Set(tenantIdsOf(value).filter((t) => !mayTouchTenant(principal, t)))];
  if (named.length) {
    throw new ProblemException(
      problem(403, FORBIDDEN, `A tenant group is changed by an admin of every member: ${named.join(', ')} outside your token`, {
        errors: [{ field: 'tenantIds', rule: FORBIDDEN, message: `tenants outside your token: ${named.join(', ')}` }],
      }),
    );
  }
  if (current && action === 'revise' && !mayReadTenantGroup(principal, { tenantIds: tenantIdsOf(current) })) throw tenantGroupNotFound(id);
}

/** A catalogue entry as a token may read it: the tenants it serves that the token may see. */
export function visibleEntry<T extends object>(principal: Principal, value: T): T {
  if (principal.tenants.includes(ALL_TENANTS) || !Array.isArray((value as { tenantIds?: unknown }).tenantIds)) return value;
  return { ...value, tenantIds: tenantIdsOf(value).filter((t) => mayTouchTenant(principal, t)) };
}

/**
 * Listing the catalogue (GET /v1/services, /v1/resolver-groups, /v1/suppliers):
 * - services and resolver groups: those serving a tenant the token covers (all with `*`), each
 *   showing only the tenants it covers in tenantIds, as GET of one entry does; an entry serving none
 *   of them is not listed, so a list never tells a tenant of another's entries;
 * - suppliers: every supplier, to any authenticated caller. A supplier serves no tenant directly: any
 *   tenant's ticket may be passed to any supplier (hence changing one needs `*`), so every operator
 *   needs the whole list to choose one, and GET of one supplier is open to every role already.
 * `?tenant=` keeps the entries serving that tenant (suppliers: those behind its services); a tenant
 * outside the token is 403, in the same words whether or not it exists.
 */
export function assertMayListTenant(principal: Principal, tenant: string | undefined): void {
  if (tenant === undefined || mayTouchTenant(principal, tenant)) return;
  throw new ProblemException(
    problem(403, FORBIDDEN, `The token does not grant access to tenant ${tenant}`, {
      errors: [{ field: 'tenant', rule: FORBIDDEN, message: `tenant ${tenant} is outside your token` }],
    }),
  );
}

/** A service or resolver group as a list shows it to the token (undefined: not listed). */
export function listedEntry<T extends { tenantIds: string[] }>(principal: Principal, value: T, tenant: string | undefined): T | undefined {
  if (tenant !== undefined) return value.tenantIds.includes(tenant) ? visibleEntry(principal, value) : undefined;
  const shown = visibleEntry(principal, value);
  return principal.tenants.includes(ALL_TENANTS) || shown.tenantIds.length > 0 ? shown : undefined;
}
