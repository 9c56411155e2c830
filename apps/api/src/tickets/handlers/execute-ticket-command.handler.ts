import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TicketService } from '@itsm/application';
import type { CommandResult } from '@itsm/event-store';
import { ExecuteTicketCommand } from '../commands/execute-ticket-command';

/** Thin: the ticket service loads, decides and appends with the revision it read. */
@CommandHandler(ExecuteTicketCommand)
export class ExecuteTicketCommandHandler implements ICommandHandler<ExecuteTicketCommand, CommandResult> {
  constructor(private readonly tickets: TicketService) {}

  execute({ tenantId, ticketId, command, request }: ExecuteTicketCommand): Promise<CommandResult> {
    return this.tickets.execute(tenantId, ticketId, command, {
      metadata: {
        commandId: request.commandId,
        actor: request.principal.sub,
        tenantId,
        correlationId: request.correlationId,
        causationId: request.commandId,
        requestHash: request.requestHash,
      },
      ifMatch: request.ifMatch,
    });
  }
}
