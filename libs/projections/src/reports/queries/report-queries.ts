import type { SlaPolicyVersion } from '@itsm/domain';
import type { ReadStore } from '@itsm/read-store';
import { agedBacklog, type AgedBacklogAnswer, type AgedBacklogQuery } from './aged-backlog';
import { catalogueNames, slaPolicyAt } from './catalogue';
import { demand, type DemandQuery, type DemandRow } from './demand';
import { majorIncidents, type MajorIncidentEntry, type MajorIncidentsQuery } from './major-incidents';
import { priorityIncidents, type PriorityIncident, type PriorityIncidentsQuery } from './priority-incidents';
import { ReportReads } from './report-reads';
import { satisfaction, type SatisfactionQuery, type SatisfactionRow } from './satisfaction';
import { serviceAvailability, type ServiceAvailabilityAnswer, type ServiceAvailabilityQuery } from './service-availability';
import { slaPerformance, type SlaPerformanceAnswer, type SlaPerformanceQuery } from './sla-performance';
import { supplierScorecards, type SupplierCard, type SupplierScorecardsQuery } from './supplier-scorecards';
import { ticketList, type TicketListPage, type TicketListQuery } from './ticket-list';

/**
 * Every report over the report read models, one method per report (each in its own file);
 * `collection` maps a logical name to the serving physical one (the projection version's, or a replay's).
 */
export class ReportQueries {
  private readonly reads: ReportReads;

  constructor(store: ReadStore, collection: (logical: string) => string) {
    this.reads = new ReportReads(store, collection);
  }

  tickets(q: TicketListQuery): Promise<TicketListPage> {
    return ticketList(this.reads, q);
  }

  slaPerformance(q: SlaPerformanceQuery): Promise<SlaPerformanceAnswer> {
    return slaPerformance(this.reads, q);
  }

  demand(q: DemandQuery): Promise<DemandRow[]> {
    return demand(this.reads, q);
  }

  agedBacklog(q: AgedBacklogQuery): Promise<AgedBacklogAnswer> {
    return agedBacklog(this.reads, q);
  }

  satisfaction(q: SatisfactionQuery): Promise<SatisfactionRow[]> {
    return satisfaction(this.reads, q);
  }

  serviceAvailability(q: ServiceAvailabilityQuery): Promise<ServiceAvailabilityAnswer> {
    return serviceAvailability(this.reads, q);
  }

  supplierScorecards(q: SupplierScorecardsQuery): Promise<SupplierCard[]> {
    return supplierScorecards(this.reads, q);
  }

  priorityIncidents(q: PriorityIncidentsQuery): Promise<PriorityIncident[]> {
    return priorityIncidents(this.reads, q);
  }

  majorIncidents(q: MajorIncidentsQuery): Promise<MajorIncidentEntry[]> {
    return majorIncidents(this.reads, q);
  }

  /** Names of tenants, services and suppliers by catalogue key (`service:email`). */
  catalogueNames(): Promise<Map<string, string>> {
    return catalogueNames(this.reads);
  }

  /** The tenant's SLA policy version in force at an instant (the one its tickets raised then pinned). */
  slaPolicyAt(tenantId: string, at: number): Promise<SlaPolicyVersion | undefined> {
    return slaPolicyAt(this.reads, tenantId, at);
  }
}
