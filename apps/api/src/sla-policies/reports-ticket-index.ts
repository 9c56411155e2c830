import type { RaisedTicketsIndex, SimulationRange } from '@itsm/application';
import type { LogPosition } from '@itsm/event-store';
import { physicalCollection, type Projector, type TicketDoc } from '@itsm/projections';
import type { Filter, ReadStore } from '@itsm/read-store';

const PAGE = 1000;

/**
 * The tickets a tenant raised in a range, as the reports read model lists them (its ticket documents
 * are indexed by tenant and raise time): a what-if reads only their streams, not the whole log.
 */
export class ReportsTicketIndex implements RaisedTicketsIndex {
  constructor(
    private readonly reads: ReadStore,
    private readonly projector: Projector,
  ) {}

  async through(): Promise<LogPosition | undefined> {
    await this.projector.refresh();
    // The checkpoint is this projector version's: it describes the documents read only while that version serves.
    if (this.projector.collection('tickets') !== physicalCollection('tickets', this.projector.projection.version)) return undefined;
    return this.projector.checkpoint;
  }

  count(tenantId: string, range: SimulationRange): Promise<number> {
    return this.reads.count(this.projector.collection('tickets'), raisedIn(tenantId, range));
  }

  async *pages(tenantId: string, range: SimulationRange): AsyncIterable<string[]> {
    let cursor: string | undefined;
    do {
      const page = await this.reads.find<TicketDoc>(this.projector.collection('tickets'), {
        filter: raisedIn(tenantId, range),
        sort: { field: 'raisedAt', direction: 'asc' },
        limit: PAGE,
        cursor,
      });
      yield page.items.map((t) => t.ticketId);
      cursor = page.nextCursor;
    } while (cursor);
  }
}

const raisedIn = (tenantId: string, range: SimulationRange): Filter => ({ tenantId, raisedAt: { $gte: range.from, $lt: range.to } });
