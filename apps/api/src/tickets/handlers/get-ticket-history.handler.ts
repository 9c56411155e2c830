import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TicketService, type HistoryEntry } from '@itsm/application';
import { GetTicketHistoryQuery } from '../queries/get-ticket-history.query';

@QueryHandler(GetTicketHistoryQuery)
export class GetTicketHistoryHandler implements IQueryHandler<GetTicketHistoryQuery, HistoryEntry[]> {
  constructor(private readonly tickets: TicketService) {}

  execute({ tenantId, ticketId }: GetTicketHistoryQuery): Promise<HistoryEntry[]> {
    return this.tickets.history(tenantId, ticketId);
  }
}
