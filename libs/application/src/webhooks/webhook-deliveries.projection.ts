import { parseStreamId } from '@itsm/domain';
import type { RecordedEvent } from '@itsm/event-store';
import type { ProjectionContext, ProjectionDefinition } from '@itsm/projections';
import { tenantScope } from '../event-feed/tenant-scope';
import { isWebhookEventType, webhookWants } from './webhook-event-types';
import {
  deliveryKey,
  LEDGER_COLLECTIONS,
  LEDGER_COMPOUND_INDEXES,
  subscriptionKey,
  WEBHOOK_PROJECTION,
  type DeliveryDoc,
  type SubscriptionDoc,
  type TenantHooksDoc,
} from './webhook-ledger';
import type { Webhook } from './webhook-registry';

const DEFAULT_ZONE = 'Europe/London';

/**
 * The enqueue side of webhook delivery, pure: from the log, in its order, the webhooks in force and
 * one pending delivery per event a webhook asks for, numbered in log order. A webhook receives what
 * the log records after its registration and before its removal. Committed with the checkpoint, so
 * a restart neither loses a delivery nor enqueues one twice.
 */
export function webhookDeliveriesProjection(): ProjectionDefinition {
  return {
    ...WEBHOOK_PROJECTION,
    collections: LEDGER_COLLECTIONS,
    compoundIndexes: LEDGER_COMPOUND_INDEXES,
    async apply(e, ctx) {
      const stream = parseStreamId(e.streamId);
      if (stream?.kind === 'webhooks') return applyRegistryEvent(stream.tenantId, e, ctx);
      if (stream?.kind === 'catalogue' && stream.catalogueKind === 'Tenant' && typeof e.data.timeZone === 'string') {
        const tenantId = stream.id;
        const doc = await ctx.get<TenantHooksDoc>('webhook_tenants', tenantId);
        ctx.put('webhook_tenants', tenantId, { id: tenantId, hooks: [], ...doc, timeZone: e.data.timeZone });
        return;
      }
      if (!isWebhookEventType(e.type)) return;
      const scope = tenantScope(e);
      if (scope.kind !== 'own') return;
      for (const tenantId of [scope.tenantId, ...scope.shared]) await enqueue(tenantId, e, ctx);
    },
  };
}

async function enqueue(tenantId: string, e: RecordedEvent, ctx: ProjectionContext): Promise<void> {
  const tenant = await ctx.get<TenantHooksDoc>('webhook_tenants', tenantId);
  for (const webhookId of tenant?.hooks ?? []) {
    const sub = await ctx.get<SubscriptionDoc>('webhook_subscriptions', subscriptionKey(tenantId, webhookId));
    if (!sub?.active || !webhookWants(sub.events, e)) continue;
    const id = deliveryKey(tenantId, webhookId, e.id);
    const delivery: DeliveryDoc = {
      id,
      hook: sub.id,
      tenantId,
      webhookId,
      eventId: e.id,
      type: e.type,
      streamId: e.streamId,
      revision: e.revision.toString(),
      position: e.position.toString(),
      seq: sub.nextSeq,
      timeZone: tenant?.timeZone ?? DEFAULT_ZONE,
      status: 'pending',
      attempts: 0,
      failures: 0,
      lastStatus: null,
      lastError: null,
      lastAttemptAt: null,
      nextAttemptAt: null,
      deliveredAt: null,
    };
    ctx.put('webhook_deliveries', id, delivery);
    ctx.put('webhook_subscriptions', sub.id, { ...sub, nextSeq: sub.nextSeq + 1 });
  }
}

async function applyRegistryEvent(tenantId: string, e: RecordedEvent, ctx: ProjectionContext): Promise<void> {
  const webhookId = String(e.data.webhookId);
  const key = subscriptionKey(tenantId, webhookId);
  const tenant = (await ctx.get<TenantHooksDoc>('webhook_tenants', tenantId)) ?? { id: tenantId, hooks: [] };
  if (e.type === 'WebhookRegistered') {
    const { url, events, secret } = e.data as unknown as Webhook;
    const sub: SubscriptionDoc = { id: key, tenantId, webhookId, url, events, secret, active: true, nextSeq: 1 };
    ctx.put('webhook_subscriptions', key, sub);
    ctx.put('webhook_tenants', tenantId, { ...tenant, hooks: [...tenant.hooks.filter((h) => h !== webhookId), webhookId] });
  } else if (e.type === 'WebhookRemoved') {
    const sub = await ctx.get<SubscriptionDoc>('webhook_subscriptions', key);
    if (sub) ctx.put('webhook_subscriptions', key, { ...sub, active: false });
    ctx.put('webhook_tenants', tenantId, { ...tenant, hooks: tenant.hooks.filter((h) => h !== webhookId) });
  } else if (e.type === 'WebhookDeliveryRetryRequested') {
    // Only a parked delivery goes back in line; the processor alone writes pending ones.
    const id = deliveryKey(tenantId, webhookId, String(e.data.eventId));
    const delivery = await ctx.get<DeliveryDoc>('webhook_deliveries', id);
    if (delivery?.status === 'failed') ctx.put('webhook_deliveries', id, { ...delivery, status: 'pending', failures: 0, nextAttemptAt: null });
  }
}
