import { loadConfig } from '@itsm/config';
import { describeDuration, resolveJwtSecret, TokenService } from '@itsm/auth';
import { createApp } from './create-app';

async function main() {
  const config = loadConfig();
  const { secret, generated } = resolveJwtSecret(config);
  const app = await createApp(config, { jwtSecret: secret });
  await app.listen(config.port, config.host);
  const where = config.kurrentDbConnectionString ? 'KurrentDB' : `embedded SQLite in ${config.dataDir}`;
  console.log(`ITSM API listening on http://localhost:${config.port} (events: ${where}); GET /health, docs at /docs`);
  if (generated) {
    const ttl = Math.min(30 * 86_400, config.tokenMaxTtlSeconds);
    const token = new TokenService(secret, { maxTtlSeconds: config.tokenMaxTtlSeconds }).sign(
      { sub: 'admin', roles: ['admin', 'operator', 'auditor', 'reporter'], tenants: ['*'] },
      ttl,
    );
    console.log(
      `\nFirst start: generated a JWT secret in ${config.dataDir}/jwt-secret. An admin token (shown once, valid ${describeDuration(ttl)}):\n\n${token}\n`,
    );
    console.log('Mint more with: npm run cli -- token --sub alice --roles operator --tenants CoL,CoLP\n');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
