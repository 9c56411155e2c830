import { Inject, Injectable } from '@nestjs/common';
import type { SlaPolicyState, SlaPolicyVersion } from '@itsm/domain';
import { showPosition, type LogPosition } from '@itsm/event-store';
import { Projector, type TicketDoc, type TicketFoldDoc } from '@itsm/projections';
import { READ_STORE, type Filter, type ReadStore } from '@itsm/read-store';
import { advanceClocks, byLeastRemaining, queueEntry, runningClocksAt, type QueueEntry, type RunningClocksAt } from './queue-entry';

export interface QueueQuery {
  tenantId: string;
  groupId?: string;
  supplierId?: string;
  atRiskOnly: boolean;
  limit: number;
  offset: number;
  now: number;
}

/** Counts of open tickets (of one resolver group or supplier; null: none). */
export interface QueueCounts {
  open: number;
  unassigned: number;
  onHold: number;
  atRisk: number;
}

export interface OperationalQueueAnswer {
  tenantId: string;
  asOf: string;
  /** The last event the read models reflect (as X-Log-Position). */
  logPosition: string | null;
  /** Entries matching every filter (atRisk included), before paging. */
  total: number;
  offset: number;
  limit: number;
  nextOffset: number | null;
  items: QueueEntry[];
  /** Over the tickets group and supplier select (atRisk narrows the list only). */
  counts: QueueCounts & {
    byGroup: Array<{ groupId: string | null } & QueueCounts>;
    bySupplier: Array<{ supplierId: string | null } & QueueCounts>;
  };
}

/** Tickets whose running clocks are remembered between requests (a few hundred bytes each). */
const REMEMBERED_TICKETS = 50_000;

/**
 * The tenant's open tickets as they stand at the request's now, from the read models: the indexed
 * ticket documents select them (tenant, open, group, supplier); each one's fold gives its clocks.
 * The order depends on now, so it is computed at each request and pages are cut from it.
 *
 * Folding clocks is the cost (a fold read and the calendar arithmetic, ~0.4 ms a ticket), so each
 * ticket's running clocks are remembered with the revision they were computed at: while no fact is
 * recorded, a later request only adds the working time passed since (advanceClocks).
 */
@Injectable()
export class OperationalQueue {
  private readonly remembered = new Map<string, RunningClocksAt & { revision: string; slaPolicyVersion?: number }>();

  constructor(
    @Inject(READ_STORE) private readonly reads: ReadStore,
    private readonly projector: Projector,
  ) {}

  async at(q: QueueQuery): Promise<OperationalQueueAnswer> {
    // Another process may run the projector, and may have taken a new version over: follow it.
    await this.projector.refresh();
    const position: LogPosition | undefined = this.projector.checkpoint;
    const filter: Filter = { tenantId: q.tenantId, open: true };
    if (q.groupId !== undefined) filter.groupId = q.groupId;
    if (q.supplierId !== undefined) filter.supplierId = q.supplierId;
    const versions = (await this.reads.get<{ state: SlaPolicyState }>(this.projector.collection('catalogue'), `policy:${q.tenantId}`))?.state.versions ?? [];
    const entries: QueueEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.reads.find<TicketDoc>(this.projector.collection('tickets'), { filter, limit: 2000, cursor });
      for (const doc of page.items) {
        const found = await this.clocksOf(doc, versions, q.now);
        if (found) entries.push(queueEntry(doc, found.policy ? advanceClocks(found.clocks, found.policy, q.now) : [], found.policy));
      }
      cursor = page.nextCursor;
    } while (cursor);
    const listed = (q.atRiskOnly ? entries.filter((e) => e.atRisk) : entries).sort(byLeastRemaining);
    const end = q.offset + q.limit;
    return {
      tenantId: q.tenantId,
      asOf: new Date(q.now).toISOString(),
      logPosition: showPosition(position) ?? null,
      total: listed.length,
      offset: q.offset,
      limit: q.limit,
      nextOffset: end < listed.length ? end : null,
      items: listed.slice(q.offset, end),
      counts: { ...tally(entries), byGroup: countedBy(entries, 'groupId'), bySupplier: countedBy(entries, 'supplierId') },
    };
  }

  /** The running clocks remembered for this revision, if still good at now; else folded afresh. */
  private async clocksOf(
    doc: TicketDoc,
    versions: SlaPolicyVersion[],
    now: number,
  ): Promise<{ clocks: RunningClocksAt; policy?: SlaPolicyVersion } | undefined> {
    const key = `${this.projector.collection('ticket_folds')}\u0000${doc.id}`;
    const known = this.remembered.get(key);
    if (known && known.revision === doc.revision && known.asOf <= now)
      return { clocks: known, policy: versions.find((v) => v.version === known.slaPolicyVersion) };
    const fold = await this.reads.get<TicketFoldDoc>(this.projector.collection('ticket_folds'), doc.id);
    if (!fold) return undefined;
    const { slaPolicyVersion } = fold.state;
    const policy = slaPolicyVersion === undefined ? undefined : versions.find((v) => v.version === slaPolicyVersion);
    const clocks = runningClocksAt(fold.state, policy, now);
    // Good for later requests only once every fact lies in the past (one may be dated a little ahead;
    // a clock resumed at this very instant shows as running only from the next one).
    if (Date.parse(fold.state.lastOccurredAt) < now) {
      this.remembered.delete(key);
      if (this.remembered.size >= REMEMBERED_TICKETS) this.remembered.delete(this.remembered.keys().next().value!);
      this.remembered.set(key, { ...clocks, revision: doc.revision, slaPolicyVersion });
    }
    return { clocks, policy };
  }
}

function tally(entries: QueueEntry[]): QueueCounts {
  const c: QueueCounts = { open: 0, unassigned: 0, onHold: 0, atRisk: 0 };
  for (const e of entries) {
    c.open++;
    if (e.groupId === null) c.unassigned++;
    if (e.onHold) c.onHold++;
    if (e.atRisk) c.atRisk++;
  }
  return c;
}

/** One row per group (or supplier), the unassigned (null) row last. */
function countedBy<K extends 'groupId' | 'supplierId'>(entries: QueueEntry[], key: K): Array<Record<K, string | null> & QueueCounts> {
  const groups = new Map<string | null, QueueEntry[]>();
  for (const e of entries) {
    const list = groups.get(e[key]);
    if (list) list.push(e);
    else groups.set(e[key], [e]);
  }
  return [...groups]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map(([id, xs]) => ({ [key]: id, ...tally(xs) }) as Record<K, string | null> & QueueCounts);
}
