import { computeSlaClocks, computeSupplierClocks, resolutionCalendar, type Ownership, type RaisedTicket, type SlaPolicyVersion } from '@itsm/domain';
import { dayOf, monthOf, monthStartsIn, weekStartsIn } from './periods';
import { openAt } from './queries/open-windows';

/**
 * A ticket's share of the aggregate read models, as a pure function of its facts and the log's
 * time (the latest occurredAt seen). The projection keeps each ticket's last contributions and
 * applies only the difference when the ticket changes, so an aggregate is always the sum of its
 * tickets' current shares: a rebuild gives the same figures as the live projector.
 * Durations are integer milliseconds so sums never drift.
 */
export interface Contribution {
  collection: string;
  key: string;
  labels: Record<string, string | number | boolean | null>;
  counters: Record<string, number>;
}

export interface ContributionContext {
  /** The ticket's previous contributions, when no fact of it changed (only the log's time moved). */
  slaUnchanged?: Contribution[];
  logTime: number;
  zone: string;
  policy?: SlaPolicyVersion;
  service?: { ownership: Ownership; supplierId?: string };
  agedAfterDays: number;
}

const DAY = 86_400_000;
const ms = (iso: string) => Date.parse(iso);

/** The periods a ticket was open (not resolved, not closed): raise → resolution, reopen → resolution... */
export function openIntervals(t: RaisedTicket): Array<[number, number]> {
  const r = t.timeline.resolutions;
  const out: Array<[number, number]> = [[ms(t.raisedAt), r[0] ? ms(r[0].resolvedAt) : Infinity]];
  r.forEach((x, i) => {
    const next = r[i + 1];
    if (x.reopenedAt) out.push([ms(x.reopenedAt), next ? ms(next.resolvedAt) : Infinity]);
  });
  return out;
}

/** The assignment in force at an instant. */
function assignmentAt(t: RaisedTicket, at: number): { groupId: string; supplierId?: string } | undefined {
  let found: { groupId: string; supplierId?: string } | undefined;
  for (const a of t.timeline.assignments) if (ms(a.at) <= at) found = a;
  return found;
}

export const ageBucket = (days: number) => (days > 90 ? '90+' : days > 60 ? '60-90' : '30-60');

