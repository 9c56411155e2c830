import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Principal, Role } from '@itsm/auth';

export const PUBLIC_ROUTE = 'itsm:public';
export const REQUIRED_ROLES = 'itsm:roles';

/** Open to anyone (health, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** The holder needs one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);
/** The verified token's principal. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
