import { resolve } from 'node:path';

/** Everything configurable, read once from the environment. Names are documented in README.md. */
export interface AppConfig {
  port: number;
  host: string;
  /** Folder of the embedded stores and of the generated JWT secret. */
  dataDir: string;
  /** Set: events go to KurrentDB/EventStoreDB. Unset: embedded SQLite. */
  kurrentDbConnectionString?: string;
  /** The embedded event store's positions (ITSM_SQLITE_POSITIONS=dense|sparse; sparse is server-shaped). */
  sqlitePositions: 'dense' | 'sparse';
  /** Set: read models go to MongoDB. Unset: embedded SQLite. */
  mongoDbUri?: string;
  /** HMAC secret for JWT bearer tokens; generated into dataDir when unset in embedded mode. */
  jwtSecret?: string;
  /** Run the SLA timer in this process (ITSM_SLA_TIMER=on|off; default on, so the embedded API is complete). */
  slaTimer: boolean;
  /** Run the read-model projector in this process (ITSM_PROJECTOR=on|off; default on). */
  projector: boolean;
  /** Record checkpoints of the log's global hash chain in this process (ITSM_AUDIT_CHECKPOINTS=on|off; default on). */
  auditCheckpoints: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (got ${env.PORT})`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.ITSM_DATA_DIR ?? './data'),
    kurrentDbConnectionString: env.KURRENTDB_CONNECTION_STRING || undefined,
    sqlitePositions: sqlitePositions(env.ITSM_SQLITE_POSITIONS),
    mongoDbUri: env.MONGODB_URI || undefined,
    jwtSecret: env.ITSM_JWT_SECRET || undefined,
    slaTimer: (env.ITSM_SLA_TIMER ?? 'on') !== 'off',
    projector: (env.ITSM_PROJECTOR ?? 'on') !== 'off',
    auditCheckpoints: (env.ITSM_AUDIT_CHECKPOINTS ?? 'on') !== 'off',
  };
}

function sqlitePositions(value = 'dense'): 'dense' | 'sparse' {
  if (value !== 'dense' && value !== 'sparse') throw new Error(`ITSM_SQLITE_POSITIONS must be dense or sparse (got ${value})`);
  return value;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
