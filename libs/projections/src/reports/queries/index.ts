// The report queries: one file per report, each with the documents it reads and the answer it
// gives. The package exposes the ReportQueries facade, the document and answer types, and the
// open-window and RAG rules other reports (group totals, the summary) share.
export { ReportQueries } from './report-queries';
export { minutesCovered, openAt, openWindow, overlaps, unionMinutes, type OpenWindow, type Period } from './open-windows';
export { rag } from './contract-rag';
export type { PolicyCatalogueDoc, ServiceCatalogueDoc, SupplierCatalogueDoc } from './catalogue';
export type { TicketListItem, TicketListPage, TicketListQuery } from './ticket-list';
export type { SlaPerformanceAnswer, SlaPerformanceDoc, SlaPerformanceQuery, SlaRow, SlaRowsQuery } from './sla-performance';
export type { DemandDoc, DemandQuery, DemandRow } from './demand';
export type { AgedBacklogAnswer, AgedBacklogDoc, AgedBacklogQuery, BacklogFigures, BacklogNow, BacklogWeek } from './aged-backlog';
export type { SatisfactionDoc, SatisfactionQuery, SatisfactionRow } from './satisfaction';
export type { AvailabilityRow, OutageDoc, ServiceAvailabilityAnswer, ServiceAvailabilityQuery } from './service-availability';
export type { SupplierCard, SupplierScorecardsQuery, SupplierSlaRow, SupplierTicketDoc, SupplierTicketRef } from './supplier-scorecards';
export type { PriorityIncident, PriorityIncidentsQuery } from './priority-incidents';
export type { MajorIncidentDoc, MajorIncidentEntry, MajorIncidentRow, MajorIncidentsQuery } from './major-incidents';
