import type { Filter } from '@itsm/read-store';
import type { AggregateDoc } from '../reports.projection';
import { monthRange } from '../periods';
import { services as catalogueServices } from './catalogue';
import { minutesCovered, openWindow, overlaps, type Period } from './open-windows';
import { round2 } from './report-arithmetic';
import type { ReportReads } from './report-reads';

/** An outages document: one outage of a service as one tenant it affected had it. */
export interface OutageDoc extends AggregateDoc {
  /** The affected tenant. */
  tenantId: string;
  /** The recording ticket, named only to its own tenant. */
  ticketId: string | null;
  serviceId: string;
  from: string;
  /** null while it goes on. */
  to: string | null;
  ownership: string | null;
  supplierId: string | null;
  /** The local month of `from`. */
  month: string;
}

/** The log's own "now" (its latest occurredAt), in the meta collection. */
interface ClockDoc {
  logTime?: number;
}

export interface ServiceAvailabilityQuery {
  month: string;
  zone: string;
  tenantId?: string;
  /** Epoch ms: where an ongoing outage is cut (default: the log's time). */
  now?: number;
}

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

export type ServiceAvailabilityAnswer = {
  month: string;
  minutesInMonth: number;
  services: AvailabilityRow[];
  underItManagement: { outageMinutes: number };
  outsideItManagement: { outageMinutes: number };
};

/**
 * Availability of each service serving the tenant for a month, as the tenant had it: the union of
 * the outages recorded against that tenant, listed per service so the figure can be checked.
 * Split by whether IT manages the service. Without a tenant: every service, every tenant's outages.
 * An outage still going on (stored with `to: null`) counts up to `now` (epoch ms; the request's
 * moment, default the log's time: its latest occurredAt), and is listed `ongoing` with `to` = that cut.
 */
export async function serviceAvailability(reads: ReportReads, q: ServiceAvailabilityQuery): Promise<ServiceAvailabilityAnswer> {
  const month: Period = monthRange(q.month, q.zone);
  const minutes = (month[1] - month[0]) / 60_000;
  const now = q.now ?? (await reads.get<ClockDoc>('meta', 'clock'))?.logTime ?? 0;
  const rows: AvailabilityRow[] = [];
  const ongoing = await ongoingOutages(reads, month, q.tenantId);
  for (const { value: s } of await catalogueServices(reads)) {
    if (q.tenantId && !s.tenantIds.includes(q.tenantId)) continue;
    const outages = [...(await endedOutagesOverlapping(reads, s.serviceId, month, q.tenantId)), ...ongoing.filter((o) => o.serviceId === s.serviceId)]
      .map((o) => ({ o, window: openWindow(o.from, o.to, now) }))
      .filter(({ window }) => overlaps(window, month)) // not an ongoing one in a month "now" has not reached
      .sort((a, b) => a.o.from.localeCompare(b.o.from) || a.o.id.localeCompare(b.o.id));
    const outageMinutes = minutesCovered(
      outages.map(({ window }) => window),
      month,
    );
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
      outages: outages.map(({ o, window }) => ({
        tenantId: o.tenantId,
        ticketId: o.ticketId ?? null,
        from: o.from,
        to: new Date(window[1]).toISOString(),
        ...(o.to === null || o.to === undefined ? { ongoing: true as const } : {}),
        minutesInMonth: round2(minutesCovered([window], month)),
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
 * A service's ended outages (of one tenant, or all) that overlap the period: began before its end
 * and ended after its start. No one index serves both sides, so the side with fewer outages is
 * scanned (two counts on covering indexes decide; sorting on that side's field steers the store
 * to its index) and the store tests the other condition: only the period's outages are parsed.
 */
async function endedOutagesOverlapping(reads: ReportReads, serviceId: string, [start, end]: Period, tenantId?: string): Promise<OutageDoc[]> {
  const scope: Filter = tenantId ? { tenantId, serviceId } : { serviceId };
  const beganBeforeEnd = { $lt: new Date(end).toISOString() };
  const endedAfterStart = { $gt: new Date(start).toISOString() };
  const side =
    (await reads.count('outages', { ...scope, from: beganBeforeEnd })) <= (await reads.count('outages', { ...scope, to: endedAfterStart })) ? 'from' : 'to';
  return reads.all<OutageDoc>('outages', { ...scope, from: beganBeforeEnd, to: endedAfterStart }, { field: side, direction: 'asc' });
}

/** Outages still going on (`to` null: never many, read through the index on `to`) that began before the period's end. */
async function ongoingOutages(reads: ReportReads, [, end]: Period, tenantId?: string): Promise<OutageDoc[]> {
  const ongoing = await reads.all<OutageDoc>('outages', { to: null });
  return ongoing.filter((o) => (tenantId === undefined || o.tenantId === tenantId) && Date.parse(o.from) < end);
}
