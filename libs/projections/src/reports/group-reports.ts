import { monthRange } from './periods';
import {
  minutesCovered,
  openWindow,
  rag,
  type AvailabilityRow,
  type BacklogNow,
  type BacklogWeek,
  type DemandRow,
  type MajorIncidentRow,
  type ReportQueries,
  type SatisfactionRow,
  type SlaRow,
  type SupplierCard,
} from './queries';
import { pct, round2 } from './queries/report-arithmetic';

/**
 * A tenant group's reports: each member's own figures side by side, and the group's totals.
 *
 * Every figure comes from ReportQueries' public methods, asked once per member exactly as that
 * member's own report asks them, so a member's rows here are its own report's rows (plus its
 * `tenantId`). A total row (`tenantId: '*'`) follows each key's member rows; it never averages:
 * - counts are summed;
 * - a percentage is recomputed from the summed counts it is made of (met ÷ total, feedback ÷
 *   resolved ...). Where a member's answer shows only the rounded percentage and its denominator,
 *   the count is recovered as round(pct × n / 100), which is exact while n < 10,000 (the rounding
 *   error, at most 0.005 points, is then under half a unit); beyond that the total is null;
 * - availability is per service: the union of the members' outages (an outage recorded against two
 *   members is one outage), never a sum;
 * - a total that the members' answers do not determine is null, never an estimate: a supplier's
 *   mean time to respond (the answers do not carry how many responses each mean is made of).
 */
export const GROUP_TOTAL = '*';

type Q = ReportQueries;
/** A member's row, tagged with its tenant; total rows carry GROUP_TOTAL. */
export type Tagged<T> = T & { tenantId: string };
/** A report's parameters for a group: those of the tenant's report, with the members instead of the tenant. */
export type GroupQuery<M extends keyof Q> = Q[M] extends (q: infer P) => unknown ? Omit<P, 'tenantId'> & { tenantIds: readonly string[] } : never;

// The members' rows are the tenant reports' own answer types.
export type { BacklogNow, BacklogWeek, DemandRow, MajorIncidentRow, SatisfactionRow, SlaRow, SupplierCard };

/** Counts a rounded percentage stands for are recovered only below this denominator (see above). */
export const EXACT_RECOVERY_LIMIT = 10_000;

const sum = <T>(xs: readonly T[], f: (x: T) => number) => xs.reduce((n, x) => n + f(x), 0);

/**
 * The count a percentage of a known denominator stands for, when the report rounded it to two
 * decimals: exact below EXACT_RECOVERY_LIMIT, else null. A null or zero-denominator percentage is 0.
 */
export function countFromPct(pctValue: number | null, whole: number): number | null {
  if (whole === 0 || pctValue === null) return 0;
  return whole < EXACT_RECOVERY_LIMIT ? Math.round((pctValue * whole) / 100) : null;
}

/** Sum of counts, null when any is unknown. */
const sumKnown = (xs: ReadonlyArray<number | null>): number | null => (xs.some((x) => x === null) ? null : sum(xs as number[], (x) => x));

/** Record of counts summed key by key, keys in order (as ReportQueries' countBy). */
function addCounts(records: ReadonlyArray<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

const compareKeys = (a: readonly string[], b: readonly string[]) => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = (a[i] ?? '').localeCompare(b[i] ?? '');
    if (c !== 0) return c;
  }
  return 0;
};

/**
 * Members' rows tagged with their tenant, grouped by key (sorted), each key's member rows in the
 * group's order followed by its total row.
 */
/** The rows of one key: a key exists only once a member has a row for it. */
export type MemberRows<R> = [R, ...R[]];

export function sideBySide<R extends object>(
  members: ReadonlyArray<readonly [string, readonly R[]]>,
  keyOf: (r: R) => readonly string[],
  total: (rows: MemberRows<Tagged<R>>) => Tagged<R>,
): Array<Tagged<R>> {
  const keys = new Map<string, { key: readonly string[]; rows: MemberRows<Tagged<R>> }>();
  for (const [tenantId, rows] of members) {
    for (const r of rows) {
      const key = keyOf(r);
      const id = key.join('\u0000');
      // tenantId first: the first column of a CSV. (A register row names its tenant already: this member.)
      const tagged = Object.assign({ tenantId }, r, { tenantId });
      const entry = keys.get(id);
      if (entry) entry.rows.push(tagged);
      else keys.set(id, { key, rows: [tagged] });
    }
  }
  return [...keys.values()].sort((a, b) => compareKeys(a.key, b.key)).flatMap(({ rows }) => [...rows, total(rows)]);
}

