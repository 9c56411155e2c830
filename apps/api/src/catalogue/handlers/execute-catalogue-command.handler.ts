import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, StaleRevisionError, type CommandResult, type EventStore } from '@itsm/event-store';
import { CLOCK, type Clock } from '../../common/clock';
import { commandMetadata } from '../../common/command-request';
import { CatalogueRepository, executeCatalogueCommand } from '@itsm/application';
import { assertMayChangeEntry } from '../catalogue-access';
import { ExecuteCatalogueCommand } from '../commands/execute-catalogue-command';

@CommandHandler(ExecuteCatalogueCommand)
export class ExecuteCatalogueCommandHandler implements ICommandHandler<ExecuteCatalogueCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly catalogue: CatalogueRepository,
  ) {}

  /**
   * Who may change the entry is judged first (before any rule could tell what exists), on the entry
   * as read; the change is then appended at that revision, so a concurrent change that widened the
   * entry's tenants makes it look again rather than slip past the check. The catalogue's own rules
   * (a value's fields, that the tenants and supplier it names exist) are the catalogue decider's.
   */
  async execute({ kind, id, action, value, request }: ExecuteCatalogueCommand): Promise<CommandResult> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.catalogue.get<object>(kind, id);
      assertMayChangeEntry(request.principal, kind, id, value, current?.value, action);
      try {
        return await executeCatalogueCommand(
          this.store,
          { kind, id, action, value },
          commandMetadata(request, kind === 'Tenant' ? id : '*'),
          () => this.clock.now(),
          request.ifMatch ?? current?.revision,
        );
      } catch (error) {
        if (!(error instanceof StaleRevisionError) || request.ifMatch !== undefined || attempt >= 20) throw error;
      }
    }
  }
}
