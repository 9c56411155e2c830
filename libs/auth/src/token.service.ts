import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { ROLES, type Principal, type Role } from './roles';

export const ISSUER = 'itsm';

/** Signs and verifies HS256 bearer tokens carrying roles and tenants. */
export class TokenService {
  /**
   * A KeyObject made once: given a string, jsonwebtoken tries to read it as a public key on every
   * verify (createPublicKey, then falls back), which cost 40% of the API's CPU under load.
   */
  private readonly key: KeyObject;

  constructor(secret: string) {
    if (!secret || secret.length < 16) throw new Error('The JWT secret must be at least 16 characters');
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  sign(principal: Principal, expiresIn: string | number = '8h'): string {
    return jwt.sign({ roles: principal.roles, tenants: principal.tenants }, this.key, {
      algorithm: 'HS256',
      subject: principal.sub,
      issuer: ISSUER,
      expiresIn: expiresIn as jwt.SignOptions['expiresIn'],
    });
  }

  /** Throws TokenError with a reason a caller can act on. */
  verify(token: string): Principal {
    let claims: jwt.JwtPayload;
    try {
      claims = jwt.verify(token, this.key, { algorithms: ['HS256'], issuer: ISSUER }) as jwt.JwtPayload;
    } catch (e) {
      if (e instanceof jwt.TokenExpiredError) throw new TokenError('AUTH.TOKEN_EXPIRED', 'The bearer token has expired');
      throw new TokenError('AUTH.TOKEN_INVALID', 'The bearer token is not valid');
    }
    const roles = claims.roles;
    const tenants = claims.tenants;
    if (
      typeof claims.sub !== 'string' ||
      !Array.isArray(roles) ||
      !roles.every((r) => (ROLES as readonly string[]).includes(r)) ||
      !Array.isArray(tenants) ||
      !tenants.every((t) => typeof t === 'string')
    ) {
      throw new TokenError('AUTH.TOKEN_INVALID', 'The bearer token lacks sub, roles or tenants');
    }
    return { sub: claims.sub, roles: roles as Role[], tenants };
  }
}

export class TokenError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const TOKEN_SERVICE = Symbol('TOKEN_SERVICE');
