export class GetTicketSlaQuery {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
  ) {}
}
