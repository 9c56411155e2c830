import type { HistoryView } from '../ticket-history-view';
import type { MaySee } from '../ticket-visibility';

export class GetTicketHistoryQuery {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
    /** The reader's tenants: other tenants a fact names are left out. Default: every tenant. */
    readonly maySee: MaySee = () => true,
    /** Auditors see each fact's whole record; operators the facts (ticket-history-view.ts). */
    readonly view: HistoryView = 'audit',
  ) {}
}
