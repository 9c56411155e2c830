import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CatalogueRepository, defineEscalationPolicyVersion } from '@itsm/application';
import { notFound } from '@itsm/domain';
import { EVENT_STORE, type CommandResult, type EventStore } from '@itsm/event-store';
import { CLOCK, type Clock } from '../../common/clock';
import { commandMetadata } from '../../common/command-request';
import { DefineEscalationPolicyCommand } from '../commands/define-escalation-policy.command';

@CommandHandler(DefineEscalationPolicyCommand)
export class DefineEscalationPolicyHandler implements ICommandHandler<DefineEscalationPolicyCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly catalogue: CatalogueRepository,
  ) {}

  async execute({ tenantId, policy, request }: DefineEscalationPolicyCommand): Promise<CommandResult> {
    if (!(await this.catalogue.value('Tenant', tenantId))) throw notFound('TENANT.NOT_FOUND', `Tenant ${tenantId} is not registered`);
    return defineEscalationPolicyVersion(this.store, policy, commandMetadata(request, tenantId), () => this.clock.now(), { expectedRevision: request.ifMatch });
  }
}
