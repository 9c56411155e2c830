import { createEventStore } from '@itsm/event-store';
import { loadConfig } from '@itsm/config';

/**
 * The projection and SLA-timer worker for production deployments (KurrentDB + MongoDB).
 * For now it follows the log from the start and reports progress; projections arrive with the
 * read-models issue. In embedded mode the API runs the same work in-process.
 */
async function main() {
  const config = loadConfig();
  const store = createEventStore(config);
  const subscription = store.subscribeToAll();
  const stop = async () => {
    await subscription.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log(`projector following the ${store.kind} log`);
  let seen = 0;
  for await (const event of subscription) {
    seen++;
    if (seen % 10_000 === 0) console.log(`projector at position ${event.position} (${seen} events)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
