import type { AsOf } from '@itsm/application';

export class GetTicketSlaQuery {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
    readonly at: AsOf = {},
  ) {}
}
