import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadConfig } from '@itsm/config';
import { createApp } from '../create-app';
import { buildOpenApiDocument } from './openapi-document';

/**
 * Writes the API's OpenAPI document to a file without starting a server, for the linters
 * (`npm run openapi:write`, then `npm run lint:openapi`). The app is built on fresh embedded
 * stores in a temporary folder, with no background workers; nothing listens.
 * Usage: node dist/apps/api/src/openapi/write-openapi.js [out=dist/openapi.json]
 */
async function main(out = resolve(process.argv[2] ?? 'dist/openapi.json')) {
  const dataDir = mkdtempSync(join(tmpdir(), 'itsm-openapi-'));
  try {
    const config = { ...loadConfig({}), dataDir, slaTimer: false, projector: false, auditCheckpoints: false, webhooks: false };
    const app = await createApp(config, { jwtSecret: 'openapi-document-only', logger: ['error', 'warn'] });
    try {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
    } finally {
      await app.close();
    }
    console.log(`OpenAPI document written to ${out}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
