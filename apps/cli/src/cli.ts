import { ROLES } from '@itsm/auth';
import type { CliCommand, CliContext } from './cli-context';
import { checkpoint } from './commands/checkpoint';
import { demo } from './commands/demo';
import { report } from './commands/report';
import { exportLog, UsageError } from './commands/export';
import { importLog } from './commands/import';
import { rebuild } from './commands/rebuild';
import { stats } from './commands/stats';
import { token } from './commands/token';
import { verify } from './commands/verify';

export const USAGE = `usage: itsm <command> [options]     (the store is chosen as by the API: ITSM_DATA_DIR, KURRENTDB_CONNECTION_STRING, MONGODB_URI)
  stats                                  events, streams and types in the log; projection checkpoints and lag
  verify [--tenant T]                    recompute the hash chains and checkpoints; exit 1 at the first break
  checkpoint                             record a checkpoint of the global hash chain now
  export [--tenant T] [--stream S ...] [--from ISO] [--to ISO] [--out FILE]
                                         the log as NDJSON, one event per line (record-time range: from ≤ t < to)
  import FILE|-                          import an export into an empty store (rerun resumes an interrupted import)
  import servicenow-log FILE.csv --tenant T [--no-sla]
                                         a ServiceNow incident event-log export as ticket history (idempotent, resumable)
  import report --tenant T [--policy pinned|city-of-london-2023|shared-ict-2019]
                                         per priority and month: ServiceNow's made_sla against this system's measurement
  rebuild [reports]                      drop and rebuild read models from the log; prints their digest
  demo [--months 3] [--tickets N] [--seed 1]
                                         load the DOMAIN.md catalogue and months of realistic tickets ending now
  report --tenant T [--month YYYY-MM] [--format md|html|json|pdf|xlsx] [--out FILE]
                                         the monthly Service Delivery Summary (default: last month, Markdown)
  token --sub NAME --roles R[,R] --tenants T[,T]|* [--ttl 8h]
                                         mint a bearer token (roles: ${ROLES.join(', ')})
`;

const COMMANDS: Record<string, CliCommand> = { stats, verify, checkpoint, export: exportLog, import: importLog, rebuild, demo, report, token };

/** Runs one CLI command; returns the exit code. */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    ctx.stderr.write(name && name !== 'help' ? `unknown command ${name}\n${USAGE}` : USAGE);
    return name && name !== 'help' ? 2 : 0;
  }
  try {
    return await command(args, ctx);
  } catch (error) {
    // parseArgs reports unknown or malformed options with this code.
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      ctx.stderr.write(`${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
