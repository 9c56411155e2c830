export const ROLES = ['operator', 'auditor', 'reporter', 'admin'] as const;
export type Role = (typeof ROLES)[number];

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
