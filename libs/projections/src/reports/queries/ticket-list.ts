import type { Filter } from '@itsm/read-store';
import type { TicketDoc } from '../reports.projection';
import type { ReportReads } from './report-reads';

const DAY = 86_400_000;

/** A ticket as report answers show it: `id` is the ticket id its tenant knows (documents are keyed per tenant). */
export type TicketListItem = Omit<TicketDoc, 'ticketId'>;
export const listItem = ({ id: _key, ticketId, ...rest }: TicketDoc): TicketListItem => ({ id: ticketId, ...rest });

export interface TicketListQuery {
  tenantId: string;
  filter?: Filter;
  /** Only tickets open and raised more than `days` before `now`. */
  aged?: { now: number; days: number };
  sort?: { field: string; direction: 'asc' | 'desc' };
  limit?: number;
  cursor?: string;
}

export type TicketListPage = {
  items: TicketListItem[];
  nextCursor: string | null;
};

/** Operators' ticket list: filters on indexed fields, one sort, cursor paging. */
export async function ticketList(reads: ReportReads, q: TicketListQuery): Promise<TicketListPage> {
  const filter: Filter = { ...q.filter, tenantId: q.tenantId };
  if (q.aged) Object.assign(filter, { open: true, raisedAt: { $lt: new Date(q.aged.now - q.aged.days * DAY).toISOString() } });
  const page = await reads.page<TicketDoc>('tickets', {
    filter,
    sort: q.sort ?? { field: 'raisedAt', direction: 'desc' },
    limit: q.limit ?? 50,
    cursor: q.cursor,
  });
  return { items: page.items.map(listItem), nextCursor: page.nextCursor ?? null };
}
