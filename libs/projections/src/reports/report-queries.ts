import { versionInForce, type SlaPolicyState, type SlaPolicyVersion } from '@itsm/domain';
import type { Filter, ReadStore } from '@itsm/read-store';
import type { AggregateDoc, TicketDoc, TicketFoldDoc } from './reports.projection';
import { ageBucket } from './ticket-contributions';
import { dayOf, financialQuarterOf, financialYearOf, mondaysBetween, monthOf, monthRange, quarterOf, yearOf } from './periods';

/** Calendar month, quarter or year; or the financial year (April–March) and its quarters. */
export type Granularity = 'month' | 'quarter' | 'year' | 'financial-quarter' | 'financial-year';
export const GRANULARITIES: readonly Granularity[] = ['month', 'quarter', 'year', 'financial-quarter', 'financial-year'];
const DAY = 86_400_000;
const round2 = (x: number) => Math.round(x * 100) / 100;
const pct = (part: number, whole: number) => (whole > 0 ? round2((100 * part) / whole) : null);
const PERIOD_OF: Record<Granularity, (month: string) => string> = { month: (m) => m, quarter: quarterOf, year: yearOf, 'financial-quarter': financialQuarterOf, 'financial-year': financialYearOf };
export const periodOf = (month: string, g: Granularity) => PERIOD_OF[g](month);
const c = (d: AggregateDoc, name: string) => d.counts[name] ?? 0;

/** A ticket as report answers show it: `id` is the ticket id its tenant knows (documents are keyed per tenant). */
export type TicketListItem = Omit<TicketDoc, 'ticketId'>;
const listItem = ({ id: _key, ticketId, ...rest }: TicketDoc): TicketListItem => ({ id: ticketId, ...rest });

export interface PeriodRange {
  from: string; // YYYY-MM
  to: string; // YYYY-MM
}

/** Reads the report collections; `collection` maps a logical name to the serving physical one. */
export class ReportQueries {
  constructor(
    private readonly store: ReadStore,
    private readonly collection: (logical: string) => string,
  ) {}

  private async all<T extends object>(logical: string, filter: Filter): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.find<T>(this.collection(logical), { filter, limit: 5000, cursor });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  /** Operators' ticket list: filters on indexed fields, one sort, cursor paging. */
  async tickets(q: { tenantId: string; filter?: Filter; aged?: { now: number; days: number }; sort?: { field: string; direction: 'asc' | 'desc' }; limit?: number; cursor?: string }) {
    const filter: Filter = { ...q.filter, tenantId: q.tenantId };
    if (q.aged) Object.assign(filter, { open: true, raisedAt: { $lt: new Date(q.aged.now - q.aged.days * DAY).toISOString() } });
    const page = await this.store.find<TicketDoc>(this.collection('tickets'), { filter, sort: q.sort ?? { field: 'raisedAt', direction: 'desc' }, limit: q.limit ?? 50, cursor: q.cursor });
    return { items: page.items.map(listItem), nextCursor: page.nextCursor ?? null };
  }

  /** % within SLA per metric × kind × priority × period, by all / service / supplier / group. */
  async slaPerformance(q: { tenantId: string; range: PeriodRange; granularity: Granularity; dimension: string; value?: string }) {
    const rows = await this.slaRows(q);
    const openBreached = await this.all<TicketDoc>('tickets', { tenantId: q.tenantId, breachedOpen: true });
    return {
      rows: q.value === undefined ? rows : rows.filter((r) => r.value === q.value),
      breachedStillOpen: countBy(openBreached, (t) => t.priority),
      breachedStillOpenTicketIds: openBreached.map((t) => t.ticketId).sort(),
    };
  }

