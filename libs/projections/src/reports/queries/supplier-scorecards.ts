import type { Filter } from '@itsm/read-store';
import type { AggregateDoc } from '../reports.projection';
import { suppliers as catalogueSuppliers } from './catalogue';
import { rag } from './contract-rag';
import { counter, pct, round2 } from './report-arithmetic';
import type { ReportReads } from './report-reads';
import { serviceAvailability } from './service-availability';
import { slaRows } from './sla-performance';

/**
 * A supplier_tickets document: one ticket of one tenant, for one supplier and month (see
 * figure-definitions.ts): raised this month with any assignment to the supplier, and/or resolved
 * this month while the supplier held it.
 */
export interface SupplierTicketDoc extends AggregateDoc {
  supplierId: string;
  tenantId: string;
  month: string;
  ticketId: string;
  kind: string;
  priority: string;
  counts: Partial<Record<'raised' | 'responses' | 'responseMs' | 'resolved' | 'firstTimeFixes' | 'reopened' | 'resolveMs', number>>;
}

export interface SupplierScorecardsQuery {
  month: string;
  zone: string;
  supplierId?: string;
  tenantId?: string;
  /** Epoch ms: where an ongoing outage is cut (default: the log's time). */
  now?: number;
}

export type SupplierTicketRef = {
  tenantId: string;
  ticketId: string;
  kind: string;
  priority: string;
};

export type SupplierSlaRow = {
  tenantId: string;
  metric: string;
  kind: string;
  priority: string;
  total: number;
  met: number;
  breached: number;
  pctMet: number | null;
};

export type SupplierCard = {
  supplierId: string;
  name: string;
  month: string;
  tickets: number;
  ticketsByPriority: { P1: number; P2: number; P3: number; P4: number };
  raisedTickets: SupplierTicketRef[];
  p1p2: SupplierTicketRef[];
  sla: SupplierSlaRow[];
  breaches: number;
  outageMinutes: number;
  availability: Array<{ serviceId: string; availabilityPct: number; targetPct: number; targetMet: boolean }>;
  resolved: number;
  resolvedTickets: Array<SupplierTicketRef & { firstTimeFix: boolean; workingMinutesWithSupplier: number }>;
  firstTimeFixPct: number | null;
  meanTimeToRespondMinutes: number | null;
  meanWorkingMinutesToResolve: number | null;
  reopenRatePct: number | null;
  contract: Array<{ measure: string; target: number; actual: number | null; rag: 'green' | 'amber' | 'red' | 'grey' }>;
};

/**
 * Per supplier and month (see figure-definitions.ts): the tickets raised this month that went to
 * it, with their P1/P2 incidents and response times; the tickets resolved this month while it
 * held them, with first-time fix, reopen rate and working time with the supplier; SLA clocks it
 * held at their stop; outages and availability of its services; RAG against its contract.
 * Every count comes with the ticket ids it counts.
 */
export async function supplierScorecards(reads: ReportReads, q: SupplierScorecardsQuery): Promise<SupplierCard[]> {
  const filter: Filter = { month: q.month };
  if (q.supplierId) filter.supplierId = q.supplierId;
  if (q.tenantId) filter.tenantId = q.tenantId;
  const docs = await reads.all<SupplierTicketDoc>('supplier_tickets', filter);
  const suppliers = await catalogueSuppliers(reads);
  const availability = await serviceAvailability(reads, { month: q.month, zone: q.zone, tenantId: q.tenantId, now: q.now });
  const ids = new Set([...docs.map((d) => d.supplierId), ...suppliers.map((s) => s.value.supplierId)]);
  const tenantIds = q.tenantId ? [q.tenantId] : [...new Set(docs.map((d) => d.tenantId))];
  const slaBySupplier = new Map<string, SupplierSlaRow[]>();
  for (const tenantId of tenantIds) {
    for (const r of await slaRows(reads, { tenantId, range: { from: q.month, to: q.month }, granularity: 'month', dimension: 'supplier' })) {
      const list = slaBySupplier.get(r.value) ?? [];
      list.push({ tenantId, metric: r.metric, kind: r.kind, priority: r.priority, total: r.total, met: r.met, breached: r.breached, pctMet: r.pctMet });
      slaBySupplier.set(r.value, list);
    }
  }
  const cards: SupplierCard[] = [];
  for (const supplierId of [...ids].sort()) {
    if (q.supplierId && supplierId !== q.supplierId) continue;
    const mine = docs.filter((d) => d.supplierId === supplierId).sort((a, b) => a.id.localeCompare(b.id));
    const raised = mine.filter((d) => counter(d, 'raised') > 0);
    const resolved = mine.filter((d) => counter(d, 'resolved') > 0);
    const sum = (xs: SupplierTicketDoc[], k: keyof SupplierTicketDoc['counts']) => xs.reduce((n, d) => n + counter(d, k), 0);
    const ticketRef = (d: SupplierTicketDoc): SupplierTicketRef => ({ tenantId: d.tenantId, ticketId: d.ticketId, kind: d.kind, priority: d.priority });
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
      resolvedTickets: resolved.map((d) => ({
        ...ticketRef(d),
        firstTimeFix: counter(d, 'firstTimeFixes') > 0,
        workingMinutesWithSupplier: round2(counter(d, 'resolveMs') / 60_000),
      })),
      firstTimeFixPct: ftfPct,
      meanTimeToRespondMinutes: meanResponseMinutes,
      meanWorkingMinutesToResolve: resolved.length ? round2(sum(resolved, 'resolveMs') / resolved.length / 60_000) : null,
      reopenRatePct: pct(sum(resolved, 'reopened'), resolved.length),
      contract: targets
        ? [
            {
              measure: 'firstTimeFixPct',
              target: targets.targets.firstTimeFixPct,
              actual: ftfPct,
              rag: rag(ftfPct, targets.targets.firstTimeFixPct, 'higher'),
            },
            { measure: 'uptimePct', target: targets.targets.uptimePct, actual: uptimePct, rag: rag(uptimePct, targets.targets.uptimePct, 'higher') },
            {
              measure: 'meanResponseMinutes',
              target: targets.targets.meanResponseMinutes,
              actual: meanResponseMinutes,
              rag: rag(meanResponseMinutes, targets.targets.meanResponseMinutes, 'lower'),
            },
          ]
        : [],
    });
  }
  return cards;
}
