import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TicketService } from '@itsm/application';
import { GetTicketHistoryQuery } from '../queries/get-ticket-history.query';
import { operatorEntry, type TicketHistory } from '../ticket-history-view';
import { visibleHistoryEntry } from '../ticket-visibility';

@QueryHandler(GetTicketHistoryQuery)
export class GetTicketHistoryHandler implements IQueryHandler<GetTicketHistoryQuery, TicketHistory> {
  constructor(private readonly tickets: TicketService) {}

  async execute({ tenantId, ticketId, maySee, view }: GetTicketHistoryQuery): Promise<TicketHistory> {
    const entries = (await this.tickets.history(tenantId, ticketId)).map((e) => visibleHistoryEntry(e, maySee));
    return view === 'audit' ? entries : entries.map(operatorEntry);
  }
}