  /** The SLA rows of every value of a dimension (every supplier, say), sorted. */
  private async slaRows(q: { tenantId: string; range: PeriodRange; granularity: Granularity; dimension: string }) {
    const docs = await this.all<AggregateDoc>('sla_performance', { tenantId: q.tenantId, month: { $gte: q.range.from, $lte: q.range.to }, dimension: q.dimension });
    const rows = new Map<string, { period: string; metric: string; kind: string; priority: string; dimension: string; value: string; reference: string | null; goalPct: number | null; targetMinutes: number | null; total: number; met: number; breached: number }>();
    for (const d of docs) {
      const period = periodOf(d.month as string, q.granularity);
      const key = [period, d.metric, d.kind, d.priority, d.value].join('|');
      const row = rows.get(key) ?? { period, metric: d.metric as string, kind: d.kind as string, priority: d.priority as string, dimension: q.dimension, value: d.value as string, reference: d.reference as string | null, goalPct: d.goalPct as number | null, targetMinutes: d.targetMinutes as number | null, total: 0, met: 0, breached: 0 };
      row.total += c(d, 'total');
      row.met += c(d, 'met');
      row.breached += c(d, 'breached');
      rows.set(key, row);
    }
    return [...rows.values()]
      .sort((a, b) => a.period.localeCompare(b.period) || a.metric.localeCompare(b.metric) || a.kind.localeCompare(b.kind) || a.priority.localeCompare(b.priority) || a.value.localeCompare(b.value))
      .map((r) => {
        const pctMet = pct(r.met, r.total);
        return { ...r, pctMet, goalMet: pctMet === null || r.goalPct === null ? null : pctMet >= r.goalPct };
      });
  }

  /**
   * Raised, resolved and open at period end per kind × priority. A period that has not ended by
   * `now` is `partial`, and its open-at-end is the tickets open now.
   */
  async demand(q: { tenantId: string; range: PeriodRange; granularity: Granularity; now?: number; zone?: string }) {
    const docs = await this.all<AggregateDoc>('demand', { tenantId: q.tenantId, month: { $gte: q.range.from, $lte: q.range.to } });
    type Row = { period: string; kind: string; priority: string; raised: number; resolved: number; openAtEnd: number; incidentsResolved: number; firstLineFixes: number; partial: boolean; lastMonth: string };
    const rows = new Map<string, Row>();
    const row = (period: string, kind: string, priority: string): Row => {
      const key = [period, kind, priority].join('|');
      let r = rows.get(key);
      if (!r) rows.set(key, (r = { period, kind, priority, raised: 0, resolved: 0, openAtEnd: 0, incidentsResolved: 0, firstLineFixes: 0, partial: false, lastMonth: '' }));
      return r;
    };
    for (const d of docs.sort((a, b) => String(a.month).localeCompare(String(b.month)))) {
      const r = row(periodOf(d.month as string, q.granularity), d.kind as string, d.priority as string);
      r.raised += c(d, 'raised');
      r.resolved += c(d, 'resolved');
      r.incidentsResolved += c(d, 'incidentsResolved');
      r.firstLineFixes += c(d, 'firstLineFixes');
      // Open at the end of a quarter or year is the figure of its last month.
      if ((d.month as string) > r.lastMonth) {
        r.openAtEnd = c(d, 'openAtEnd');
        r.lastMonth = d.month as string;
      } else r.openAtEnd += c(d, 'openAtEnd');
    }
    // The period in progress: nothing has been counted at its end yet; what is open now stands for it.
    const current = q.now === undefined ? undefined : monthOf(q.now, q.zone ?? 'Europe/London');
    if (current !== undefined && current >= q.range.from && current <= q.range.to) {
      const period = periodOf(current, q.granularity);
      for (const r of rows.values()) if (r.period === period) r.openAtEnd = 0;
      for (const t of await this.all<TicketDoc>('tickets', { tenantId: q.tenantId, open: true })) row(period, t.kind, t.priority).openAtEnd++;
      for (const r of rows.values()) if (r.period === period) r.partial = true;
    }
    return [...rows.values()].map(({ lastMonth: _l, ...r }) => r).sort((a, b) => a.period.localeCompare(b.period) || a.kind.localeCompare(b.kind) || a.priority.localeCompare(b.priority));
  }

