import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '@itsm/config';
import { AuthGuard } from './auth/auth.guard';
import { TOKEN_SERVICE, TokenService } from '@itsm/auth';
import { CatalogueController } from './catalogue/catalogue.controller';
import { ExecuteCatalogueCommandHandler } from './catalogue/handlers/execute-catalogue-command.handler';
import { GetCatalogueEntryHandler } from './catalogue/handlers/get-catalogue-entry.handler';
import { CLOCK, systemClock, type Clock } from './common/clock';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { FixedWindowThrottlerStorage, PrincipalThrottlerGuard, RATE_LIMIT_WINDOW_MS } from './common/rate-limit';
import { EventStoreLifecycle, eventStoreProvider } from './event-store.provider';
import { applicationProviders, SlaTimerLifecycle } from './application.providers';
import { ProjectorLifecycle, readModelProviders } from './read-models.providers';
import { ReportsController } from './reports/reports.controller';
import { ReportSource } from './reports/report-source';
import { GetTicketSlaHandler } from './tickets/handlers/get-ticket-sla.handler';
import { GetTicketHistoryHandler } from './tickets/handlers/get-ticket-history.handler';
import { SlaPoliciesController } from './sla-policies/sla-policies.controller';
import { DefineSlaPolicyHandler } from './sla-policies/handlers/define-sla-policy.handler';
import { slaPolicySimulationsProvider } from './sla-policies/sla-policy-simulations';
import { HealthController } from './health/health.controller';
import { ExecuteTicketCommandHandler } from './tickets/handlers/execute-ticket-command.handler';
import { GetTicketHandler } from './tickets/handlers/get-ticket.handler';
import { TicketsController } from './tickets/tickets.controller';
import { AuditController } from './audit/audit.controller';
import { AuditCheckpointLifecycle } from './audit/audit-checkpoint.lifecycle';
import { DashboardController } from './dashboard/dashboard.controller';
import { TenantGroupsController } from './catalogue/tenant-groups.controller';
import { TenantGroupDirectory } from './catalogue/tenant-group-directory';
import { CatalogueDirectory } from './catalogue/catalogue-directory';
import { GroupReportsController } from './reports/group-reports.controller';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhookDeliveryLifecycle, webhookProviders } from './webhooks/webhooks.providers';
import { EventsFeedController } from './events-feed/events-feed.controller';
import { eventsFeedProviders } from './events-feed/events-feed.providers';
import { EscalationPolicyController, escalationProviders } from './escalation/escalation.providers';
import { QueueController, queueProviders } from './queue/queue.providers';
import { PublicationsController } from './publications/publications.controller';
import { GroupPublicationsController } from './publications/group-publications.controller';
import { Publications } from './publications/publications.service';
import { PublicationSnapshots } from './publications/publication-snapshots';

/** Every command and query handler, registered through this one list. */
const HANDLERS = [
  ExecuteTicketCommandHandler,
  GetTicketHandler,
  GetTicketSlaHandler,
  GetTicketHistoryHandler,
  ExecuteCatalogueCommandHandler,
  GetCatalogueEntryHandler,
  DefineSlaPolicyHandler,
];

export interface AppModuleOptions {
  config: AppConfig;
  jwtSecret: string;
  clock?: Clock;
}

@Module({})
export class AppModule {
  static register({ config, jwtSecret, clock }: AppModuleOptions): DynamicModule {
    // ITSM_RATE_LIMIT_PER_MINUTE=0 turns the limit off; otherwise it is checked first, before authentication.
    const limited = config.rateLimitPerMinute > 0;
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        ...(limited
          ? [
              ThrottlerModule.forRoot({
                throttlers: [{ ttl: RATE_LIMIT_WINDOW_MS, limit: config.rateLimitPerMinute }],
                storage: new FixedWindowThrottlerStorage(),
              }),
            ]
          : []),
      ],
      controllers: [
        WebhooksController,
        EventsFeedController,
        HealthController,
        TicketsController,
        CatalogueController,
        TenantGroupsController,
        SlaPoliciesController,
        ReportsController,
        GroupReportsController,
        PublicationsController,
        GroupPublicationsController,
        AuditController,
        DashboardController,
        EscalationPolicyController,
        QueueController,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock ?? systemClock },
        { provide: TOKEN_SERVICE, useValue: new TokenService(jwtSecret, { maxTtlSeconds: config.tokenMaxTtlSeconds }) },
        ...(limited ? [{ provide: APP_GUARD, useClass: PrincipalThrottlerGuard }] : []),
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        eventStoreProvider,
        EventStoreLifecycle,
        ...applicationProviders,
        SlaTimerLifecycle,
        ...readModelProviders,
        ProjectorLifecycle,
        AuditCheckpointLifecycle,
        CatalogueDirectory,
        TenantGroupDirectory,
        ReportSource,
        ...escalationProviders,
        ...queueProviders,
        PublicationSnapshots,
        Publications,
        slaPolicySimulationsProvider,
        ...webhookProviders,
        WebhookDeliveryLifecycle,
        ...eventsFeedProviders,
        ...HANDLERS,
      ],
    };
  }
}
