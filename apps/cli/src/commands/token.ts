import { parseArgs } from 'node:util';
import { resolveJwtSecret, ROLES, TokenLifetimeError, TokenService, type Role } from '@itsm/auth';
import type { CliCommand } from '../cli-context';
import { UsageError } from './export';

/** Mints a bearer token for the configured secret, living at most ITSM_TOKEN_MAX_TTL (default 30 days). */
export const token: CliCommand = async (args, ctx) => {
  const { values } = parseArgs({
    args,
    options: { sub: { type: 'string' }, roles: { type: 'string' }, tenants: { type: 'string' }, ttl: { type: 'string', default: '8h' } },
  });
  const roles = (values.roles ?? '').split(',').filter(Boolean);
  const tenants = (values.tenants ?? '').split(',').filter(Boolean);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length) throw new UsageError(`unknown roles: ${unknown.join(', ')}`);
  if (!values.sub || roles.length === 0 || tenants.length === 0) throw new UsageError('token needs --sub, --roles and --tenants');
  const { secret } = resolveJwtSecret(ctx.config);
  try {
    const minted = new TokenService(secret, { maxTtlSeconds: ctx.config.tokenMaxTtlSeconds }).sign(
      { sub: values.sub, roles: roles as Role[], tenants },
      values.ttl,
    );
    ctx.stdout.write(`${minted}\n`);
  } catch (error) {
    if (error instanceof TokenLifetimeError) throw new UsageError(`--ttl: ${error.message}`);
    throw error;
  }
  return 0;
};
