import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TicketService } from '@itsm/application';
import type { RaisedTicket } from '@itsm/domain';
import { GetTicketQuery } from '../queries/get-ticket.query';
import { visibleTicket } from '../ticket-visibility';

export type TicketView = Omit<RaisedTicket, 'raised' | 'timeline' | 'sla' | 'complaintDates'> & { revision: string };

/** The ticket as it stands now, folded from its own stream (always current, never lagging). */
@QueryHandler(GetTicketQuery)
export class GetTicketHandler implements IQueryHandler<GetTicketQuery, TicketView> {
  constructor(private readonly tickets: TicketService) {}

  async execute({ tenantId, ticketId, at, maySee }: GetTicketQuery): Promise<TicketView> {
    const { ticket, events } = await this.tickets.load(tenantId, ticketId, at);
    const { raised: _r, timeline: _t, sla: _s, complaintDates: _c, ...view } = ticket;
    const last = events.at(-1);
    if (!last) throw new Error(`ticket ${ticketId} loaded without its events`);
    return { ...visibleTicket(view, maySee), revision: last.revision.toString() };
  }
}
