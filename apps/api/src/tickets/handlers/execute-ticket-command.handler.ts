import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  EVENT_SCHEMA_VERSION,
  decideTicket,
  evolveTicket,
  initialTicketState,
  notFound,
  ticketStream,
  type TicketEvent,
  type TicketState,
} from '@itsm/domain';
import { EVENT_STORE, handleCommand, type CommandResult, type EventStore } from '@itsm/event-store';
import { CLOCK, type Clock } from '../../common/clock';
import { ExecuteTicketCommand } from '../commands/execute-ticket-command';
import { TicketContextLoader } from '../ticket-context.loader';

/** Thin: load the context, let the pure decider rule, append with the revision read. */
@CommandHandler(ExecuteTicketCommand)
export class ExecuteTicketCommandHandler implements ICommandHandler<ExecuteTicketCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly contexts: TicketContextLoader,
  ) {}

  async execute({ tenantId, ticketId, command, request }: ExecuteTicketCommand): Promise<CommandResult> {
    const now = this.clock.now();
    const context = await this.contexts.load(tenantId, command, now);
    return handleCommand<TicketState, TicketEvent>(this.store, {
      streamId: ticketStream(ticketId),
      initialState: initialTicketState,
      evolve: evolveTicket,
      decide: (state) => {
        // Another tenant's ticket is, to this caller, no ticket at all.
        if (state.raised && state.tenantId !== tenantId) throw notFound('TICKET.NOT_FOUND', 'Ticket not found');
        return decideTicket(command, state, context);
      },
      metadata: {
        commandId: request.commandId,
        actor: request.principal.sub,
        tenantId,
        correlationId: request.correlationId,
        causationId: request.commandId,
        requestHash: request.requestHash,
      },
      expectedRevision: request.ifMatch,
      schemaVersion: EVENT_SCHEMA_VERSION,
      now: () => this.clock.now(),
    });
  }
}
