import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '@itsm/config';

export interface ResolvedSecret {
  secret: string;
  /** True when this start generated it: the caller prints one admin token, once. */
  generated: boolean;
}

/**
 * ITSM_JWT_SECRET when set. In embedded mode without it, a secret is generated once into the
 * data directory (mode 600) and reused on every later start. Production mode must configure one.
 */
export function resolveJwtSecret(config: AppConfig): ResolvedSecret {
  if (config.jwtSecret) return { secret: config.jwtSecret, generated: false };
  if (config.kurrentDbConnectionString) {
    throw new Error('ITSM_JWT_SECRET must be set when running on KurrentDB (no secret is generated for production)');
  }
  const file = join(config.dataDir, 'jwt-secret');
  if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim(), generated: false };
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  return { secret, generated: true };
}
