import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { evolveTicket, initialTicketState, notFound, ticketStream, type RaisedTicket, type TicketEvent } from '@itsm/domain';
import { EVENT_STORE, readWhole, type EventStore } from '@itsm/event-store';
import { GetTicketQuery } from '../queries/get-ticket.query';

export type TicketView = Omit<RaisedTicket, 'raised'> & { revision: string };

/** The ticket as it stands now, folded from its own stream (always current, never lagging). */
@QueryHandler(GetTicketQuery)
export class GetTicketHandler implements IQueryHandler<GetTicketQuery, TicketView> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ tenantId, ticketId }: GetTicketQuery): Promise<TicketView> {
    const events = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(ticketId) ? await readWhole(this.store, ticketStream(ticketId)) : [];
    const state = events.reduce((s, e) => evolveTicket(s, { type: e.type, data: e.data } as unknown as TicketEvent), initialTicketState());
    if (!state.raised || state.tenantId !== tenantId) throw notFound('TICKET.NOT_FOUND', 'Ticket not found');
    const { raised: _r, ...view } = state;
    return { ...view, revision: events[events.length - 1].revision.toString() };
  }
}
