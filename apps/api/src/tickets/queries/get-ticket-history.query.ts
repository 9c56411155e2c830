export class GetTicketHistoryQuery {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
  ) {}
}