  /**
   * Tickets open longer than the threshold at each local Monday 00:00 from `fromWeek` to `toWeek`
   * (local dates, YYYY-MM-DD; weeks with none show 0), and now.
   */
  async agedBacklog(q: { tenantId: string; fromWeek: string; toWeek: string; now: number; days: number; zone?: string }) {
    const weeks = new Map(mondaysBetween(q.fromWeek, q.toWeek).map((w) => [w, [] as AggregateDoc[]]));
    const [first, last] = [[...weeks.keys()][0], [...weeks.keys()].at(-1)];
    const members = first === undefined ? [] : await this.all<AggregateDoc>('aged_backlog', { tenantId: q.tenantId, week: { $gte: first, $lte: last! } });
    for (const m of members) weeks.get(m.week as string)?.push(m);
    type Member = { priority: unknown; kind: unknown; groupId: unknown; supplierId: unknown; bucket: unknown; ticketId: unknown };
    const summarise = (xs: Member[]) => ({
      total: xs.length,
      byPriority: countBy(xs, (x) => String(x.priority)),
      byKind: countBy(xs, (x) => String(x.kind)),
      byGroup: countBy(xs, (x) => String(x.groupId)),
      bySupplier: countBy(xs, (x) => String(x.supplierId)),
      byAge: countBy(xs, (x) => String(x.bucket)),
      ticketIds: xs.map((x) => String(x.ticketId)).sort(),
    });
    const open = await this.all<TicketDoc>('tickets', { tenantId: q.tenantId, open: true, raisedAt: { $lt: new Date(q.now - q.days * DAY).toISOString() } });
    const nowRows = open.map((t) => ({ priority: t.priority, kind: t.kind, groupId: t.groupId ?? 'unassigned', supplierId: t.supplierId ?? 'none', bucket: ageBucket(Math.floor((q.now - Date.parse(t.raisedAt)) / DAY)), ticketId: t.ticketId }));
    // A Monday after now has not happened yet.
    const today = dayOf(q.now, q.zone ?? 'Europe/London');
    return {
      thresholdDays: q.days,
      weeks: [...weeks.entries()].filter(([week]) => week <= today).map(([week, xs]) => ({ week, ...summarise(xs as unknown as Member[]) })),
      now: { at: new Date(q.now).toISOString(), ...summarise(nowRows) },
    };
  }

  /** Feedback volume and response rate, sentiment split, NPS, % good or very good, complaints. */
  async satisfaction(q: { tenantId: string; range: PeriodRange; granularity: Granularity }) {
    const docs = await this.all<AggregateDoc>('satisfaction', { tenantId: q.tenantId, month: { $gte: q.range.from, $lte: q.range.to } });
    const sums = new Map<string, Record<string, number>>();
    for (const d of docs) {
      const period = periodOf(d.month as string, q.granularity);
      const s = sums.get(period) ?? {};
      for (const [k, v] of Object.entries(d.counts)) s[k] = (s[k] ?? 0) + v;
      sums.set(period, s);
    }
    return [...sums.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([period, s]) => {
      const g = (k: string) => s[k] ?? 0;
      return {
        period,
        feedback: g('feedback'),
        resolved: g('resolved'),
        satisfactionAnswers: g('satisfactionAnswers'),
        positive: g('positive'),
        neutral: g('neutral'),
        negative: g('negative'),
        promoters: g('promoters'),
        detractors: g('detractors'),
        responseRatePct: pct(g('feedback'), g('resolved')),
        positivePct: pct(g('positive'), g('satisfactionAnswers')),
        neutralPct: pct(g('neutral'), g('satisfactionAnswers')),
        negativePct: pct(g('negative'), g('satisfactionAnswers')),
        goodOrVeryGoodPct: pct(g('positive'), g('satisfactionAnswers')),
        npsAnswers: g('npsAnswers'),
        nps: g('npsAnswers') > 0 ? round2((100 * (g('promoters') - g('detractors'))) / g('npsAnswers')) : null,
        complaints: g('complaints'),
      };
    });
  }

