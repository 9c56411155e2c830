export class GetTicketQuery {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
  ) {}
}
