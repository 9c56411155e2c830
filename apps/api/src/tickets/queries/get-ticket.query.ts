import type { AsOf } from '@itsm/application';
import type { MaySee } from '../ticket-visibility';

export class GetTicketQuery {
  constructor(
    readonly tenantId: string,
    readonly ticketId: string,
    readonly at: AsOf = {},
    /** The reader's tenants: other tenants a fact names are left out. Default: every tenant. */
    readonly maySee: MaySee = () => true,
  ) {}
}
