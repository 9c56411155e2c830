import type { AsOf } from '@itsm/application';

export class GetTicketQuery {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
    readonly at: AsOf = {},
  ) {}
}
