import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TicketService, type SlaExplanation } from '@itsm/application';
import { GetTicketSlaQuery } from '../queries/get-ticket-sla.query';

@QueryHandler(GetTicketSlaQuery)
export class GetTicketSlaHandler implements IQueryHandler<GetTicketSlaQuery, SlaExplanation> {
  constructor(private readonly tickets: TicketService) {}

  execute({ tenantId, ticketId, at }: GetTicketSlaQuery): Promise<SlaExplanation> {
    return this.tickets.explainSla(tenantId, ticketId, at);
  }
}
