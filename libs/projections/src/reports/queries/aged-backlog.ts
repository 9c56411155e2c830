import type { AggregateDoc, TicketDoc } from '../reports.projection';
import { ageBucket } from '../ticket-contributions';
import { dayOf, mondaysBetween } from '../periods';
import { countBy } from './report-arithmetic';
import type { ReportReads } from './report-reads';

const DAY = 86_400_000;

/** An aged_backlog document: a ticket open past the threshold at a local Monday 00:00. */
export interface AgedBacklogDoc extends AggregateDoc {
  tenantId: string;
  /** The Monday's local date, YYYY-MM-DD. */
  week: string;
  ticketId: string;
  priority: string;
  kind: string;
  groupId: string;
  supplierId: string;
  ageDays: number;
  bucket: string;
}

export interface AgedBacklogQuery {
  tenantId: string;
  /** Local dates, YYYY-MM-DD: the Mondays between them. */
  fromWeek: string;
  toWeek: string;
  now: number;
  /** The threshold: open longer than this many days. */
  days: number;
  zone?: string;
}

export type BacklogFigures = {
  total: number;
  byPriority: Record<string, number>;
  byKind: Record<string, number>;
  byGroup: Record<string, number>;
  bySupplier: Record<string, number>;
  byAge: Record<string, number>;
  ticketIds: string[];
};
export type BacklogWeek = { week: string } & BacklogFigures;
export type BacklogNow = { at: string } & BacklogFigures;

export type AgedBacklogAnswer = {
  thresholdDays: number;
  weeks: BacklogWeek[];
  now: BacklogNow;
};

type Member = Pick<AgedBacklogDoc, 'priority' | 'kind' | 'groupId' | 'supplierId' | 'bucket' | 'ticketId'>;

const summarise = (xs: readonly Member[]): BacklogFigures => ({
  total: xs.length,
  byPriority: countBy(xs, (x) => String(x.priority)),
  byKind: countBy(xs, (x) => String(x.kind)),
  byGroup: countBy(xs, (x) => String(x.groupId)),
  bySupplier: countBy(xs, (x) => String(x.supplierId)),
  byAge: countBy(xs, (x) => String(x.bucket)),
  ticketIds: xs.map((x) => String(x.ticketId)).sort(),
});

/**
 * Tickets open longer than the threshold at each local Monday 00:00 from `fromWeek` to `toWeek`
 * (local dates, YYYY-MM-DD; weeks with none show 0), and now.
 */
export async function agedBacklog(reads: ReportReads, q: AgedBacklogQuery): Promise<AgedBacklogAnswer> {
  const weeks = new Map(mondaysBetween(q.fromWeek, q.toWeek).map((w) => [w, [] as AgedBacklogDoc[]]));
  const [first, last] = [[...weeks.keys()][0], [...weeks.keys()].at(-1)];
  const members = first === undefined ? [] : await reads.all<AgedBacklogDoc>('aged_backlog', { tenantId: q.tenantId, week: { $gte: first, $lte: last! } });
  for (const m of members) weeks.get(m.week)?.push(m);
  const open = await reads.all<TicketDoc>('tickets', { tenantId: q.tenantId, open: true, raisedAt: { $lt: new Date(q.now - q.days * DAY).toISOString() } });
  const nowRows: Member[] = open.map((t) => ({
    priority: t.priority,
    kind: t.kind,
    groupId: t.groupId ?? 'unassigned',
    supplierId: t.supplierId ?? 'none',
    bucket: ageBucket(Math.floor((q.now - Date.parse(t.raisedAt)) / DAY)),
    ticketId: t.ticketId,
  }));
  // A Monday after now has not happened yet.
  const today = dayOf(q.now, q.zone ?? 'Europe/London');
  return {
    thresholdDays: q.days,
    weeks: [...weeks.entries()].filter(([week]) => week <= today).map(([week, xs]) => ({ week, ...summarise(xs) })),
    now: { at: new Date(q.now).toISOString(), ...summarise(nowRows) },
  };
}
