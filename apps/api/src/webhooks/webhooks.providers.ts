import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type Provider } from '@nestjs/common';
import {
  HttpWebhookSender,
  resolveWebhookKey,
  SecretBox,
  systemResolve,
  WebhookCommands,
  WebhookDeliveryProcessor,
  type ReceiverPolicy,
} from '@itsm/application';
import { APP_CONFIG, type AppConfig } from '@itsm/config';
import { EVENT_STORE, type EventStore } from '@itsm/event-store';
import { READ_STORE, type ReadStore } from '@itsm/read-store';
import { CLOCK, type Clock } from '../common/clock';

/** The box sealing webhook secrets; null when no key is configured (servers without ITSM_WEBHOOK_KEY). */
export const SECRET_BOX = Symbol('SECRET_BOX');
export const RECEIVER_POLICY = Symbol('RECEIVER_POLICY');

export const webhookProviders: Provider[] = [
  {
    provide: SECRET_BOX,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) => {
      const key = resolveWebhookKey(config);
      return key ? new SecretBox(key) : null;
    },
  },
  {
    provide: RECEIVER_POLICY,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig): ReceiverPolicy => ({ allowPrivate: config.webhooksAllowPrivate, resolve: systemResolve }),
  },
  {
    provide: WebhookCommands,
    inject: [EVENT_STORE, SECRET_BOX, RECEIVER_POLICY, CLOCK],
    useFactory: (store: EventStore, box: SecretBox | null, policy: ReceiverPolicy, clock: Clock) =>
      new WebhookCommands(store, box ?? undefined, policy, () => clock.now()),
  },
  {
    provide: WebhookDeliveryProcessor,
    inject: [EVENT_STORE, READ_STORE, SECRET_BOX, RECEIVER_POLICY, CLOCK, APP_CONFIG],
    useFactory: async (events: EventStore, reads: ReadStore, box: SecretBox | null, policy: ReceiverPolicy, clock: Clock, config: AppConfig) => {
      const logger = new Logger('WebhookDeliveries');
      const processor = new WebhookDeliveryProcessor(events, reads, {
        secrets: box ?? undefined,
        sender: new HttpWebhookSender(policy),
        now: () => clock.now().getTime(),
        maxAttempts: config.webhookMaxAttempts,
        // A moved clock (tests, a demo) is noticed within this much.
        pollMs: 500,
        onError: (e) => logger.error(String((e as Error)?.stack ?? e)),
      });
      await processor.init(); // declares the ledger, which the API reads even when another process delivers
      return processor;
    },
  },
];

/**
 * Embedded, the API delivers webhooks itself; where apps/projector runs (ITSM_PROJECTOR=off here),
 * it does, unless ITSM_WEBHOOKS says otherwise. Stopped before the stores close.
 */
@Injectable()
export class WebhookDeliveryLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly processor: WebhookDeliveryProcessor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.webhooks ?? this.config.projector) this.processor.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.processor.stop();
  }
}
