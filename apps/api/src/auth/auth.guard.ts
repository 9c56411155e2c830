import type { IncomingHttpHeaders } from 'node:http';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { problem, ProblemException } from '../common/problem-details';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from './auth.decorators';
import { mayTouchTenant, TOKEN_SERVICE, TokenError, type Principal, type Role, type TokenService } from '@itsm/auth';

/**
 * Every route needs a valid bearer token unless marked @Public; @Roles names who may call it,
 * and a :tenant in the path must be one the token may touch.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_SERVICE) private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = context.switchToHttp().getRequest<{ headers: IncomingHttpHeaders; params?: Partial<Record<string, string>>; principal?: Principal }>();
    const header = req.headers.authorization;
    const token = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    if (!token) throw unauthorized('AUTH.TOKEN_MISSING', 'An Authorization: Bearer <token> header is required');
    let principal;
    try {
      principal = this.tokens.verify(token);
    } catch (e) {
      if (e instanceof TokenError) throw unauthorized(e.code, e.message);
      throw e;
    }
    req.principal = principal;
    const roles = this.reflector.getAllAndOverride<Role[]>(REQUIRED_ROLES, targets) ?? [];
    if (roles.length && !roles.some((r) => principal.roles.includes(r))) {
      throw new ProblemException(problem(403, 'AUTH.ROLE_REQUIRED', `This needs the role ${roles.join(' or ')}`));
    }
    const tenant = req.params?.tenant;
    if (tenant !== undefined && !mayTouchTenant(principal, tenant)) {
      throw new ProblemException(problem(403, 'AUTH.TENANT_FORBIDDEN', `The token does not grant access to tenant ${tenant}`));
    }
    return true;
  }
}

const unauthorized = (code: string, detail: string) => new ProblemException(problem(401, code, detail));
