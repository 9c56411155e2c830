import type { Priority } from '../catalogue/priority';
import type { DomainEvent } from '../shared/event';

/**
 * The facts of a ticket's life. Event names say "Incident" as the architecture names them,
 * for every kind of ticket: `kind` in IncidentRaised tells an incident from a service request.
 * Every event carries occurredAt (business time, ISO-8601 UTC).
 */
export const TICKET_KINDS = ['incident', 'service_request', 'starter_mover_leaver'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

export const HOLD_REASONS = ['awaiting_customer', 'awaiting_supplier', 'awaiting_problem', 'awaiting_change'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export const CHANNELS = ['phone', 'email', 'portal', 'walk_in', 'chat', 'monitoring'] as const;
export type Channel = (typeof CHANNELS)[number];

export const MAJOR_INCIDENT_TRIGGERS = ['multi_tenant_outage', 'several_p1s', 'p1_at_75_percent_of_sla'] as const;
export type MajorIncidentTrigger = (typeof MAJOR_INCIDENT_TRIGGERS)[number];

interface At {
  occurredAt: string;
  /**
   * On an operator's fact recorded late (a missed step, dated before facts recorded earlier): why.
   * Folds and clocks place the fact at its occurredAt; nothing recorded before it changes.
   */
  correction?: { reason: string };
}

export type IncidentRaised = DomainEvent<
  'IncidentRaised',
  At & {
    ticketId: string;
    tenantId: string;
    kind: TicketKind;
    priority: Priority;
    impact?: number;
    urgency?: number;
    serviceId: string;
    title: string;
    description: string;
    reporter: string;
    channel: Channel;
    /** The tenant's SLA policy version in force when raised: the ticket is measured by it for life. */
    slaPolicyVersion?: number;
  }
>;
export type IncidentResponded = DomainEvent<'IncidentResponded', At & { respondedBy: string }>;
export type IncidentAssigned = DomainEvent<'IncidentAssigned', At & { groupId: string; supplierId?: string }>;
export type IncidentPriorityChanged = DomainEvent<'IncidentPriorityChanged', At & { from: Priority; to: Priority; reason: string }>;
export type IncidentPutOnHold = DomainEvent<'IncidentPutOnHold', At & { reason: HoldReason; note?: string }>;
export type IncidentResumed = DomainEvent<'IncidentResumed', At & { reason: HoldReason }>;
export type OutageRecorded = DomainEvent<
  'OutageRecorded',
  At & {
    serviceId: string;
    from: string;
    to: string;
    minutes: number;
    /**
     * The tenants the outage affected (each served by the service). Always written since outages
     * are recorded per tenant; absent in older events, where it means [the ticket's tenant]:
     * evolveTicket fills that in, so RaisedTicket.outages[i].tenantIds is never missing.
     */
    tenantIds?: string[];
  }
>;
/** An outage still going on (recorded without its end); outageId names it to OutageEnded. */
export type OutageStarted = DomainEvent<'OutageStarted', At & { outageId: string; serviceId: string; from: string; tenantIds: string[] }>;
/** The end of an ongoing outage: from here on it counts as an OutageRecorded of from → to would. */
export type OutageEnded = DomainEvent<
  'OutageEnded',
  At & { outageId: string; serviceId: string; from: string; to: string; minutes: number; tenantIds: string[] }
>;
export type IncidentResolved = DomainEvent<
  'IncidentResolved',
  At & { resolutionCode: string; rootCause: string; resolution?: string; resolvedByGroupId: string; firstLineFix: boolean }
>;
export type IncidentReopened = DomainEvent<'IncidentReopened', At & { reason: string }>;
export type IncidentClosed = DomainEvent<'IncidentClosed', At & { automatic: boolean }>;
export type MajorIncidentDeclared = DomainEvent<
  'MajorIncidentDeclared',
  At & { reference: string; tenantsAffected: string[]; trigger: MajorIncidentTrigger; description?: string }
>;
export type FeedbackRecorded = DomainEvent<'FeedbackRecorded', At & { satisfaction?: number; nps?: number; comment?: string }>;
export type ComplaintRecorded = DomainEvent<'ComplaintRecorded', At & { description: string }>;

/** A clock crossed a warning threshold (occurredAt = the instant it did). */
export type SlaWarningRaised = DomainEvent<
  'SlaWarningRaised',
  At & { key: string; metric: 'response' | 'resolution'; cycle: number; priority: Priority; thresholdPct: number; targetMinutes: number; reference?: string }
>;
/** A clock passed its target (occurredAt = the instant it did). */
export type SlaBreached = DomainEvent<
  'SlaBreached',
  At & { key: string; metric: 'response' | 'resolution'; cycle: number; priority: Priority; targetMinutes: number; reference?: string }
>;
/** A fact recorded later (back-dated) showed that a recorded warning or breach did not happen then. */
export type SlaEventRetracted = DomainEvent<'SlaEventRetracted', At & { key: string; retractedOccurredAt: string; reason: string }>;

export type SlaEvent = SlaWarningRaised | SlaBreached | SlaEventRetracted;
export const SLA_EVENT_TYPES = ['SlaWarningRaised', 'SlaBreached', 'SlaEventRetracted'] as const;

/**
 * A running clock crossed a percentage of its target that the tenant's escalation policy names
 * (occurredAt = the instant it did). Withdrawn, like a warning, by a SlaEventRetracted of its key.
 */
export type EscalationTriggered = DomainEvent<
  'EscalationTriggered',
  At & {
    ticketId: string;
    /** escalation/metric/cycle/priority/atPercent */
    key: string;
    metric: 'response' | 'resolution';
    cycle: number;
    priority: Priority;
    atPercent: number;
    targetMinutes: number;
    reference?: string;
    notify: string[];
    /** The escalation policy version in force at the crossing. */
    policyVersion: number;
  }
>;

export type TicketEvent =
  | IncidentRaised
  | IncidentResponded
  | IncidentAssigned
  | IncidentPriorityChanged
  | IncidentPutOnHold
  | IncidentResumed
  | OutageRecorded
  | OutageStarted
  | OutageEnded
  | IncidentResolved
  | IncidentReopened
  | IncidentClosed
  | MajorIncidentDeclared
  | FeedbackRecorded
  | ComplaintRecorded
  | SlaEvent
  | EscalationTriggered;

export type TicketEventType = TicketEvent['type'];
