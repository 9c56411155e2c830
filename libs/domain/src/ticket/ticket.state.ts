import type { Priority } from '../catalogue/priority';
import type { Channel, HoldReason, TicketEvent, TicketKind } from './ticket.events';

export type TicketStatus = 'new' | 'in_progress' | 'on_hold' | 'resolved' | 'closed';

export interface RaisedTicket {
  raised: true;
  ticketId: string;
  tenantId: string;
  kind: TicketKind;
  priority: Priority;
  serviceId: string;
  title: string;
  description: string;
  reporter: string;
  channel: Channel;
  status: TicketStatus;
  raisedAt: string;
  /** occurredAt of the latest fact: no later fact may be dated before it. */
  lastOccurredAt: string;
  respondedAt?: string;
  assignment?: { groupId: string; supplierId?: string; since: string };
  hold?: { reason: HoldReason; since: string };
  resolvedAt?: string;
  resolution?: { resolutionCode: string; rootCause: string; resolvedByGroupId: string; firstLineFix: boolean };
  closedAt?: string;
  reopenCount: number;
  outageMinutes: number;
  outages: Array<{ serviceId: string; from: string; to: string }>;
  majorIncident?: { reference: string; tenantsAffected: string[] };
  feedbackRecorded: boolean;
  complaints: number;
}

export type TicketState = { raised: false } | RaisedTicket;

export const initialTicketState = (): TicketState => ({ raised: false });

/** Folds one fact into the state. Pure and total: it trusts that decide only emitted valid facts. */
export function evolveTicket(state: TicketState, event: TicketEvent): TicketState {
  if (event.type === 'IncidentRaised') {
    const d = event.data;
    return {
      raised: true,
      ticketId: d.ticketId,
      tenantId: d.tenantId,
      kind: d.kind,
      priority: d.priority,
      serviceId: d.serviceId,
      title: d.title,
      description: d.description,
      reporter: d.reporter,
      channel: d.channel,
      status: 'new',
      raisedAt: d.occurredAt,
      lastOccurredAt: d.occurredAt,
      reopenCount: 0,
      outageMinutes: 0,
      outages: [],
      feedbackRecorded: false,
      complaints: 0,
    };
  }
  if (!state.raised) return state;
  const s: RaisedTicket = { ...state, lastOccurredAt: event.data.occurredAt };
  switch (event.type) {
    case 'IncidentResponded':
      return { ...s, respondedAt: event.data.occurredAt, status: s.status === 'new' ? 'in_progress' : s.status };
    case 'IncidentAssigned':
      return {
        ...s,
        assignment: { groupId: event.data.groupId, supplierId: event.data.supplierId, since: event.data.occurredAt },
        status: s.status === 'new' ? 'in_progress' : s.status,
      };
    case 'IncidentPriorityChanged':
      return { ...s, priority: event.data.to };
    case 'IncidentPutOnHold':
      return { ...s, hold: { reason: event.data.reason, since: event.data.occurredAt }, status: 'on_hold' };
    case 'IncidentResumed':
      return { ...s, hold: undefined, status: 'in_progress' };
    case 'OutageRecorded':
      return {
        ...s,
        outageMinutes: s.outageMinutes + event.data.minutes,
        outages: [...s.outages, { serviceId: event.data.serviceId, from: event.data.from, to: event.data.to }],
      };
    case 'IncidentResolved': {
      const { resolutionCode, rootCause, resolvedByGroupId, firstLineFix } = event.data;
      return { ...s, status: 'resolved', hold: undefined, resolvedAt: event.data.occurredAt, resolution: { resolutionCode, rootCause, resolvedByGroupId, firstLineFix } };
    }
    case 'IncidentReopened':
      return { ...s, status: 'in_progress', resolvedAt: undefined, resolution: undefined, closedAt: undefined, reopenCount: s.reopenCount + 1 };
    case 'IncidentClosed':
      return { ...s, status: 'closed', closedAt: event.data.occurredAt };
    case 'MajorIncidentDeclared':
      return { ...s, majorIncident: { reference: event.data.reference, tenantsAffected: event.data.tenantsAffected } };
    case 'FeedbackRecorded':
      return { ...s, feedbackRecorded: true };
    case 'ComplaintRecorded':
      return { ...s, complaints: s.complaints + 1 };
  }
}
