import { physicalCollection } from '@itsm/projections';
import type { SealedSecret } from './secret-box';

/**
 * The delivery ledger's documents. They are built from the log by the webhook-deliveries
 * projection (registrations and the deliveries each event calls for, committed with its checkpoint)
 * and brought up to date by the processor after each attempt. Unlike report read models they are
 * not disposable: a rebuild would send everything again, so the projection's version never changes.
 */
export const WEBHOOK_PROJECTION = { name: 'webhook-deliveries', version: 1 } as const;

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** A webhook as the processor knows it. */
export interface SubscriptionDoc {
  /** `<tenantId>/<webhookId>` */
  id: string;
  tenantId: string;
  webhookId: string;
  url: string;
  events: string[];
  secret: SealedSecret;
  active: boolean;
  /** The next delivery's number: deliveries of a webhook are numbered in log order. */
  nextSeq: number;
}

/** Per tenant: its zone (for display in payloads) and its webhooks in force. */
export interface TenantHooksDoc {
  id: string;
  timeZone?: string;
  hooks: string[];
}

/** One event to one webhook: the ledger's row. */
export interface DeliveryDoc {
  /** `<tenantId>/<webhookId>/<eventId>` */
  id: string;
  /** The webhook's SubscriptionDoc id. */
  hook: string;
  tenantId: string;
  webhookId: string;
  eventId: string;
  type: string;
  streamId: string;
  revision: string;
  position: string;
  /** Log order within the webhook. */
  seq: number;
  timeZone: string;
  status: DeliveryStatus;
  /** Every attempt made. */
  attempts: number;
  /** Failures since it was last enqueued or retried by an admin: at the limit it is parked (failed). */
  failures: number;
  lastStatus: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

export const LEDGER_COLLECTIONS = {
  webhook_subscriptions: ['tenantId', 'active'],
  webhook_tenants: [],
  webhook_deliveries: ['hook', 'status', 'seq'],
};
export const LEDGER_COMPOUND_INDEXES = {
  webhook_deliveries: [
    ['hook', 'status', 'seq'],
    ['hook', 'seq'],
  ],
};

/** The physical collections the processor and the API read. */
export const LEDGER = {
  subscriptions: physicalCollection('webhook_subscriptions', WEBHOOK_PROJECTION.version),
  deliveries: physicalCollection('webhook_deliveries', WEBHOOK_PROJECTION.version),
};

export const subscriptionKey = (tenantId: string, webhookId: string) => `${tenantId}/${webhookId}`;
export const deliveryKey = (tenantId: string, webhookId: string, eventId: string) => `${tenantId}/${webhookId}/${eventId}`;

/** A ledger row as the API shows it. */
export function deliveryView(d: DeliveryDoc) {
  return {
    eventId: d.eventId,
    type: d.type,
    position: d.position,
    status: d.status,
    attempts: d.attempts,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    lastAttemptAt: d.lastAttemptAt,
    nextAttemptAt: d.nextAttemptAt,
    deliveredAt: d.deliveredAt,
  };
}
