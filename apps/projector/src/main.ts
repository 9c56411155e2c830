import { SlaTimer, TicketService } from '@itsm/application';
import { loadConfig } from '@itsm/config';
import { createEventStore } from '@itsm/event-store';

/**
 * The worker for production deployments (KurrentDB + MongoDB): runs the SLA timer, which appends
 * warnings, breaches and automatic closes as time passes. Run the API with ITSM_SLA_TIMER=off then.
 * Projections join it with the read-models issue. Embedded, the API does this work in-process.
 */
async function main() {
  const config = loadConfig();
  const store = createEventStore(config);
  const clock = { now: () => new Date() };
  const timer = new SlaTimer(store, new TicketService(store, clock), clock, {
    onError: (error, ticketId) => console.error(`sla-timer: ticket ${ticketId}:`, error),
  });
  const stop = async () => {
    await timer.stop();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  timer.start();
  console.log(`projector: SLA timer following the ${store.kind} log`);
  setInterval(() => console.log(`projector: ${JSON.stringify(timer.stats(), (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`), 60_000).unref();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
