import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@itsm/config';
import { AuditCheckpointer } from '@itsm/event-audit';
import { EVENT_STORE, type EventStore } from '@itsm/event-store';

/** Embedded, the API records the global chain's checkpoints (ITSM_AUDIT_CHECKPOINTS=off where apps/projector does). */
@Injectable()
export class AuditCheckpointLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly checkpointer: AuditCheckpointer;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const logger = new Logger('AuditCheckpointer');
    this.checkpointer = new AuditCheckpointer(store, { onError: (e) => logger.error(String((e as Error)?.stack ?? e)) });
  }

  onApplicationBootstrap(): void {
    if (this.config.auditCheckpoints) this.checkpointer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.checkpointer.stop();
  }
}
