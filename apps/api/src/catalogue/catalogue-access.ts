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
export function assertMayChangeEntry(principal: Principal, kind: CatalogueKind, id: string, value: object, current: object | undefined, action: 'register' | 'revise' = 'revise'): void {
  if (kind === 'TenantGroup') return assertMayChangeTenantGroup(principal, id, value, current, action);
  if (principal.tenants.includes(ALL_TENANTS)) return;
  if (kind === 'Tenant') {
    if (mayTouchTenant(principal, id)) return;
    throw new ProblemException(
      problem(403, FORBIDDEN, `The token does not grant access to tenant ${id}`, { errors: [{ field: 'tenantId', rule: FORBIDDEN, message: `tenant ${id} is outside your token` }] }),
    );
  }
  if (kind === 'Supplier') {
    throw new ProblemException(problem(403, FORBIDDEN, `Suppliers serve every tenant (any tenant's tickets may be passed to one): registering or revising supplier ${id} needs a token for all tenants (*)`));
  }
  const named = [...new Set(tenantIdsOf(value).filter((t) => !mayTouchTenant(principal, t)))];
  const hidden = tenantIdsOf(current).some((t) => !mayTouchTenant(principal, t));
  if (named.length === 0 && !hidden) return;
  const why = [...(hidden ? ['the entry serves tenants outside your token'] : []), ...(named.length ? [`it would serve ${named.join(', ')}, outside your token`] : [])];
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
