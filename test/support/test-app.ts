import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { loadConfig, type AppConfig } from '@itsm/config';
import { createApp } from '../../apps/api/src/create-app';

/** Boots the real application on fresh embedded stores in a temporary folder. */
export async function startTestApp(overrides: Partial<AppConfig> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'itsm-e2e-'));
  const config: AppConfig = { ...loadConfig({}), dataDir, jwtSecret: 'e2e-secret', ...overrides };
  const app: INestApplication = await createApp(config, { logger: false });
  await app.init();
  return {
    app,
    config,
    http: app.getHttpServer(),
    async stop() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
