import type { TicketCommandInput } from '@itsm/application';
import type { CommandRequest } from '../../common/command-request';

/** Any ticket command, as dispatched on the CommandBus: the domain decides by its type. No occurredAt: now, when decided. */
export class ExecuteTicketCommand {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
    readonly command: TicketCommandInput,
    readonly request: CommandRequest,
  ) {}
}