/** The members' own answers, asked in the group's order. */
async function perMember<T>(tenantIds: readonly string[], ask: (tenantId: string) => Promise<T>): Promise<Array<readonly [string, T]>> {
  return Promise.all(tenantIds.map(async (t) => [t, await ask(t)] as const));
}

/** One value when every row agrees on it, else null (a goal or target the members do not share). */
function agreed<R, K extends keyof R>(rows: MemberRows<R>, k: K): R[K] | null {
  return rows.every((r) => r[k] === rows[0][k]) ? rows[0][k] : null;
}

export function slaTotal(rows: MemberRows<Tagged<SlaRow>>): Tagged<SlaRow> {
  const [first] = rows;
  const total = sum(rows, (r) => r.total);
  const met = sum(rows, (r) => r.met);
  const pctMet = pct(met, total);
  const goalPct = agreed(rows, 'goalPct');
  return {
    tenantId: GROUP_TOTAL,
    period: first.period,
    metric: first.metric,
    kind: first.kind,
    priority: first.priority,
    dimension: first.dimension,
    value: first.value,
    reference: agreed(rows, 'reference'),
    goalPct,
    targetMinutes: agreed(rows, 'targetMinutes'),
    total,
    met,
    breached: sum(rows, (r) => r.breached),
    pctMet,
    goalMet: pctMet === null || goalPct === null ? null : pctMet >= goalPct,
  };
}

export function demandTotal(rows: MemberRows<Tagged<DemandRow>>): Tagged<DemandRow> {
  const [first] = rows;
  return {
    tenantId: GROUP_TOTAL,
    period: first.period,
    kind: first.kind,
    priority: first.priority,
    raised: sum(rows, (r) => r.raised),
    resolved: sum(rows, (r) => r.resolved),
    openAtEnd: sum(rows, (r) => r.openAtEnd),
    incidentsResolved: sum(rows, (r) => r.incidentsResolved),
    firstLineFixes: sum(rows, (r) => r.firstLineFixes),
    partial: rows.some((r) => r.partial),
  };
}

type BacklogFigures = Omit<BacklogWeek, 'week'>;
function backlogFigures(rows: ReadonlyArray<Tagged<BacklogFigures>>): BacklogFigures {
  return {
    total: sum(rows, (r) => r.total),
    byPriority: addCounts(rows.map((r) => r.byPriority)),
    byKind: addCounts(rows.map((r) => r.byKind)),
    byGroup: addCounts(rows.map((r) => r.byGroup)),
    bySupplier: addCounts(rows.map((r) => r.bySupplier)),
    byAge: addCounts(rows.map((r) => r.byAge)),
    // Ticket ids are each tenant's own: in a total they are named `<tenantId>.<ticketId>`.
    ticketIds: rows.flatMap((r) => r.ticketIds.map((id) => `${r.tenantId}.${id}`)).sort(),
  };
}

export function satisfactionTotal(rows: MemberRows<Tagged<SatisfactionRow>>): Tagged<SatisfactionRow> {
  const feedback = sum(rows, (r) => r.feedback);
  const resolved = sum(rows, (r) => r.resolved);
  const answers = sum(rows, (r) => r.satisfactionAnswers);
  const npsAnswers = sum(rows, (r) => r.npsAnswers);
  const total = (count: 'positive' | 'neutral' | 'negative' | 'promoters' | 'detractors') => sum(rows, (r) => r[count]);
  const split = (count: 'positive' | 'neutral' | 'negative') => pct(total(count), answers);
  const net = total('promoters') - total('detractors');
  return {
    tenantId: GROUP_TOTAL,
    period: rows[0].period,
    feedback,
    resolved,
    satisfactionAnswers: answers,
    positive: total('positive'),
    neutral: total('neutral'),
    negative: total('negative'),
    promoters: total('promoters'),
    detractors: total('detractors'),
    responseRatePct: pct(feedback, resolved),
    positivePct: split('positive'),
    neutralPct: split('neutral'),
    negativePct: split('negative'),
    goodOrVeryGoodPct: split('positive'),
    npsAnswers,
    nps: npsAnswers > 0 ? round2((100 * net) / npsAnswers) : null,
    complaints: sum(rows, (r) => r.complaints),
  };
}

/** One service's availability to the group: the union of every member's outages of it in the month. */
function availabilityTotal(rows: MemberRows<Tagged<AvailabilityRow>>, start: number, end: number): Tagged<AvailabilityRow> {
  const [first] = rows;
  const outages = rows.flatMap((r) => r.outages).sort((a, b) => a.from.localeCompare(b.from) || a.tenantId.localeCompare(b.tenantId));
  const minutes = minutesCovered(
    outages.map((o) => openWindow(o.from, o.to)),
    [start, end],
  );
  const availabilityPct = round2(100 - (100 * minutes) / ((end - start) / 60_000));
  return {
    tenantId: GROUP_TOTAL,
    serviceId: first.serviceId,
    name: first.name,
    ownership: first.ownership,
    underItManagement: first.underItManagement,
    supplierId: first.supplierId,
    outageMinutes: round2(minutes),
    availabilityPct,
    targetPct: first.targetPct,
    targetMet: availabilityPct >= first.targetPct,
    outages,
  };
}