  /**
   * Availability of each service serving the tenant for a month, as the tenant had it: the union of
   * the outages recorded against that tenant, listed per service so the figure can be checked.
   * Split by whether IT manages the service. Without a tenant: every service, every tenant's outages.
   * An outage still going on (stored with `to: null`) counts up to `now` (epoch ms; the request's
   * moment, default the log's time: its latest occurredAt), and is listed `ongoing` with `to` = that cut.
   */
  async serviceAvailability(q: { month: string; zone: string; tenantId?: string; now?: number }) {
    const [start, end] = monthRange(q.month, q.zone);
    const minutes = (end - start) / 60_000;
    const now = q.now ?? (await this.store.get<{ logTime?: number }>(this.collection('meta'), 'clock'))?.logTime ?? 0;
    const until = (o: AggregateDoc) => (o.to === null || o.to === undefined ? Math.max(now, Date.parse(o.from as string)) : Date.parse(o.to as string));
    const services = await this.all<{ id: string; value: { serviceId: string; name: string; tenantIds: string[]; ownership: string; supplierId?: string; availabilityTargetPct: number } }>('catalogue', { kind: 'service' });
    const rows: AvailabilityRow[] = [];
    for (const s of services.map((x) => x.value)) {
      if (q.tenantId && !s.tenantIds.includes(q.tenantId)) continue;
      const outages = (await this.outagesOverlapping(s.serviceId, start, end, q.tenantId))
        .filter((o) => until(o) > start) // not an ongoing one in a month "now" has not reached
        .sort((a, b) => String(a.from).localeCompare(String(b.from)) || a.id.localeCompare(b.id));
      const outageMinutes = unionMinutes(outages.map((o) => [Date.parse(o.from as string), until(o)] as [number, number]), start, end);
      const availabilityPct = round2(100 - (100 * outageMinutes) / minutes);
      rows.push({
        serviceId: s.serviceId,
        name: s.name,
        ownership: s.ownership,
        underItManagement: s.ownership !== 'business_owned',
        supplierId: s.supplierId ?? null,
        outageMinutes: round2(outageMinutes),
        availabilityPct,
        targetPct: s.availabilityTargetPct,
        targetMet: availabilityPct >= s.availabilityTargetPct,
        outages: outages.map((o) => ({
          tenantId: o.tenantId as string,
          ticketId: (o.ticketId as string | null) ?? null,
          from: o.from as string,
          to: new Date(until(o)).toISOString(),
          ...(o.to === null || o.to === undefined ? { ongoing: true } : {}),
          minutesInMonth: round2(unionMinutes([[Date.parse(o.from as string), until(o)]], start, end)),
        })),
      });
    }
    rows.sort((a, b) => a.serviceId.localeCompare(b.serviceId));
    const total = (xs: typeof rows) => round2(xs.reduce((n, r) => n + r.outageMinutes, 0));
    return {
      month: q.month,
      minutesInMonth: minutes,
      services: rows,
      underItManagement: { outageMinutes: total(rows.filter((r) => r.underItManagement)) },
      outsideItManagement: { outageMinutes: total(rows.filter((r) => !r.underItManagement)) },
    };
  }

  /**
   * A service's outages (of one tenant, or all) that overlap [start, end): those that began before
   * the end and ended after the start, and those still going on that began before the end. No one
   * index serves both sides, so the side with fewer ended outages is read (two counts on covering
   * indexes decide), then cut by the other; ongoing ones (`to` null, never many) are read apart.
   */
  private async outagesOverlapping(serviceId: string, start: number, end: number, tenantId?: string): Promise<AggregateDoc[]> {
    const scope: Filter = tenantId ? { tenantId, serviceId } : { serviceId };
    const began: Filter = { ...scope, from: { $lt: new Date(end).toISOString() } };
    const ended: Filter = { ...scope, to: { $gt: new Date(start).toISOString() } };
    const side = (await this.store.count(this.collection('outages'), began)) <= (await this.store.count(this.collection('outages'), ended)) ? began : ended;
    const whole = (await this.all<AggregateDoc>('outages', side)).filter((o) => typeof o.to === 'string' && Date.parse(o.from as string) < end && Date.parse(o.to) > start);
    const ongoing = await this.all<AggregateDoc>('outages', { ...scope, to: null, from: { $lt: new Date(end).toISOString() } });
    return [...whole, ...ongoing];
  }

