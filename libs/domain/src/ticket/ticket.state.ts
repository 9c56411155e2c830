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
  /** occurredAt of the latest fact: no later fact may be dated before it, unless it says why (a correction). */
  lastOccurredAt: string;
  respondedAt?: string;
  assignment?: { groupId: string; supplierId?: string; since: string };
  hold?: { reason: HoldReason; since: string };
  resolvedAt?: string;
  resolution?: { resolutionCode: string; rootCause: string; resolvedByGroupId: string; firstLineFix: boolean; note?: string };
  closedAt?: string;
  reopenCount: number;
  outageMinutes: number;
  /** tenantIds: the tenants each outage affected ([the ticket's tenant] for outages recorded before tenants were named). */
  outages: Array<{ serviceId: string; from: string; to: string; tenantIds: string[]; outageId?: string }>;
  /** Outages still going on (OutageStarted, not yet OutageEnded); absent when none is. */
  ongoingOutages?: Array<{ outageId: string; serviceId: string; from: string; tenantIds: string[] }>;
  majorIncident?: { reference: string; tenantsAffected: string[]; declaredAt: string; trigger: string; description?: string };
  feedbackRecorded: boolean;
  feedback?: { satisfaction?: number; nps?: number; at: string };
  complaints: number;
  complaintDates: string[];
  slaPolicyVersion?: number;
  /** What the SLA clocks are folded from, kept in business-time order (a correction is placed at its occurredAt). */
  timeline: {
    priorities: Array<{ at: string; priority: Priority }>;
    holds: Array<{ from: string; to?: string; reason: HoldReason }>;
    resolutions: Array<{ resolvedAt: string; reopenedAt?: string }>;
    assignments: Array<{ at: string; groupId: string; supplierId?: string }>;
  };
  /** Warnings and breaches recorded so far (keyed metric/cycle/priority/threshold), and escalations (keyed escalation/…). */
  sla: Array<{ key: string; kind: 'warning' | 'breach' | 'escalation'; at: string; retracted: boolean }>;
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
      complaintDates: [],
      ...(d.slaPolicyVersion !== undefined ? { slaPolicyVersion: d.slaPolicyVersion } : {}),
      timeline: { priorities: [{ at: d.occurredAt, priority: d.priority }], holds: [], resolutions: [], assignments: [] },
      sla: [],
    };
  }
  if (!state.raised) return state;
  // Time-driven SLA facts are dated at their deadline, which may precede operator facts recorded
  // since: they neither move lastOccurredAt nor change the ticket's life.
  if (event.type === 'SlaWarningRaised' || event.type === 'SlaBreached') {
    const kind = event.type === 'SlaBreached' ? 'breach' : 'warning';
    return { ...state, sla: [...state.sla, { key: event.data.key, kind, at: event.data.occurredAt, retracted: false }] };
  }
  if (event.type === 'EscalationTriggered') {
    return { ...state, sla: [...state.sla, { key: event.data.key, kind: 'escalation', at: event.data.occurredAt, retracted: false }] };
  }
  if (event.type === 'SlaEventRetracted') {
    const { key, retractedOccurredAt } = event.data;
    return { ...state, sla: state.sla.map((r) => (r.key === key && r.at === retractedOccurredAt ? { ...r, retracted: true } : r)) };
  }
  // A correction is dated before facts recorded earlier: the latest fact stays the latest, and the
  // timeline takes the fact at its place in business time (ticket.decide.ts says which may be).
  const s: RaisedTicket = {
    ...state,
    lastOccurredAt: Date.parse(event.data.occurredAt) < Date.parse(state.lastOccurredAt) ? state.lastOccurredAt : event.data.occurredAt,
  };
  const tl = s.timeline;
  const at = event.data.occurredAt;
  switch (event.type) {
    case 'IncidentResponded':
      return { ...s, respondedAt: event.data.occurredAt, status: s.status === 'new' ? 'in_progress' : s.status };
    case 'IncidentAssigned': {
      const assigned = { at, groupId: event.data.groupId, ...(event.data.supplierId ? { supplierId: event.data.supplierId } : {}) };
      const assignments = inTimeOrder(tl.assignments, assigned);
      const current = assignments.at(-1) ?? assigned; // never empty: it holds this assignment
      return {
        ...s,
        assignment: { groupId: current.groupId, supplierId: current.supplierId, since: current.at },
        status: s.status === 'new' ? 'in_progress' : s.status,
        timeline: { ...tl, assignments },
      };
    }
    case 'IncidentPriorityChanged': {
      const changed = { at, priority: event.data.to };
      const priorities = inTimeOrder(tl.priorities, changed);
      const latest = priorities.at(-1) ?? changed; // never empty: it holds this change
      return { ...s, priority: latest.priority, timeline: { ...tl, priorities } };
    }
    case 'IncidentPutOnHold': {
      // A hold recorded late, before a resolution recorded earlier, ended at that resolution.
      const resolvedSince = tl.resolutions.find((r) => Date.parse(r.resolvedAt) > Date.parse(at));
      if (resolvedSince)
        return { ...s, timeline: { ...tl, holds: inTimeOrder(tl.holds, { from: at, to: resolvedSince.resolvedAt, reason: event.data.reason }) } };
      return {
        ...s,
        hold: { reason: event.data.reason, since: at },
        status: 'on_hold',
        timeline: { ...tl, holds: inTimeOrder(tl.holds, { from: at, reason: event.data.reason }) },
      };
    }
    case 'IncidentResumed': {
      // Ends the hold in force at `at`: the open one, or (recorded late) one a resolution ended later.
      const i = tl.holds.findIndex((h) => Date.parse(h.from) <= Date.parse(at) && (h.to === undefined || Date.parse(h.to) > Date.parse(at)));
      const inForce = tl.holds[i]; // undefined when no hold was in force
      if (!inForce || inForce.to === undefined) return { ...s, hold: undefined, status: 'in_progress', timeline: { ...tl, holds: endHold(tl.holds, at) } };
      return { ...s, timeline: { ...tl, holds: tl.holds.map((h, j) => (j === i ? { ...h, to: at } : h)) } };
    }
    case 'OutageRecorded':
      return {
        ...s,
        outageMinutes: s.outageMinutes + event.data.minutes,
        outages: [...s.outages, { serviceId: event.data.serviceId, from: event.data.from, to: event.data.to, tenantIds: event.data.tenantIds ?? [s.tenantId] }],
      };
    case 'OutageStarted': {
      const { outageId, serviceId, from, tenantIds } = event.data;
      return { ...s, ongoingOutages: [...(s.ongoingOutages ?? []), { outageId, serviceId, from, tenantIds }] };
    }
    case 'OutageEnded': {
      const { outageId, serviceId, from, to, tenantIds, minutes } = event.data;
      const ongoing = (s.ongoingOutages ?? []).filter((o) => o.outageId !== outageId);
      return {
        ...s,
        outageMinutes: s.outageMinutes + minutes,
        outages: [...s.outages, { serviceId, from, to, tenantIds, outageId }],
        ongoingOutages: ongoing.length ? ongoing : undefined,
      };
    }
    case 'IncidentResolved': {
      const { resolutionCode, rootCause, resolvedByGroupId, firstLineFix, resolution: note } = event.data;
      return {
        ...s,
        status: 'resolved',
        hold: undefined,
        resolvedAt: at,
        resolution: { resolutionCode, rootCause, resolvedByGroupId, firstLineFix, ...(note ? { note } : {}) },
        timeline: { ...tl, holds: endHold(tl.holds, at), resolutions: [...tl.resolutions, { resolvedAt: at }] },
      };
    }
    case 'IncidentReopened': {
      const resolutions = tl.resolutions.map((r, i) => (i === tl.resolutions.length - 1 ? { ...r, reopenedAt: at } : r));
      return {
        ...s,
        status: 'in_progress',
        resolvedAt: undefined,
        resolution: undefined,
        closedAt: undefined,
        reopenCount: s.reopenCount + 1,
        timeline: { ...tl, resolutions },
      };
    }
    case 'IncidentClosed':
      return { ...s, status: 'closed', closedAt: event.data.occurredAt };
    case 'MajorIncidentDeclared':
      return {
        ...s,
        majorIncident: {
          reference: event.data.reference,
          tenantsAffected: event.data.tenantsAffected,
          declaredAt: at,
          trigger: event.data.trigger,
          ...(event.data.description ? { description: event.data.description } : {}),
        },
      };
    case 'FeedbackRecorded': {
      const { satisfaction, nps } = event.data;
      return { ...s, feedbackRecorded: true, feedback: { ...(satisfaction !== undefined ? { satisfaction } : {}), ...(nps !== undefined ? { nps } : {}), at } };
    }
    case 'ComplaintRecorded':
      return { ...s, complaints: s.complaints + 1, complaintDates: [...s.complaintDates, at] };
  }
}

/** The list with the entry at its place in business time: after every entry dated at or before it. */
function inTimeOrder<T extends { at: string } | { from: string }>(list: T[], entry: T): T[] {
  const time = (x: T) => Date.parse('at' in x ? x.at : x.from);
  const i = list.findIndex((x) => time(x) > time(entry));
  return i < 0 ? [...list, entry] : [...list.slice(0, i), entry, ...list.slice(i)];
}

/** A hold ends at a resume, or at a resolution (which ends any hold). */
function endHold(holds: RaisedTicket['timeline']['holds'], at: string): RaisedTicket['timeline']['holds'] {
  const last = holds[holds.length - 1];
  return last && last.to === undefined ? [...holds.slice(0, -1), { ...last, to: at }] : holds;
}
