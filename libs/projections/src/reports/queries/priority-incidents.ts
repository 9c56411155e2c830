import type { TicketDoc, TicketFoldDoc } from '../reports.projection';
import { monthRange } from '../periods';
import { catalogueNames, serviceOwnership } from './catalogue';
import type { ReportReads } from './report-reads';

export interface PriorityIncidentsQuery {
  tenantId: string;
  month: string;
  zone: string;
  /** Catalogue names (catalogueNames), when the caller has them already. */
  names?: Map<string, string>;
}

export type PriorityIncident = {
  id: string;
  priority: string;
  kind: string;
  serviceId: string;
  service: string;
  underItManagement: boolean;
  title: string;
  reason: string | null;
  resolution: string | null;
  supplierId: string | null;
  supplier: string | null;
  outageMinutes: number;
  raisedAt: string;
  resolvedAt: string | null;
  status: string;
  majorIncident: string | null;
  resolvedWithinTarget: boolean | null;
};

/**
 * P1/P2 incidents raised in a month (service requests are not incidents), as committees read
 * them: affected service and whether IT manages it, reason, resolution, supplier, outage
 * duration, and whether they were resolved within target.
 */
export async function priorityIncidents(reads: ReportReads, q: PriorityIncidentsQuery): Promise<PriorityIncident[]> {
  const [from, to] = monthRange(q.month, q.zone);
  // Sorted on raisedAt, the store reads the month through its (tenantId, raisedAt) index, not every incident of the tenant.
  const list = await reads.all<TicketDoc>(
    'tickets',
    {
      tenantId: q.tenantId,
      kind: 'incident',
      priority: { $in: ['P1', 'P2'] },
      raisedAt: { $gte: new Date(from).toISOString(), $lt: new Date(to).toISOString() },
    },
    { field: 'raisedAt', direction: 'asc' },
  );
  const names = q.names ?? (await catalogueNames(reads));
  const ownership = await serviceOwnership(reads);
  const out: PriorityIncident[] = [];
  for (const t of list.sort((a, b) => a.raisedAt.localeCompare(b.raisedAt) || a.id.localeCompare(b.id))) {
    const fold = await reads.get<TicketFoldDoc>('ticket_folds', t.id);
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