  /**
   * Per supplier and month (see figure-definitions.ts): the tickets raised this month that went to
   * it, with their P1/P2 incidents and response times; the tickets resolved this month while it
   * held them, with first-time fix, reopen rate and working time with the supplier; SLA clocks it
   * held at their stop; outages and availability of its services; RAG against its contract.
   * Every count comes with the ticket ids it counts.
   */
  async supplierScorecards(q: { month: string; zone: string; supplierId?: string; tenantId?: string; now?: number }) {
    const filter: Filter = { month: q.month };
    if (q.supplierId) filter.supplierId = q.supplierId;
    if (q.tenantId) filter.tenantId = q.tenantId;
    const docs = await this.all<AggregateDoc>('supplier_tickets', filter);
    const suppliers = await this.all<{ value: { supplierId: string; name: string; targets: { firstTimeFixPct: number; uptimePct: number; meanResponseMinutes: number } } }>('catalogue', { kind: 'supplier' });
    const availability = await this.serviceAvailability({ month: q.month, zone: q.zone, tenantId: q.tenantId, now: q.now });
    const ids = new Set([...docs.map((d) => d.supplierId as string), ...suppliers.map((s) => s.value.supplierId)]);
    const tenantIds = q.tenantId ? [q.tenantId] : [...new Set(docs.map((d) => d.tenantId as string))];
    const slaBySupplier = new Map<string, Array<{ tenantId: string; metric: string; kind: string; priority: string; total: number; met: number; breached: number; pctMet: number | null }>>();
    for (const tenantId of tenantIds) {
      for (const r of await this.slaRows({ tenantId, range: { from: q.month, to: q.month }, granularity: 'month', dimension: 'supplier' })) {
        const list = slaBySupplier.get(r.value) ?? [];
        list.push({ tenantId, metric: r.metric, kind: r.kind, priority: r.priority, total: r.total, met: r.met, breached: r.breached, pctMet: r.pctMet });
        slaBySupplier.set(r.value, list);
      }
    }
    const cards = [];
    for (const supplierId of [...ids].sort()) {
      if (q.supplierId && supplierId !== q.supplierId) continue;
      const mine = docs.filter((d) => d.supplierId === supplierId).sort((a, b) => a.id.localeCompare(b.id));
      const raised = mine.filter((d) => c(d, 'raised') > 0);
      const resolved = mine.filter((d) => c(d, 'resolved') > 0);
      const sum = (xs: AggregateDoc[], k: string) => xs.reduce((n, d) => n + c(d, k), 0);
      const ticketRef = (d: AggregateDoc) => ({ tenantId: d.tenantId as string, ticketId: d.ticketId as string, kind: d.kind as string, priority: d.priority as string });
      const sla = slaBySupplier.get(supplierId) ?? [];
      const services = availability.services.filter((s) => s.supplierId === supplierId);
      const uptimePct = services.length ? round2(services.reduce((n, s) => n + s.availabilityPct, 0) / services.length) : null;
      const ftfPct = pct(sum(resolved, 'firstTimeFixes'), resolved.length);
      const meanResponseMinutes = sum(raised, 'responses') ? round2(sum(raised, 'responseMs') / sum(raised, 'responses') / 60_000) : null;
      const targets = suppliers.find((s) => s.value.supplierId === supplierId)?.value;
      const byPriority = (p: string) => raised.filter((d) => d.priority === p).length;
      cards.push({
        supplierId,
        name: targets?.name ?? supplierId,
        month: q.month,
        tickets: raised.length,
        ticketsByPriority: { P1: byPriority('P1'), P2: byPriority('P2'), P3: byPriority('P3'), P4: byPriority('P4') },
        raisedTickets: raised.map(ticketRef),
        p1p2: raised.filter((d) => d.kind === 'incident' && (d.priority === 'P1' || d.priority === 'P2')).map(ticketRef),
        sla,
        breaches: sla.reduce((n, r) => n + r.breached, 0),
        outageMinutes: round2(services.reduce((n, s) => n + s.outageMinutes, 0)),
        availability: services.map((s) => ({ serviceId: s.serviceId, availabilityPct: s.availabilityPct, targetPct: s.targetPct, targetMet: s.targetMet })),
        resolved: resolved.length,
        resolvedTickets: resolved.map((d) => ({ ...ticketRef(d), firstTimeFix: c(d, 'firstTimeFixes') > 0, workingMinutesWithSupplier: round2(c(d, 'resolveMs') / 60_000) })),
        firstTimeFixPct: ftfPct,
        meanTimeToRespondMinutes: meanResponseMinutes,
        meanWorkingMinutesToResolve: resolved.length ? round2(sum(resolved, 'resolveMs') / resolved.length / 60_000) : null,
        reopenRatePct: pct(sum(resolved, 'reopened'), resolved.length),
        contract: targets
          ? [
              { measure: 'firstTimeFixPct', target: targets.targets.firstTimeFixPct, actual: ftfPct, rag: rag(ftfPct, targets.targets.firstTimeFixPct, 'higher') },
              { measure: 'uptimePct', target: targets.targets.uptimePct, actual: uptimePct, rag: rag(uptimePct, targets.targets.uptimePct, 'higher') },
              { measure: 'meanResponseMinutes', target: targets.targets.meanResponseMinutes, actual: meanResponseMinutes, rag: rag(meanResponseMinutes, targets.targets.meanResponseMinutes, 'lower') },
            ]
          : [],
      });
    }
    return cards;
  }

