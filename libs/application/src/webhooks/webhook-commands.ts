import { EVENT_SCHEMA_VERSION, invalid, toDomainEvent } from '@itsm/domain';
import { deterministicUuid, handleCommand, readWhole, type CommandMetadata, type CommandResult, type EventStore } from '@itsm/event-store';
import { metadataText } from '../event-metadata';
import { hostOf, parseReceiverUrl, receiverAddresses, type ReceiverPolicy } from './receiver-address';
import { secretBinding, type SecretBox } from './secret-box';
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from './webhook-event-types';
import {
  decideWebhookCommand,
  evolveWebhookRegistry,
  initialWebhookRegistryState,
  webhookNotFound,
  type WebhookCommand,
  type WebhookEvent,
  type WebhookRegistryState,
} from './webhook-registry';
import { webhooksStream } from './webhook-stream';

/** A webhook as its tenant's admins see it: never its secret. */
export interface WebhookView {
  webhookId: string;
  url: string;
  events: string[];
  registeredAt: string;
  registeredBy: string;
}

/** Registrations cannot be taken: no key seals secrets (ITSM_WEBHOOK_KEY unset on the servers). */
export class WebhookKeyMissingError extends Error {
  readonly code = 'WEBHOOK.KEY_NOT_CONFIGURED';
  constructor() {
    super('Webhooks need ITSM_WEBHOOK_KEY (the same in the API and the projector) to seal their secrets; none is configured');
    this.name = 'WebhookKeyMissingError';
  }
}

/**
 * The one command path for a tenant's webhooks (register, remove, ask for a parked delivery again),
 * appended to `webhooks-<tenantId>` at the revision read, like every command. The webhook id derives
 * from the command id, so a retried registration answers the same id and appends nothing.
 */
export class WebhookCommands {
  constructor(
    private readonly store: EventStore,
    private readonly secrets: SecretBox | undefined,
    private readonly policy: ReceiverPolicy,
    private readonly now: () => Date,
  ) {}

  async register(
    tenantId: string,
    request: { url: string; events: string[]; secret: string },
    metadata: CommandMetadata,
  ): Promise<{ webhookId: string; result: CommandResult }> {
    if (!this.secrets) throw new WebhookKeyMissingError();
    const unknown = request.events.filter((t) => !isWebhookEventType(t));
    if (unknown.length)
      throw invalid('WEBHOOK.UNKNOWN_EVENT_TYPE', `events must be among ${WEBHOOK_EVENT_TYPES.join(', ')} (unknown: ${unknown.join(', ')})`, 'events');
    const url = parseReceiverUrl(request.url, this.policy);
    await receiverAddresses(hostOf(url), this.policy);
    const webhookId = deterministicUuid(`webhook/${tenantId}/${metadata.commandId}`);
    const secret = this.secrets.seal(request.secret, secretBinding(tenantId, webhookId));
    const result = await this.execute(tenantId, { type: 'register', webhookId, url: url.href, events: [...new Set(request.events)], secret }, metadata);
    return { webhookId, result };
  }

  remove(tenantId: string, webhookId: string, metadata: CommandMetadata): Promise<CommandResult> {
    return this.execute(tenantId, { type: 'remove', webhookId }, metadata);
  }

  requestRetry(tenantId: string, webhookId: string, eventId: string, metadata: CommandMetadata): Promise<CommandResult> {
    return this.execute(tenantId, { type: 'requestRetry', webhookId, eventId }, metadata);
  }

  /** The webhooks in force, in registration order. */
  async list(tenantId: string): Promise<WebhookView[]> {
    const views = new Map<string, WebhookView>();
    for (const e of await readWhole(this.store, webhooksStream(tenantId))) {
      const webhookId = String(e.data.webhookId);
      if (e.type === 'WebhookRegistered') {
        const { url, events } = e.data as { url: string; events: string[] };
        views.set(webhookId, {
          webhookId,
          url,
          events,
          registeredAt: metadataText(e, 'recordedAt') || e.recordedAt.toISOString(),
          registeredBy: metadataText(e, 'actor'),
        });
      } else if (e.type === 'WebhookRemoved') views.delete(webhookId);
    }
    return [...views.values()];
  }

  /** One webhook in force; 404 WEBHOOK.NOT_FOUND otherwise (an unknown id and another tenant's answer alike). */
  async get(tenantId: string, webhookId: string): Promise<WebhookView> {
    const found = (await this.list(tenantId)).find((w) => w.webhookId === webhookId);
    if (!found) throw webhookNotFound(webhookId);
    return found;
  }

  private execute(tenantId: string, command: WebhookCommand, metadata: CommandMetadata): Promise<CommandResult> {
    return handleCommand<WebhookRegistryState, WebhookEvent>(this.store, {
      streamId: webhooksStream(tenantId),
      initialState: initialWebhookRegistryState,
      evolve: (s, e) => evolveWebhookRegistry(s, toDomainEvent<WebhookEvent>(e)),
      decide: (state) => decideWebhookCommand(command, state),
      metadata: { ...metadata, tenantId },
      schemaVersion: EVENT_SCHEMA_VERSION,
      now: this.now,
    });
  }
}
