export const ROLES = ['operator', 'auditor', 'reporter', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** What a verified bearer token says about its holder. */
export interface Principal {
  sub: string;
  roles: Role[];
  /** Tenants the holder may touch; ['*'] for all (shared-service staff, admins). */
  tenants: string[];
}

export const ALL_TENANTS = '*';

export function mayTouchTenant(principal: Principal, tenantId: string): boolean {
  return principal.tenants.includes(ALL_TENANTS) || principal.tenants.includes(tenantId);
}

/**
 * True when the token may touch every one of these tenants: what reading a tenant group (its
 * members, its figures) needs. A group that names any tenant outside the token does not exist
 * for that token, exactly as an unknown one.
 */
export function coversTenants(principal: Principal, tenantIds: readonly string[]): boolean {
  return tenantIds.every((t) => mayTouchTenant(principal, t));
}