const BETTER: Record<string, 'higher' | 'lower'> = { firstTimeFixPct: 'higher', uptimePct: 'higher', meanResponseMinutes: 'lower' };

/**
 * A supplier's card for the group: volumes, lists and SLA rows of every member; first-time fix and
 * reopen rate from the summed counts; outages and availability of its services to the group.
 */
function supplierTotal(cards: MemberRows<Tagged<SupplierCard>>, services: ReadonlyArray<Tagged<AvailabilityRow>>): Tagged<SupplierCard> {
  const [first] = cards;
  const resolved = sum(cards, (c) => c.resolved);
  const firstTimeFixes = sum(cards, (c) => c.resolvedTickets.filter((t) => t.firstTimeFix).length);
  const reopened = sumKnown(cards.map((c) => countFromPct(c.reopenRatePct, c.resolved)));
  const mine = services.filter((s) => s.supplierId === first.supplierId);
  const firstTimeFixPct = pct(firstTimeFixes, resolved);
  const uptimePct = mine.length ? round2(sum(mine, (s) => s.availabilityPct) / mine.length) : null;
  // The mean of each member's mean weighted by its resolutions is the mean of all (to within the rounding of each, 0.01 minute).
  const meanWorkingMinutesToResolve = resolved ? round2(sum(cards, (c) => (c.meanWorkingMinutesToResolve ?? 0) * c.resolved) / resolved) : null;
  const actual: Record<string, number | null> = { firstTimeFixPct, uptimePct, meanResponseMinutes: null };
  const sla = cards.flatMap((c) => c.sla);
  return {
    tenantId: GROUP_TOTAL,
    supplierId: first.supplierId,
    name: first.name,
    month: first.month,
    tickets: sum(cards, (c) => c.tickets),
    ticketsByPriority: {
      P1: sum(cards, (c) => c.ticketsByPriority.P1),
      P2: sum(cards, (c) => c.ticketsByPriority.P2),
      P3: sum(cards, (c) => c.ticketsByPriority.P3),
      P4: sum(cards, (c) => c.ticketsByPriority.P4),
    },
    raisedTickets: cards.flatMap((c) => c.raisedTickets),
    p1p2: cards.flatMap((c) => c.p1p2),
    sla,
    breaches: sum(sla, (r) => r.breached),
    outageMinutes: round2(sum(mine, (s) => s.outageMinutes)),
    availability: mine.map((s) => ({ serviceId: s.serviceId, availabilityPct: s.availabilityPct, targetPct: s.targetPct, targetMet: s.targetMet })),
    resolved,
    resolvedTickets: cards.flatMap((c) => c.resolvedTickets),
    firstTimeFixPct,
    // The members' answers do not carry how many responses their means are made of.
    meanTimeToRespondMinutes: null,
    meanWorkingMinutesToResolve,
    reopenRatePct: reopened === null ? null : pct(reopened, resolved),
    contract: first.contract.map((c) => {
      const value = actual[c.measure] ?? null;
      return { measure: c.measure, target: c.target, actual: value, rag: rag(value, c.target, BETTER[c.measure] ?? 'higher') };
    }),
  };
}

/** The major incident register of a group: each member's, then each incident once (tenantId '*') with the members it affected. */
export type GroupMajorIncidentRow = Tagged<MajorIncidentRow> & { memberTenantIds?: string[] };

export class GroupReports {
  constructor(private readonly reports: ReportQueries) {}

  /** % within SLA per metric × kind × priority × period (× value), per member and in total; breached tickets still open per member. */
  async slaPerformance(q: GroupQuery<'slaPerformance'>) {
    const { tenantIds, ...rest } = q;
    const answers = await perMember(tenantIds, (tenantId) => this.reports.slaPerformance({ ...rest, tenantId }));
    const breachedStillOpen: Record<string, Record<string, number>> = Object.fromEntries(answers.map(([t, a]) => [t, a.breachedStillOpen]));
    breachedStillOpen[GROUP_TOTAL] = addCounts(answers.map(([, a]) => a.breachedStillOpen));
    return {
      rows: sideBySide(
        answers.map(([t, a]) => [t, a.rows] as const),
        (r) => [r.period, r.metric, r.kind, r.priority, r.value],
        slaTotal,
      ),
      breachedStillOpen,
      breachedStillOpenTicketIds: Object.fromEntries(answers.map(([t, a]) => [t, a.breachedStillOpenTicketIds])) as Record<string, string[]>,
    };
  }

