import { SlaTimer, TicketService } from '@itsm/application';
import { loadConfig } from '@itsm/config';
import { AuditCheckpointer, createEventStore } from '@itsm/event-store';
import { Projector, reportsProjection } from '@itsm/projections';
import { createReadStore } from '@itsm/read-store';

/**
 * The worker for production deployments (KurrentDB + MongoDB): builds the read models from the log
 * (checkpointed, resumable) and runs the SLA timer. Run the API with ITSM_PROJECTOR=off and
 * ITSM_SLA_TIMER=off then. Embedded, the API does this work in-process.
 */
async function main() {
  const config = loadConfig();
  const store = createEventStore(config);
  const reads = createReadStore(config);
  const clock = { now: () => new Date() };
  const projector = new Projector(store, reads, reportsProjection(), { onError: (e) => console.error('projector:', e) });
  await projector.init();
  const timer = new SlaTimer(store, new TicketService(store, clock), clock, {
    onError: (error, ticketId) => console.error(`sla-timer: ticket ${ticketId}:`, error),
  });
  const checkpointer = new AuditCheckpointer(store, { onError: (e) => console.error('audit-checkpointer:', e) });
  const stop = async () => {
    await Promise.all([timer.stop(), projector.stop(), checkpointer.stop()]);
    await Promise.all([store.close(), reads.close()]);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  projector.start();
  timer.start();
  checkpointer.start();
  console.log(`projector: read models (${reads.kind}), SLA timer and audit checkpoints following the ${store.kind} log`);
  setInterval(async () => console.log(`projector: ${JSON.stringify(await projector.status())}`), 60_000).unref();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
