import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CatalogueRepository } from '@itsm/application';
import {
  EVENT_SCHEMA_VERSION,
  decideSlaPolicy,
  evolveSlaPolicy,
  initialSlaPolicyState,
  notFound,
  slaPolicyStream,
  type SlaPolicyState,
  type SlaPolicyVersionDefined,
} from '@itsm/domain';
import { EVENT_STORE, handleCommand, type CommandResult, type EventStore } from '@itsm/event-store';
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
    return handleCommand<SlaPolicyState, SlaPolicyVersionDefined>(this.store, {
      streamId: slaPolicyStream(tenantId),
      initialState: initialSlaPolicyState,
      evolve: evolveSlaPolicy,
      decide: (state) => decideSlaPolicy(policy, state, this.clock.now().toISOString()),
      metadata: commandMetadata(request, tenantId),
      expectedRevision: request.ifMatch,
      schemaVersion: EVENT_SCHEMA_VERSION,
      now: () => this.clock.now(),
    });
  }
}
