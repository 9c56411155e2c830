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
  /** Requests a principal (a token's sub; an IP address without a valid token) may make per minute (ITSM_RATE_LIMIT_PER_MINUTE; 0 = no limit). */
  rateLimitPerMinute: number;
  /** The longest lifetime (exp − iat) a bearer token may have, in seconds (ITSM_TOKEN_MAX_TTL, e.g. 30d, 8h, 3600). */
  tokenMaxTtlSeconds: number;
  /**
   * Deliver webhooks in this process (ITSM_WEBHOOKS=on|off). Unset: as the projector (ITSM_PROJECTOR),
   * so the process that builds read models delivers them, and one process alone does.
   */
  webhooks?: boolean;
  /** Receivers on loopback, private or link-local addresses, and plain http (ITSM_WEBHOOKS_ALLOW_PRIVATE=on; default off). */
  webhooksAllowPrivate: boolean;
  /** Failures in a row before a delivery is parked for an admin to retry (ITSM_WEBHOOKS_MAX_ATTEMPTS; default 10). */
  webhookMaxAttempts: number;
  /** Seals webhook secrets in the log (ITSM_WEBHOOK_KEY, at least 32 characters); embedded without it, generated into dataDir. */
  webhookKey?: string;
}

/** Sized so one principal sending as fast as the API answers (the bench and soak: ~3,000/s) is never limited. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600_000;
export const DEFAULT_TOKEN_MAX_TTL = '30d';

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
    rateLimitPerMinute: rateLimit(env.ITSM_RATE_LIMIT_PER_MINUTE),
    tokenMaxTtlSeconds: tokenMaxTtl(env.ITSM_TOKEN_MAX_TTL),
    webhooks: env.ITSM_WEBHOOKS === undefined || env.ITSM_WEBHOOKS === '' ? undefined : env.ITSM_WEBHOOKS !== 'off',
    webhooksAllowPrivate: env.ITSM_WEBHOOKS_ALLOW_PRIVATE === 'on',
    webhookMaxAttempts: webhookMaxAttempts(env.ITSM_WEBHOOKS_MAX_ATTEMPTS),
    webhookKey: webhookKey(env.ITSM_WEBHOOK_KEY),
  };
}

function webhookMaxAttempts(value = '10'): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 100) throw new Error(`ITSM_WEBHOOKS_MAX_ATTEMPTS must be a whole number from 1 to 100 (got ${value})`);
  return n;
}

function webhookKey(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < 32) throw new Error('ITSM_WEBHOOK_KEY must be at least 32 characters (e.g. 32 random bytes in base64)');
  return value;
}

function rateLimit(value = String(DEFAULT_RATE_LIMIT_PER_MINUTE)): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
    throw new Error(`ITSM_RATE_LIMIT_PER_MINUTE must be a whole number of requests (0: no limit) (got ${value})`);
  return n;
}

function tokenMaxTtl(value = DEFAULT_TOKEN_MAX_TTL): number {
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined || seconds < 60)
    throw new Error(`ITSM_TOKEN_MAX_TTL must be a duration of at least a minute: <n>s, <n>m, <n>h, <n>d or seconds (got ${value})`);
  return seconds;
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const isUnit = (unit: string): unit is keyof typeof UNIT_SECONDS => Object.hasOwn(UNIT_SECONDS, unit);

/** `90`, `90s`, `15m`, `8h`, `30d` → seconds; anything else → undefined. Shared by the API, the CLI and ITSM_TOKEN_MAX_TTL. */
export function parseDurationSeconds(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  const [, amount, unit = ''] = /^\s*(\d{1,9})\s*([smhd]?)\s*$/.exec(value) ?? [];
  if (amount === undefined) return undefined;
  const seconds = Number(amount) * (isUnit(unit) ? UNIT_SECONDS[unit] : UNIT_SECONDS.s);
  return seconds > 0 ? seconds : undefined;
}

function sqlitePositions(value = 'dense'): 'dense' | 'sparse' {
  if (value !== 'dense' && value !== 'sparse') throw new Error(`ITSM_SQLITE_POSITIONS must be dense or sparse (got ${value})`);
  return value;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
