import type { Figure, FigureValue } from './summary-figures';

/** A fact recorded after a publication, as a restatement note cites it. */
export interface LoggedFact {
  position: string;
  eventId: string;
  streamId: string;
  type: string;
  tenantId: string;
  /** The ticket it is about (its tenant's id); absent for the tenant's own settings and SLA policy. */
  ticketId?: string;
  /** Business time (absent for facts that have none). */
  occurredAt?: string;
  recordedAt: string;
  actor?: string;
}

/** A figure whose value today differs from the published one, with the facts that moved it. */
export interface FigureDrift {
  figure: string;
  /** null also when the figure was not in the document (see `change`). */
  published: FigureValue;
  today: FigureValue;
  /** `appeared`: a row the published document did not have (a supplier, a ticket, a week); `disappeared`: the reverse. */
  change: 'changed' | 'appeared' | 'disappeared';
  events: LoggedFact[];
}

/**
 * Each figure whose value differs between the document as published and as built today, with the
 * facts recorded since the publication that moved it. `facts` are those recorded after the
 * publication's position, in log order, of the publication's tenants.
 *
 * Which facts moved a figure (the rule, also in the README):
 * - a fact on a ticket the figure lists, in the published document or today's (a supplier's
 *   tickets, a week's backlog, a P1/P2 row, a major incident, an outage's ticket);
 * - a fact on a ticket any of whose facts recorded since is dated (business time) inside the months
 *   the figure counts (the report's month; a trend or demand column's own month; the year-earlier
 *   months of a year-on-year count): a back-dated resolution, and everything the system recorded on
 *   that ticket with it (SLA breaches, retractions, corrections);
 * - a change to the tenant's own SLA policy or settings, which may move any of its figures;
 * - a group's total: the facts of its members' figures of the same table that moved too.
 * A figure that moved with no such fact (say, a month in progress that has since ended) lists none.
 */
export function figureDrift(published: readonly Figure[], today: readonly Figure[], facts: readonly LoggedFact[]): FigureDrift[] {
  const now = new Map(today.map((f) => [f.path, f]));
  const then = new Map(published.map((f) => [f.path, f]));
  const changed: Array<{ before?: Figure; after?: Figure }> = [];
  for (const before of published) {
    const after = now.get(before.path);
    if (!after || !Object.is(after.value, before.value)) changed.push({ before, after });
  }
  for (const after of today) if (!then.has(after.path)) changed.push({ after });

  const ticketOf = (f: LoggedFact) => (f.ticketId === undefined ? undefined : `${f.tenantId}.${f.ticketId}`);
  const datesOf = new Map<string, number[]>();
  for (const f of facts) {
    const ticket = ticketOf(f);
    const at = f.occurredAt === undefined ? NaN : Date.parse(f.occurredAt);
    if (ticket === undefined || Number.isNaN(at)) continue;
    const dates = datesOf.get(ticket);
    if (dates) dates.push(at);
    else datesOf.set(ticket, [at]);
  }

  const movedBy = (figures: Figure[]): number[] => {
    const tenants = new Set(figures.flatMap((f) => f.tenantIds));
    const listed = new Set(figures.flatMap((f) => f.tickets));
    const periods = figures.flatMap((f) => f.periods);
    const dated = (ticket: string) => (datesOf.get(ticket) ?? []).some((t) => periods.some(([from, to]) => t >= from && t < to));
    const out: number[] = [];
    facts.forEach((f, i) => {
      const ticket = ticketOf(f);
      if (tenants.has(f.tenantId) && (ticket === undefined || listed.has(ticket) || dated(ticket))) out.push(i);
    });
    return out;
  };

  const own = changed.map(({ before, after }) => (before?.total || after?.total ? undefined : movedBy([before, after].filter((f): f is Figure => !!f))));
  // A total moves only with its members: it cites what moved their figures of the same table.
  const byTable = new Map<string, Set<number>>();
  changed.forEach(({ before, after }, i) => {
    const table = (before ?? after)!.table;
    for (const n of own[i] ?? []) byTable.set(table, (byTable.get(table) ?? new Set()).add(n));
  });
  return changed.map(({ before, after }, i) => {
    const cited = own[i] ?? [...(byTable.get((before ?? after)!.table) ?? [])].sort((a, b) => a - b);
    return {
      figure: (before ?? after)!.path,
      published: before?.value ?? null,
      today: after?.value ?? null,
      change: !after ? 'disappeared' : !before ? 'appeared' : 'changed',
      events: cited.flatMap((n) => facts[n] ?? []),
    };
  });
}