  /**
   * P1/P2 incidents raised in a month (service requests are not incidents), as committees read
   * them: affected service and whether IT manages it, reason, resolution, supplier, outage
   * duration, and whether they were resolved within target.
   */
  async priorityIncidents(q: { tenantId: string; month: string; zone: string; names?: Map<string, string> }) {
    const [from, to] = monthRange(q.month, q.zone);
    const list = await this.all<TicketDoc>('tickets', { tenantId: q.tenantId, kind: 'incident', priority: { $in: ['P1', 'P2'] }, raisedAt: { $gte: new Date(from).toISOString(), $lt: new Date(to).toISOString() } });
    const names = q.names ?? (await this.catalogueNames());
    const ownership = await this.serviceOwnership();
    const out = [];
    for (const t of list.sort((a, b) => a.raisedAt.localeCompare(b.raisedAt) || a.id.localeCompare(b.id))) {
      const fold = await this.store.get<TicketFoldDoc>(this.collection('ticket_folds'), t.id);
      const resolution = fold?.contributions.find((c) => c.collection === 'sla_performance' && c.labels.metric === 'resolution' && c.labels.dimension === 'all');
      out.push({
        id: t.ticketId,
        priority: t.priority,
        kind: t.kind,
        serviceId: t.serviceId,
        service: names.get(`service:${t.serviceId}`) ?? t.serviceId,
        underItManagement: ownership.get(t.serviceId) !== 'business_owned',
        title: t.title,
        reason: fold?.state.resolution?.rootCause ?? null,
        resolution: fold?.state.resolution?.note ?? fold?.state.resolution?.resolutionCode ?? null,
        supplierId: t.supplierId,
        supplier: t.supplierId ? (names.get(`supplier:${t.supplierId}`) ?? t.supplierId) : null,
        outageMinutes: t.outageMinutes,
        raisedAt: t.raisedAt,
        resolvedAt: t.resolvedAt,
        status: t.status,
        majorIncident: t.majorIncident,
        resolvedWithinTarget: resolution ? (resolution.counters.met ?? 0) > 0 : null,
      });
    }
    return out;
  }

  /** Names of tenants, services and suppliers by catalogue key (`service:email`). */
  async catalogueNames(): Promise<Map<string, string>> {
    const docs = await this.all<{ id: string; value: { name?: string } }>('catalogue', {});
    return new Map(docs.filter((d) => d.value?.name).map((d) => [d.id, d.value.name!]));
  }

