import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { CatalogueRepository } from '@itsm/application';
import { coversTenants, type Principal } from '@itsm/auth';
import { notFound, type DomainError, type TenantGroup } from '@itsm/domain';

/** A tenant group as its reader gets it, with the revision it was read at. */
export interface ReadableTenantGroup {
  value: TenantGroup;
  revision: bigint;
}

/**
 * The one answer for a group the token may not read, whether it exists or not: a group naming any
 * tenant outside the token is, to that token, an unknown group (same status, code and text).
 */
export const tenantGroupNotFound = (groupId: string): DomainError => notFound('TENANT_GROUP.NOT_FOUND', `Tenant group ${groupId} is not registered`);

/** Whether the token may read a group: only when it covers every member (`*` covers all). */
export const mayReadTenantGroup = (principal: Principal, group: Pick<TenantGroup, 'tenantIds'>): boolean => coversTenants(principal, group.tenantIds);

/** The group, or undefined when it is unknown or names a tenant outside the token. */
export async function readableTenantGroup(catalogue: CatalogueRepository, principal: Principal, groupId: string): Promise<ReadableTenantGroup | undefined> {
  const entry = await catalogue.get<TenantGroup>('TenantGroup', groupId);
  return entry && mayReadTenantGroup(principal, entry.value) ? entry : undefined;
}

/**
 * Routes with a `:groupId` (a tenant group, its reports) answer only a token that covers every
 * member of the group; any other gets 404 exactly as for an unknown group, so nobody learns that a
 * group of other tenants exists. Runs after the AuthGuard (token, roles); the group it read is
 * handed to the route (@CurrentTenantGroup), so the route answers for the members it checked.
 */
@Injectable()
export class TenantGroupGuard implements CanActivate {
  constructor(private readonly catalogue: CatalogueRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<{ params?: Record<string, string>; principal: Principal; tenantGroup?: ReadableTenantGroup }>();
    const groupId = req.params?.groupId ?? '';
    const group = await readableTenantGroup(this.catalogue, req.principal, groupId);
    if (!group) throw tenantGroupNotFound(groupId);
    req.tenantGroup = group;
    return true;
  }
}

/** The group TenantGroupGuard admitted the request for. */
export const CurrentTenantGroup = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): ReadableTenantGroup => ctx.switchToHttp().getRequest<{ tenantGroup: ReadableTenantGroup }>().tenantGroup,
);
