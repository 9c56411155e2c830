import type { TicketCommand } from '@itsm/domain';
import type { CommandRequest } from '../../common/command-request';

/** Any ticket command, as dispatched on the CommandBus: the domain decides by its type. */
export class ExecuteTicketCommand {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
    readonly command: TicketCommand,
    readonly request: CommandRequest,
  ) {}
}