  /** The tenant's SLA policy version in force at an instant (the one its tickets raised then pinned). */
  async slaPolicyAt(tenantId: string, at: number): Promise<SlaPolicyVersion | undefined> {
    const doc = await this.store.get<{ state: SlaPolicyState }>(this.collection('catalogue'), `policy:${tenantId}`);
    return doc ? versionInForce(doc.state, at) : undefined;
  }

  /** Each service's ownership (it_owned, supplier_managed, business_owned ...). */
  private async serviceOwnership(): Promise<Map<string, string>> {
    const docs = await this.all<{ value: { serviceId: string; ownership: string } }>('catalogue', { kind: 'service' });
    return new Map(docs.map((d) => [d.value.serviceId, d.value.ownership]));
  }

  /**
   * The major incident register of a tenant: every major incident that affected it, whichever
   * tenant's ticket it was declared on, with its description, cause and service name.
   */
  async majorIncidents(q: { tenantId?: string; names?: Map<string, string> }): Promise<MajorIncidentEntry[]> {
    const docs = await this.all<AggregateDoc & Omit<MajorIncidentEntry, 'tenantsAffected' | 'service'> & { tenantsAffected: string }>('major_incidents', q.tenantId ? { tenantId: q.tenantId } : {});
    const names = q.names ?? (await this.catalogueNames());
    return docs
      .map(({ id: _i, n: _n, counts: _c, tenantsAffected, ...rest }) => ({
        ...rest,
        service: names.get(`service:${rest.serviceId}`) ?? rest.serviceId,
        tenantsAffected: tenantsAffected.split(','),
      }))
      .sort((a, b) => a.raisedAt.localeCompare(b.raisedAt) || a.reference.localeCompare(b.reference));
  }
}

/** An entry of a tenant's major incident register. */
export type MajorIncidentEntry = {
  reference: string;
  /** The register's tenant. */
  tenantId: string;
  /** The tenant whose ticket the major incident was declared on. */
  ticketTenantId: string;
  ticketId: string;
  tenantsAffected: string[];
  description: string | null;
  declaredAt: string | null;
  priority: string;
  serviceId: string;
  service: string;
  status: string;
  raisedAt: string;
  resolvedAt: string | null;
  rootCause: string | null;
  resolution: string | null;
  outageMinutes: number;
};

export type AvailabilityRow = {
  serviceId: string;
  name: string;
  ownership: string;
  underItManagement: boolean;
  supplierId: string | null;
  outageMinutes: number;
  availabilityPct: number;
  targetPct: number;
  targetMet: boolean;
  /** The outages counted: another tenant's ticket is not named (ticketId null); one still going on is `ongoing`, counted up to `to`. */
  outages: Array<{ tenantId: string; ticketId: string | null; from: string; to: string; ongoing?: true; minutesInMonth: number }>;
};

/**
 * RAG against a contract target: green when met; amber when short by no more than 5% of the
 * target; red beyond that; grey when there is nothing to measure.
 */
export function rag(actual: number | null, target: number, better: 'higher' | 'lower'): 'green' | 'amber' | 'red' | 'grey' {
  if (actual === null) return 'grey';
  const shortfall = better === 'higher' ? target - actual : actual - target;
  if (shortfall <= 0) return 'green';
  return shortfall <= 0.05 * target ? 'amber' : 'red';
}

/** Minutes of [start, end) covered by at least one interval. */
export function unionMinutes(intervals: Array<[number, number]>, start: number, end: number): number {
  const clipped = intervals.map(([a, b]) => [Math.max(a, start), Math.min(b, end)] as [number, number]).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [curA, curB] = [NaN, NaN];
  for (const [a, b] of clipped) {
    if (Number.isNaN(curA) || a > curB) {
      if (!Number.isNaN(curA)) total += curB - curA;
      [curA, curB] = [a, b];
    } else curB = Math.max(curB, b);
  }
  if (!Number.isNaN(curA)) total += curB - curA;
  return total / 60_000;
}

function countBy<T>(xs: T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
