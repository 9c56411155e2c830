import { HttpWebhookSender, resolveWebhookKey, SecretBox, SlaTimer, systemResolve, TicketService, WebhookDeliveryProcessor } from '@itsm/application';
import { loadConfig } from '@itsm/config';
import { AuditCheckpointer } from '@itsm/event-audit';
import { createEventStore, createReadStore } from '@itsm/store-adapters';
import { Projector, reportsProjection } from '@itsm/projections';

/**
 * The worker for production deployments (KurrentDB + MongoDB): builds the read models from the log
 * (checkpointed, resumable), runs the SLA timer and delivers webhooks. Run the API with
 * ITSM_PROJECTOR=off and ITSM_SLA_TIMER=off then (its webhooks follow ITSM_PROJECTOR). Embedded,
 * the API does this work in-process. ITSM_WEBHOOKS=off leaves webhook delivery to another process.
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
  const key = resolveWebhookKey(config);
  if (!key) console.warn('projector: ITSM_WEBHOOK_KEY is not set: webhook deliveries cannot be signed and wait until it is');
  const webhooks = new WebhookDeliveryProcessor(store, reads, {
    secrets: key ? new SecretBox(key) : undefined,
    sender: new HttpWebhookSender({ allowPrivate: config.webhooksAllowPrivate, resolve: systemResolve }),
    maxAttempts: config.webhookMaxAttempts,
    onError: (e) => console.error('webhooks:', e),
  });
  await webhooks.init();
  const stop = async () => {
    await Promise.all([timer.stop(), projector.stop(), checkpointer.stop(), webhooks.stop()]);
    await Promise.all([store.close(), reads.close()]);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  projector.start();
  timer.start();
  checkpointer.start();
  if (config.webhooks ?? true) webhooks.start();
  console.log(
    `projector: read models (${reads.kind}), SLA timer, audit checkpoints${(config.webhooks ?? true) ? ' and webhook deliveries' : ''} following the ${store.kind} log`,
  );
  setInterval(() => void projector.status().then((status) => console.log(`projector: ${JSON.stringify(status)}`)), 60_000).unref();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
