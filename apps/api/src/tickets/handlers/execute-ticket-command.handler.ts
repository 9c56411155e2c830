import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TicketService } from '@itsm/application';
import { mayTouchTenant } from '@itsm/auth';
import type { CommandResult } from '@itsm/event-store';
import { commandMetadata } from '../../common/command-request';
import { ExecuteTicketCommand } from '../commands/execute-ticket-command';

/** Thin: the ticket service loads, decides and appends with the revision it read, within the caller's tenants. */
@CommandHandler(ExecuteTicketCommand)
export class ExecuteTicketCommandHandler implements ICommandHandler<ExecuteTicketCommand, CommandResult> {
  constructor(private readonly tickets: TicketService) {}

  execute({ tenantId, ticketId, command, request }: ExecuteTicketCommand): Promise<CommandResult> {
    return this.tickets.execute(tenantId, ticketId, command, {
      metadata: commandMetadata(request, tenantId),
      ifMatch: request.ifMatch,
      // Tenants a command names beyond the path's (tenantsAffected, an outage's tenantIds) are the token's too.
      mayActFor: (tenant) => mayTouchTenant(request.principal, tenant),
    });
  }
}