  /** Raised, resolved, open at period end per kind × priority × period, per member and in total. */
  async demand(q: GroupQuery<'demand'>) {
    const { tenantIds, ...rest } = q;
    const answers = await perMember(tenantIds, (tenantId) => this.reports.demand({ ...rest, tenantId }));
    return { rows: sideBySide(answers, (r) => [r.period, r.kind, r.priority], demandTotal) };
  }

  /** IM10 per week (and now), per member and in total; a total names tickets `<tenantId>.<ticketId>`. */
  async agedBacklog(q: GroupQuery<'agedBacklog'>) {
    const { tenantIds, ...rest } = q;
    const answers = await perMember(tenantIds, (tenantId) => this.reports.agedBacklog({ ...rest, tenantId }));
    const weeks = sideBySide(
      answers.map(([t, a]) => [t, a.weeks] as const),
      (w) => [w.week],
      (rows): Tagged<BacklogWeek> => ({ tenantId: GROUP_TOTAL, week: rows[0].week, ...backlogFigures(rows) }),
    );
    const now: Array<Tagged<BacklogNow>> = answers.map(([tenantId, a]) => ({ ...a.now, tenantId }));
    now.push({ tenantId: GROUP_TOTAL, at: now[0]?.at ?? new Date(q.now).toISOString(), ...backlogFigures(now) });
    return { thresholdDays: q.days, weeks, now };
  }

  /** Feedback, response rate, sentiment, NPS and complaints per period, per member and in total. */
  async satisfaction(q: GroupQuery<'satisfaction'>) {
    const { tenantIds, ...rest } = q;
    const answers = await perMember(tenantIds, (tenantId) => this.reports.satisfaction({ ...rest, tenantId }));
    return { rows: sideBySide(answers, (r) => [r.period], satisfactionTotal) };
  }

  /**
   * Availability per service for a month, per member (as each had it) and to the group (the union
   * of the members' outages); outage minutes under and outside IT's management, per member and in total.
   */
  async serviceAvailability(q: GroupQuery<'serviceAvailability'>) {
    const { tenantIds, ...rest } = q;
    const answers = await perMember(tenantIds, (tenantId) => this.reports.serviceAvailability({ ...rest, tenantId }));
    const [start, end] = monthRange(q.month, q.zone);
    const services = sideBySide(
      answers.map(([t, a]) => [t, a.services] as const),
      (s) => [s.serviceId],
      (rows) => availabilityTotal(rows, start, end),
    );
    const totals = services.filter((s) => s.tenantId === GROUP_TOTAL);
    const split = (under: boolean): Record<string, { outageMinutes: number }> => ({
      ...Object.fromEntries(answers.map(([t, a]) => [t, under ? a.underItManagement : a.outsideItManagement])),
      [GROUP_TOTAL]: {
        outageMinutes: round2(
          sum(
            totals.filter((s) => s.underItManagement === under),
            (s) => s.outageMinutes,
          ),
        ),
      },
    });
    return { month: q.month, minutesInMonth: (end - start) / 60_000, services, underItManagement: split(true), outsideItManagement: split(false) };
  }

  /** Per supplier for a month: each member's card, then the group's. */
  async supplierScorecards(q: GroupQuery<'supplierScorecards'>) {
    const { tenantIds, ...rest } = q;
    const [answers, availability] = await Promise.all([
      perMember(tenantIds, (tenantId) => this.reports.supplierScorecards({ ...rest, tenantId })),
      this.serviceAvailability({ tenantIds, month: q.month, zone: q.zone }),
    ]);
    const services = availability.services.filter((s) => s.tenantId === GROUP_TOTAL);
    return {
      month: q.month,
      cards: sideBySide(
        answers,
        (c) => [c.supplierId],
        (cards) => supplierTotal(cards, services),
      ),
    };
  }

  /** Each member's register, and each major incident once (tenantId '*') with the members whose register holds it. */
  async majorIncidents(q: GroupQuery<'majorIncidents'>) {
    const { tenantIds, ...rest } = q;
    const answers = await perMember(tenantIds, (tenantId) => this.reports.majorIncidents({ ...rest, tenantId }));
    const rows: GroupMajorIncidentRow[] = sideBySide<MajorIncidentRow & { memberTenantIds?: string[] }>(
      answers,
      (r) => [r.raisedAt, r.reference, r.ticketTenantId, r.ticketId],
      (rows) => ({ ...rows[0], tenantId: GROUP_TOTAL, memberTenantIds: rows.map((r) => r.tenantId) }),
    );
    return { rows };
  }
}
