import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TicketService } from '@itsm/application';
import type { CommandResult } from '@itsm/event-store';
import { commandMetadata } from '../../common/command-request';
import { ExecuteTicketCommand } from '../commands/execute-ticket-command';

/** Thin: the ticket service loads, decides and appends with the revision it read. */
@CommandHandler(ExecuteTicketCommand)
export class ExecuteTicketCommandHandler implements ICommandHandler<ExecuteTicketCommand, CommandResult> {
  constructor(private readonly tickets: TicketService) {}

  execute({ tenantId, ticketId, command, request }: ExecuteTicketCommand): Promise<CommandResult> {
    return this.tickets.execute(tenantId, ticketId, command, {
      metadata: commandMetadata(request, tenantId),
      ifMatch: request.ifMatch,
    });
  }
}
