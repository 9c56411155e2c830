import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TicketService, type HistoryEntry } from '@itsm/application';
import { GetTicketHistoryQuery } from '../queries/get-ticket-history.query';
import { visibleHistoryEntry } from '../ticket-visibility';

@QueryHandler(GetTicketHistoryQuery)
export class GetTicketHistoryHandler implements IQueryHandler<GetTicketHistoryQuery, HistoryEntry[]> {
  constructor(private readonly tickets: TicketService) {}

  async execute({ tenantId, ticketId, maySee }: GetTicketHistoryQuery): Promise<HistoryEntry[]> {
    return (await this.tickets.history(tenantId, ticketId)).map((e) => visibleHistoryEntry(e, maySee));
  }
}
