import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { loadConfig, type AppConfig } from '@itsm/config';
import { createApp } from '../../apps/api/src/create-app';
import { TokenService, type Principal } from '@itsm/auth';
import type { Clock } from '../../apps/api/src/common/clock';

/** Boots the real application on fresh embedded stores in a temporary folder. */
export async function startTestApp(overrides: Partial<AppConfig> = {}, clock?: Clock) {
  const dataDir = mkdtempSync(join(tmpdir(), 'itsm-e2e-'));
  const config: AppConfig = {
    ...loadConfig({}),
    dataDir,
    jwtSecret: 'e2e-secret-at-least-16-chars',
    slaTimer: false,
    projector: false,
    auditCheckpoints: false,
    ...overrides,
  };
  const app: INestApplication = await createApp(config, { jwtSecret: config.jwtSecret!, logger: false, clock });
  const tokens = new TokenService(config.jwtSecret!);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return {
    app,
    config,
    /** Base URL on loopback: supertest then sends concurrent requests to one real listener. */
    http: url.replace('[::1]', '127.0.0.1'),
    /** A bearer header for a principal. */
    auth: (p: Partial<Principal> = {}, expiresIn: string | number = '1h') =>
      `Bearer ${tokens.sign({ sub: 'tester', roles: ['operator'], tenants: ['*'], ...p }, expiresIn)}`,
    async stop() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
