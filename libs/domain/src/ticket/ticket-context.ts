import type { ResolverGroup, Service, Supplier, Tenant } from '../catalogue/catalogue.types';
import type { SlaPolicyVersion } from '../sla/sla-policy';

/**
 * What decide needs to know beyond the ticket itself, loaded by the handler before it decides:
 * the clock reading and the catalogue entries the command names (undefined: not registered).
 */
export interface TicketContext {
  /** The server's clock when the command arrived (ISO-8601). */
  now: string;
  /** The ticket's tenant (for a raise, the tenant in the command). */
  tenant?: Tenant;
  /** The service the command names (raise, record outage). */
  service?: Service;
  /** The resolver group the command names (assign, resolve). */
  group?: ResolverGroup;
  /** The supplier the command names (assign). */
  supplier?: Supplier;
  /**
   * Of the tenants the command names (declare major incident: tenantsAffected; record outage:
   * tenantIds), those registered in the catalogue that the caller may also act for (its token).
   * Any other is refused as unknown, in the same words: a tenant outside the caller's token is not
   * told apart from one that does not exist.
   */
  knownTenantIds?: ReadonlySet<string>;
  /**
   * The SLA policy version that applies: for a raise, the tenant's version in force at occurredAt
   * (the ticket pins it); afterwards, the version the ticket pinned. Absent: no SLA clocks.
   */
  slaPolicy?: SlaPolicyVersion;
}

/** How far ahead of the server's clock an occurredAt may be: clocks of operators' machines drift. */
export const FUTURE_TOLERANCE_MS = 2 * 60 * 1000;
