import { conflict, notFound } from '@itsm/domain';
import type { SealedSecret } from './secret-box';

/**
 * A tenant's webhooks as a pure decider over its `webhooks-<tenantId>` stream. The events carry no
 * occurredAt: a registration is configuration, not a fact of the service, so it must not move the
 * business time the reports follow; metadata.recordedAt says when it was made.
 */
export type WebhookEvent =
  | { type: 'WebhookRegistered'; data: { webhookId: string; url: string; events: string[]; secret: SealedSecret } }
  | { type: 'WebhookRemoved'; data: { webhookId: string } }
  | { type: 'WebhookDeliveryRetryRequested'; data: { webhookId: string; eventId: string } };

export type WebhookCommand =
  | { type: 'register'; webhookId: string; url: string; events: string[]; secret: SealedSecret }
  | { type: 'remove'; webhookId: string }
  | { type: 'requestRetry'; webhookId: string; eventId: string };

export interface Webhook {
  webhookId: string;
  url: string;
  events: string[];
  secret: SealedSecret;
}

export interface WebhookRegistryState {
  /** The webhooks in force, in registration order. */
  webhooks: Webhook[];
  /** Every id ever used: a removed webhook's id is never given again. */
  used: string[];
}

/** Deliveries cost a request each: a tenant keeps a handful of receivers, not hundreds. */
export const MAX_WEBHOOKS_PER_TENANT = 20;

export const initialWebhookRegistryState = (): WebhookRegistryState => ({ webhooks: [], used: [] });

export function decideWebhookCommand(command: WebhookCommand, state: WebhookRegistryState): WebhookEvent[] {
  switch (command.type) {
    case 'register': {
      if (state.used.includes(command.webhookId)) throw conflict('WEBHOOK.ALREADY_REGISTERED', `Webhook ${command.webhookId} is already registered`);
      if (state.webhooks.length >= MAX_WEBHOOKS_PER_TENANT) {
        throw conflict('WEBHOOK.LIMIT_REACHED', `A tenant may have at most ${MAX_WEBHOOKS_PER_TENANT} webhooks; remove one first`);
      }
      const { webhookId, url, events, secret } = command;
      return [{ type: 'WebhookRegistered', data: { webhookId, url, events, secret } }];
    }
    case 'remove':
      assertActive(state, command.webhookId);
      return [{ type: 'WebhookRemoved', data: { webhookId: command.webhookId } }];
    case 'requestRetry':
      assertActive(state, command.webhookId);
      return [{ type: 'WebhookDeliveryRetryRequested', data: { webhookId: command.webhookId, eventId: command.eventId } }];
  }
}

export function evolveWebhookRegistry(state: WebhookRegistryState, event: { type: string; data: object }): WebhookRegistryState {
  if (event.type === 'WebhookRegistered') {
    const { webhookId, url, events, secret } = event.data as Webhook;
    return { webhooks: [...state.webhooks, { webhookId, url, events, secret }], used: [...state.used, webhookId] };
  }
  if (event.type === 'WebhookRemoved') {
    const { webhookId } = event.data as { webhookId: string };
    return { ...state, webhooks: state.webhooks.filter((w) => w.webhookId !== webhookId) };
  }
  return state;
}

/** An unknown webhook and a removed one answer alike (404). */
export const webhookNotFound = (webhookId: string) => notFound('WEBHOOK.NOT_FOUND', `No webhook ${webhookId} in this tenant`);

function assertActive(state: WebhookRegistryState, webhookId: string): void {
  if (!state.webhooks.some((w) => w.webhookId === webhookId)) throw webhookNotFound(webhookId);
}
