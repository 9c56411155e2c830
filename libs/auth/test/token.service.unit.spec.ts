import jwt from 'jsonwebtoken';
import { loadConfig, parseDurationSeconds } from '@itsm/config';
import { TokenError, TokenLifetimeError, TokenService } from '../src';

const SECRET = 'unit-secret-at-least-16-chars';
const DAY = 86_400;
const principal = { sub: 'alice', roles: ['operator' as const], tenants: ['CoL'] };
const raw = (claims: object, options: jwt.SignOptions = {}) =>
  jwt.sign({ roles: ['operator'], tenants: ['CoL'], ...claims }, SECRET, { algorithm: 'HS256', issuer: 'itsm', subject: 'alice', ...options });
const refusal = (tokens: TokenService, token: string) => {
  try {
    tokens.verify(token);
  } catch (e) {
    return e instanceof TokenError ? e.code : e;
  }
  return undefined;
};

describe('bearer token lifetimes', () => {
  it('a token must carry exp', () => {
    expect(refusal(new TokenService(SECRET), raw({}))).toBe('AUTH.TOKEN_INVALID');
  });

  it('a token may live at most the maximum (default 30 days), measured exp − iat', () => {
    const tokens = new TokenService(SECRET);
    expect(tokens.maxTtlSeconds).toBe(30 * DAY);
    expect(refusal(tokens, raw({}, { expiresIn: '365d' }))).toBe('AUTH.TOKEN_INVALID');
    expect(refusal(tokens, raw({ iat: Math.floor(Date.now() / 1000) - 10 * DAY }, { expiresIn: '31d' }))).toBe('AUTH.TOKEN_INVALID');
    expect(refusal(tokens, raw({}, { expiresIn: '30d' }))).toBeUndefined();
    expect(tokens.verify(raw({}, { expiresIn: '1h' }))).toEqual(principal);
  });

  it('the maximum is configurable, and sign() refuses to mint past it', () => {
    const tokens = new TokenService(SECRET, { maxTtlSeconds: 8 * 3600 });
    expect(refusal(tokens, raw({}, { expiresIn: '9h' }))).toBe('AUTH.TOKEN_INVALID');
    expect(() => tokens.sign(principal, '9h')).toThrow(TokenLifetimeError);
    expect(() => tokens.sign(principal, 'forever')).toThrow(TokenLifetimeError);
    const minted = jwt.decode(tokens.sign(principal, '8h')) as jwt.JwtPayload;
    expect(minted.exp! - minted.iat!).toBe(8 * 3600);
    expect(tokens.verify(tokens.sign(principal, 3600))).toEqual(principal);
  });

  it('an expired token stays refused even after it was verified (and remembered) while valid', () => {
    const tokens = new TokenService(SECRET);
    const token = raw({}, { expiresIn: '2s' });
    expect(tokens.verify(token)).toEqual(principal);
    const now = Date.now();
    const spy = jest.spyOn(Date, 'now').mockReturnValue(now + 5_000);
    try {
      expect(refusal(tokens, token)).toBe('AUTH.TOKEN_EXPIRED');
    } finally {
      spy.mockRestore();
    }
  });

  it('ITSM_TOKEN_MAX_TTL reads <n>s|m|h|d or seconds', () => {
    expect(loadConfig({}).tokenMaxTtlSeconds).toBe(30 * DAY);
    expect(loadConfig({ ITSM_TOKEN_MAX_TTL: '8h' }).tokenMaxTtlSeconds).toBe(8 * 3600);
    expect(loadConfig({ ITSM_TOKEN_MAX_TTL: '3600' }).tokenMaxTtlSeconds).toBe(3600);
    expect(() => loadConfig({ ITSM_TOKEN_MAX_TTL: 'forever' })).toThrow(/ITSM_TOKEN_MAX_TTL/);
    expect(() => loadConfig({ ITSM_TOKEN_MAX_TTL: '0' })).toThrow(/ITSM_TOKEN_MAX_TTL/);
    expect(parseDurationSeconds('15m')).toBe(900);
    expect(parseDurationSeconds('1y')).toBeUndefined();
  });
});
