import type { Priority } from '../catalogue/priority';
import type { Channel, HoldReason, MajorIncidentTrigger, TicketKind } from './ticket.events';

/**
 * A missed step recorded late: why the command is dated before the ticket's latest fact. Only some
 * commands may say it (CORRECTABLE in ticket.decide.ts); the fact it records carries it.
 */
export interface Correction {
  reason: string;
}

/** What operators ask for. Each carries occurredAt: when it happened in the world. */
interface At {
  occurredAt: string;
  correction?: Correction;
}

export type RaiseTicket = At & {
  type: 'RaiseTicket';
  ticketId: string;
  tenantId: string;
  kind: TicketKind;
  /** Either a priority, or impact and urgency mapped through the tenant's matrix. */
  priority?: Priority;
  impact?: number;
  urgency?: number;
  serviceId: string;
  title: string;
  description: string;
  reporter: string;
  channel: Channel;
};
export type RespondToTicket = At & { type: 'RespondToTicket'; respondedBy: string };
export type AssignTicket = At & { type: 'AssignTicket'; groupId: string; supplierId?: string };
export type ChangeTicketPriority = At & { type: 'ChangeTicketPriority'; priority: Priority; reason: string };
export type PutTicketOnHold = At & { type: 'PutTicketOnHold'; reason: HoldReason; note?: string };
export type ResumeTicket = At & { type: 'ResumeTicket' };
/**
 * tenantIds: the tenants the outage affected, each served by the service; default [the ticket's tenant].
 * Without `to` the outage is still going on (OutageStarted): EndOutage ends it later.
 */
export type RecordOutage = At & { type: 'RecordOutage'; serviceId?: string; from: string; to?: string; tenantIds?: string[] };
/** Ends an ongoing outage of the ticket, named by the outageId its OutageStarted gave it. */
export type EndOutage = At & { type: 'EndOutage'; outageId: string; to: string };
export type ResolveTicket = At & {
  type: 'ResolveTicket';
  resolutionCode: string;
  rootCause: string;
  resolution?: string;
  /** Default: the group the ticket was assigned to at occurredAt. */
  resolvedByGroupId?: string;
  firstLineFix: boolean;
};
export type ReopenTicket = At & { type: 'ReopenTicket'; reason: string };
/** automatic: the close a tenant's auto-close rule makes; occurredAt must then be its due instant. */
export type CloseTicket = At & { type: 'CloseTicket'; automatic?: boolean };
export type DeclareMajorIncident = At & {
  type: 'DeclareMajorIncident';
  reference: string;
  tenantsAffected: string[];
  trigger: MajorIncidentTrigger;
  description?: string;
};
export type RecordFeedback = At & { type: 'RecordFeedback'; satisfaction?: number; nps?: number; comment?: string };
export type RecordComplaint = At & { type: 'RecordComplaint'; description: string };

/** The SLA timer's command: record the warnings and breaches due by occurredAt (its clock reading). */
export type ReconcileSla = At & { type: 'ReconcileSla' };

export type TicketCommand =
  | RaiseTicket
  | RespondToTicket
  | AssignTicket
  | ChangeTicketPriority
  | PutTicketOnHold
  | ResumeTicket
  | RecordOutage
  | EndOutage
  | ResolveTicket
  | ReopenTicket
  | CloseTicket
  | DeclareMajorIncident
  | RecordFeedback
  | RecordComplaint
  | ReconcileSla;
