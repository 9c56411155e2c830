import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { DEFAULT_TOKEN_MAX_TTL, parseDurationSeconds } from '@itsm/config';
import { isRole, type Principal } from './roles';

export const ISSUER = 'itsm';

export interface TokenServiceOptions {
  /** The longest lifetime (exp − iat) a token may have, in seconds; default 30 days (ITSM_TOKEN_MAX_TTL). */
  maxTtlSeconds?: number;
}

/** Clock skew tolerated between the minting machine and this one, in seconds. */
const LEEWAY_SECONDS = 60;
/** Tokens verified lately: a request is often checked twice (rate limit, then auth), and a client sends the same token many times. */
const VERIFIED_CACHE_SIZE = 10_000;

const isTextList = (value: unknown): value is string[] => Array.isArray(value) && value.every((x) => typeof x === 'string');

/** Signs and verifies HS256 bearer tokens carrying roles and tenants. */
export class TokenService {
  /**
   * A KeyObject made once: given a string, jsonwebtoken tries to read it as a public key on every
   * verify (createPublicKey, then falls back), which cost 40% of the API's CPU under load.
   */
  private readonly key: KeyObject;
  readonly maxTtlSeconds: number;
  private readonly verified = new Map<string, { principal: Principal; expMs: number }>();

  constructor(secret: string, options: TokenServiceOptions = {}) {
    if (!secret || secret.length < 16) throw new Error('The JWT secret must be at least 16 characters');
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
    this.maxTtlSeconds = options.maxTtlSeconds ?? parseDurationSeconds(DEFAULT_TOKEN_MAX_TTL)!;
  }

  /**
   * expiresIn: seconds, or `<n>s|m|h|d`. A lifetime over the maximum is refused here, so nobody
   * mints a token the API would then refuse.
   */
  sign(principal: Principal, expiresIn: string | number = '8h'): string {
    // A negative number mints an already expired token (tests of expiry).
    const seconds = typeof expiresIn === 'number' && Number.isSafeInteger(expiresIn) ? expiresIn : parseDurationSeconds(expiresIn);
    if (seconds === undefined) throw new TokenLifetimeError(`A token lifetime is a number of seconds or <n>s, <n>m, <n>h, <n>d (got ${expiresIn})`);
    if (seconds > this.maxTtlSeconds) {
      throw new TokenLifetimeError(`A token may live at most ${describeDuration(this.maxTtlSeconds)} (ITSM_TOKEN_MAX_TTL); ${expiresIn} is longer`);
    }
    return jwt.sign({ roles: principal.roles, tenants: principal.tenants }, this.key, {
      algorithm: 'HS256',
      subject: principal.sub,
      issuer: ISSUER,
      expiresIn: seconds,
    });
  }

  /** Throws TokenError with a reason a caller can act on. */
  verify(token: string): Principal {
    const hit = this.verified.get(token);
    if (hit) {
      if (hit.expMs > Date.now()) return hit.principal;
      this.verified.delete(token);
    }
    let claims: jwt.JwtPayload;
    try {
      claims = jwt.verify(token, this.key, { algorithms: ['HS256'], issuer: ISSUER }) as jwt.JwtPayload;
    } catch (e) {
      if (e instanceof jwt.TokenExpiredError) throw new TokenError('AUTH.TOKEN_EXPIRED', 'The bearer token has expired');
      throw new TokenError('AUTH.TOKEN_INVALID', 'The bearer token is not valid');
    }
    // A token that never expires, or lives longer than allowed, is a stolen token that stays useful: refuse it.
    if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) {
      throw new TokenError('AUTH.TOKEN_INVALID', 'The bearer token has no expiry (exp): mint one with a lifetime');
    }
    const nowSeconds = Date.now() / 1000;
    const issuedAt = typeof claims.iat === 'number' && Number.isFinite(claims.iat) ? Math.min(claims.iat, nowSeconds) : nowSeconds;
    if (claims.exp - issuedAt > this.maxTtlSeconds + LEEWAY_SECONDS) {
      throw new TokenError(
        'AUTH.TOKEN_INVALID',
        `The bearer token lives longer (exp − iat) than the ${describeDuration(this.maxTtlSeconds)} allowed: mint a shorter one`,
      );
    }
    // Claims beyond the registered ones are whatever the token says: read them as unknown.
    const roles: unknown = claims.roles;
    const tenants: unknown = claims.tenants;
    if (typeof claims.sub !== 'string' || !isTextList(roles) || !roles.every(isRole) || !isTextList(tenants)) {
      throw new TokenError('AUTH.TOKEN_INVALID', 'The bearer token lacks sub, roles or tenants');
    }
    const principal: Principal = { sub: claims.sub, roles, tenants };
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
    this.verified.set(token, { principal, expMs: claims.exp * 1000 });
    return principal;
  }
}

/** 2592000 → "30 days", 28800 → "8 hours". */
export const describeDuration = (s: number): string => {
  const [n, unit] = s % 86_400 === 0 ? [s / 86_400, 'day'] : s % 3600 === 0 ? [s / 3600, 'hour'] : s % 60 === 0 ? [s / 60, 'minute'] : [s, 'second'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
};

export class TokenError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A lifetime asked of sign() that is malformed or over the maximum. */
export class TokenLifetimeError extends Error {}

export const TOKEN_SERVICE = Symbol('TOKEN_SERVICE');
