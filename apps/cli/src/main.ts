import { parseArgs } from 'node:util';
import { createEventStore } from '@itsm/event-store';
import { loadConfig } from '@itsm/config';
import { resolveJwtSecret } from '../../api/src/auth/jwt-secret';
import { ROLES, type Role } from '../../api/src/auth/roles';
import { TokenService } from '../../api/src/auth/token.service';

const USAGE = `usage: itsm <command> [options]
  stats                                  events in the log and the head position
  token --sub NAME --roles R[,R] --tenants T[,T]|* [--ttl 8h]
                                         mint a bearer token for the configured secret
                                         roles: ${ROLES.join(', ')}
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'stats': {
      const store = createEventStore(loadConfig());
      console.log(JSON.stringify({ adapter: store.kind, headPosition: (await store.headPosition()).toString() }));
      await store.close();
      return 0;
    }
    case 'token': {
      const { values } = parseArgs({
        args: rest,
        options: { sub: { type: 'string' }, roles: { type: 'string' }, tenants: { type: 'string' }, ttl: { type: 'string', default: '8h' } },
      });
      const roles = (values.roles ?? '').split(',').filter(Boolean);
      const tenants = (values.tenants ?? '').split(',').filter(Boolean);
      const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
      if (!values.sub || roles.length === 0 || tenants.length === 0 || unknown.length) {
        process.stderr.write(unknown.length ? `unknown roles: ${unknown.join(', ')}\n${USAGE}` : USAGE);
        return 2;
      }
      const { secret } = resolveJwtSecret(loadConfig());
      console.log(new TokenService(secret).sign({ sub: values.sub, roles: roles as Role[], tenants }, values.ttl));
      return 0;
    }
    default:
      process.stderr.write(USAGE);
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
