import { loadConfig } from '@itsm/config';
import { createApp } from './create-app';

async function main() {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const where = config.kurrentDbConnectionString ? 'KurrentDB' : `embedded SQLite in ${config.dataDir}`;
  console.log(`ITSM API listening on http://localhost:${config.port} (events: ${where}); try GET /health`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
