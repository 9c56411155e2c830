import { parseArgs } from 'node:util';
import { resolveJwtSecret, ROLES, TokenService, type Role } from '@itsm/auth';
import type { CliCommand } from '../cli-context';
import { UsageError } from './export';

/** Mints a bearer token for the configured secret. */
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
  ctx.stdout.write(`${new TokenService(secret).sign({ sub: values.sub, roles: roles as Role[], tenants }, values.ttl)}\n`);
  return 0;
};
