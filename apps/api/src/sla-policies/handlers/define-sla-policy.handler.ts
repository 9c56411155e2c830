import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CatalogueRepository, defineSlaPolicyVersion } from '@itsm/application';
import { notFound } from '@itsm/domain';
import { EVENT_STORE, type CommandResult, type EventStore } from '@itsm/event-store';
import { CLOCK, type Clock } from '../../common/clock';
import { commandMetadata } from '../../common/command-request';
import { DefineSlaPolicyCommand } from '../commands/define-sla-policy.command';

@CommandHandler(DefineSlaPolicyCommand)
export class DefineSlaPolicyHandler implements ICommandHandler<DefineSlaPolicyCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly catalogue: CatalogueRepository,
  ) {}

  async execute({ tenantId, policy, request }: DefineSlaPolicyCommand): Promise<CommandResult> {
    if (!(await this.catalogue.value('Tenant', tenantId))) throw notFound('TENANT.NOT_FOUND', `Tenant ${tenantId} is not registered`);
    return defineSlaPolicyVersion(this.store, policy, commandMetadata(request, tenantId), () => this.clock.now(), { expectedRevision: request.ifMatch });
  }
}