export function ticketContributions(t: RaisedTicket, ctx: ContributionContext): Contribution[] {
  const out: Contribution[] = [];
  const add = (c: Contribution) => out.push(c);
  const tenant = t.tenantId;
  const month = (at: number) => monthOf(at, ctx.zone);
  const raisedAt = ms(t.raisedAt);
  const open = openIntervals(t);
  const resolutions = t.timeline.resolutions.map((r) => ms(r.resolvedAt));

  // SLA performance: each completed clock counts in the month it completed, four ways. It depends
  // on the ticket's facts alone, not on the log's time: when only time has passed, the caller
  // hands in the previous ones (slaUnchanged) and the clocks are not computed again.
  if (ctx.slaUnchanged) {
    for (const c of ctx.slaUnchanged) if (c.collection === 'sla_performance') add(c);
  } else if (ctx.policy) {
    for (const c of computeSlaClocks(t, ctx.policy, ms(t.lastOccurredAt))) {
      if (!c.stoppedAt || (c.state !== 'met' && c.state !== 'breached')) continue;
      const stop = ms(c.stoppedAt);
      const m = month(stop);
      const assigned = assignmentAt(t, stop);
      const dims: Array<[string, string]> = [
        ['all', '*'],
        ['service', t.serviceId],
        ['supplier', assigned?.supplierId ?? 'none'],
        ['group', assigned?.groupId ?? 'unassigned'],
      ];
      for (const [dimension, value] of dims) {
        add({
          collection: 'sla_performance',
          key: [tenant, c.metric, t.kind, c.priority, m, dimension, value].join('|'),
          labels: {
            tenantId: tenant,
            metric: c.metric,
            kind: t.kind,
            priority: c.priority,
            month: m,
            dimension,
            value,
            reference: c.reference ?? null,
            goalPct: c.goalPct ?? null,
            targetMinutes: c.targetMinutes ?? null,
          },
          counters: { total: 1, met: c.state === 'met' ? 1 : 0, breached: c.state === 'breached' ? 1 : 0 },
        });
      }
    }
  }

  // Demand: raised in its month; resolved once in each month it was resolved; open at each month end.
  const demand = (m: string, counters: Record<string, number>) =>
    add({
      collection: 'demand',
      key: [tenant, t.kind, t.priority, m].join('|'),
      labels: { tenantId: tenant, kind: t.kind, priority: t.priority, month: m },
      counters,
    });
  demand(month(raisedAt), { raised: 1, resolved: 0, openAtEnd: 0 });
  for (const m of new Set(resolutions.map(month))) demand(m, { raised: 0, resolved: 1, openAtEnd: 0 });
  for (const start of monthStartsIn(raisedAt, ctx.logTime, ctx.zone))
    if (openAt(open, start)) demand(month(start - 1), { raised: 0, resolved: 0, openAtEnd: 1 });
  // SD2: an incident's latest resolution, in its month, and whether the service desk fixed it itself.
  if (t.kind === 'incident' && t.resolvedAt && t.resolution)
    demand(month(ms(t.resolvedAt)), { incidentsResolved: 1, firstLineFixes: t.resolution.firstLineFix ? 1 : 0 });

  // Aged backlog: at each local Monday 00:00 the ticket was open and older than the threshold.
  for (const w of weekStartsIn(raisedAt + ctx.agedAfterDays * DAY, ctx.logTime, ctx.zone)) {
    if (!openAt(open, w) || w - raisedAt <= ctx.agedAfterDays * DAY) continue;
    const ageDays = Math.floor((w - raisedAt) / DAY);
    const assigned = assignmentAt(t, w);
    // Labelled by the local date of its Monday (an instant in UTC would read a day early in summer).
    const week = dayOf(w, ctx.zone);
    add({
      collection: 'aged_backlog',
      key: `${tenant}|${week}|${t.ticketId}`,
      labels: {
        tenantId: tenant,
        week,
        ticketId: t.ticketId,
        priority: t.priority,
        kind: t.kind,
        groupId: assigned?.groupId ?? 'unassigned',
        supplierId: assigned?.supplierId ?? 'none',
        ageDays,
        bucket: ageBucket(ageDays),
      },
      counters: { count: 1 },
    });
  }

  // Satisfaction: feedback in its month; complaints in theirs; resolutions give the response rate's base.
  const satisfaction = (m: string, counters: Record<string, number>) =>
    add({ collection: 'satisfaction', key: `${tenant}|${m}`, labels: { tenantId: tenant, month: m }, counters });
  if (t.feedback) {
    const { satisfaction: s, nps } = t.feedback;
    satisfaction(month(ms(t.feedback.at)), {
      feedback: 1,
      satisfactionAnswers: s !== undefined ? 1 : 0,
      positive: s !== undefined && s >= 4 ? 1 : 0,
      neutral: s === 3 ? 1 : 0,
      negative: s !== undefined && s <= 2 ? 1 : 0,
      npsAnswers: nps !== undefined ? 1 : 0,
      promoters: nps !== undefined && nps >= 9 ? 1 : 0,
      detractors: nps !== undefined && nps <= 6 ? 1 : 0,
    });
  }
  for (const at of t.complaintDates) satisfaction(month(ms(at)), { complaints: 1 });
  for (const m of new Set(resolutions.map(month))) satisfaction(m, { resolved: 1 });

  // Supplier tickets, one document per supplier × month × ticket, so every scorecard figure is a
  // sum over a list of tickets (see figure-definitions.ts): raised this month with any assignment
  // to the supplier (and its response time), and resolved this month while the supplier held it.
  const suppliers = new Set(t.timeline.assignments.map((a) => a.supplierId).filter((s): s is string => !!s));
  const supplierTicket = (supplierId: string, m: string, counters: Record<string, number>) =>
    add({
      collection: 'supplier_tickets',
      key: `${supplierId}|${tenant}|${m}|${t.ticketId}`,
      labels: { supplierId, tenantId: tenant, month: m, ticketId: t.ticketId, kind: t.kind, priority: t.priority },
      counters,
    });
  for (const s of suppliers) {
    supplierTicket(s, month(raisedAt), { raised: 1, ...(t.respondedAt ? { responses: 1, responseMs: ms(t.respondedAt) - raisedAt } : {}) });
  }
  const lastResolution = resolutions[resolutions.length - 1];
  const resolvedNow = t.status === 'resolved' || t.status === 'closed';
  const holder = resolvedNow && lastResolution !== undefined ? assignmentAt(t, lastResolution)?.supplierId : undefined;
  if (holder && lastResolution !== undefined) {
    // Time with the supplier: working time of the ticket's resolution calendar while it held the
    // ticket, less holds that pause the supplier's clock (as GET /sla's supplier clocks).
    const clock = computeSupplierClocks(t, ctx.policy, lastResolution, resolutionCalendar(ctx.policy, t.kind, t.priority)).find((c) => c.supplierId === holder);
    supplierTicket(holder, month(lastResolution), {
      resolved: 1,
      firstTimeFixes: t.reopenCount === 0 ? 1 : 0,
      reopened: t.reopenCount > 0 ? 1 : 0,
      resolveMs: Math.round((clock?.elapsedMinutes ?? 0) * 60_000),
    });
  }

  // Outages, one document per tenant the outage affected: availability is per tenant, and unions
  // them per service at query time. One still going on has `to: null`: the query counts it up to
  // its own "now", so the document stays a function of the log alone.
  const outage = (o: { serviceId: string; from: string; to: string | null; tenantIds: string[] }, key: string) => {
    for (const affected of o.tenantIds) {
      add({
        collection: 'outages',
        key: `${affected}|${tenant}.${t.ticketId}#${key}`,
        labels: {
          tenantId: affected,
          // Another tenant's ticket is not named to this one: only that the outage was recorded.
          ticketId: affected === tenant ? t.ticketId : null,
          serviceId: o.serviceId,
          from: o.from,
          to: o.to,
          ownership: ctx.service?.ownership ?? null,
          supplierId: ctx.service?.supplierId ?? null,
          month: monthOf(ms(o.from), ctx.zone),
        },
        counters: { count: 1 },
      });
    }
  };
  t.outages.forEach((o, i) => outage(o, String(i)));
  for (const o of t.ongoingOutages ?? []) outage({ ...o, to: null }, `ongoing-${o.outageId}`);

  // The major incident register of every tenant it affected (the ticket's own tenant included).
  if (t.majorIncident) {
    const mi = t.majorIncident;
    for (const affected of new Set([tenant, ...mi.tenantsAffected])) {
      add({
        collection: 'major_incidents',
        key: `${affected}|${mi.reference}|${tenant}.${t.ticketId}`,
        labels: {
          reference: mi.reference,
          tenantId: affected,
          ticketTenantId: tenant,
          ticketId: t.ticketId,
          tenantsAffected: [...mi.tenantsAffected].sort().join(','),
          description: mi.description ?? null,
          declaredAt: mi.declaredAt ?? null,
          priority: t.priority,
          serviceId: t.serviceId,
          status: t.status,
          raisedAt: t.raisedAt,
          resolvedAt: t.resolvedAt ?? null,
          rootCause: t.resolution?.rootCause ?? null,
          resolution: t.resolution?.note ?? null,
          outageMinutes: t.outageMinutes,
        },
        counters: { count: 1 },
      });
    }
  }
  return merge(out);
}

/** One entry per document: counters of the same document add up. */
function merge(contributions: Contribution[]): Contribution[] {
  const byId = new Map<string, Contribution>();
  for (const c of contributions) {
    const id = `${c.collection}\u0000${c.key}`;
    const seen = byId.get(id);
    if (!seen) byId.set(id, { ...c, counters: { ...c.counters } });
    else for (const [k, v] of Object.entries(c.counters)) seen.counters[k] = (seen.counters[k] ?? 0) + v;
  }
  return [...byId.values()];
}
