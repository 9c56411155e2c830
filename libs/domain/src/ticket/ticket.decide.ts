import { DEFAULT_PRIORITY_MATRIX, assertPriority, priorityFromMatrix, type Priority } from '../catalogue/priority';
import { CATALOGUE_ID } from '../catalogue/validate-catalogue';
import { historyStartOf } from '../catalogue/catalogue.types';
import type { Decider } from '../shared/decider';
import { conflict, invalid, notFound } from '../shared/domain-error';
import { parseInstant, toIso } from '../shared/instant';
import type { TicketCommand } from './ticket.commands';
import { FUTURE_TOLERANCE_MS, type TicketContext } from './ticket-context';
import { CHANNELS, HOLD_REASONS, MAJOR_INCIDENT_TRIGGERS, TICKET_KINDS, type TicketEvent } from './ticket.events';
import { evolveTicket, initialTicketState, type RaisedTicket, type TicketState } from './ticket.state';
import { reconcileSla } from '../sla/sla-reconcile';
import { MAJOR_INCIDENT_REFERENCE } from './major-incident-register';
import { asItStoodAt, assertFitsLaterFacts, correctionOf } from './ticket-correction';
import { endOutage, recordOutage } from './ticket-outages';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The ticket's rules: given its state and what the handler looked up, a command becomes facts or
 * a DomainError. Pure: time comes in as data (occurredAt, context.now), nothing is read or written.
 * After the operator's fact come the SLA facts it calls for (warnings, breaches, retractions),
 * so the log never shows a ticket whose recorded SLA facts contradict its other facts.
 */
export function decideTicket(command: TicketCommand, state: TicketState, ctx: TicketContext): TicketEvent[] {
  const now = parseInstant(ctx.now, 'now');
  const facts = command.type === 'ReconcileSla' ? [] : decideFact(command, state, ctx, now);
  if (command.type === 'ReconcileSla' && !state.raised) throw notFound('TICKET.NOT_FOUND', 'Ticket not found');
  const after = facts.reduce(evolveTicket, state);
  if (!after.raised || !ctx.slaPolicy || after.slaPolicyVersion !== ctx.slaPolicy.version) return facts;
  return [...facts, ...reconcileSla(after, ctx.slaPolicy, now)];
}

/** The ticket aggregate as one Decider: decideTicket, evolveTicket and initialTicketState. */
export const ticketDecider: Decider<TicketCommand, TicketEvent, TicketState, TicketContext> = {
  decide: decideTicket,
  evolve: evolveTicket,
  initialState: initialTicketState,
};

function decideFact(command: Exclude<TicketCommand, { type: 'ReconcileSla' }>, state: TicketState, ctx: TicketContext, now: number): TicketEvent[] {
  const at = parseInstant(command.occurredAt, 'occurredAt');
  if (at > now + FUTURE_TOLERANCE_MS) {
    throw invalid('TICKET.OCCURRED_IN_FUTURE', 'occurredAt must not be in the future', 'occurredAt');
  }
  const historyStart = historyStartOf(ctx.tenant);
  if (at < Date.parse(historyStart)) {
    throw invalid('TICKET.BEFORE_HISTORY_START', `occurredAt must not be before the tenant's history starts (${historyStart})`, 'occurredAt');
  }
  const occurredAt = toIso(at);
  const correction = correctionOf(command);

  if (command.type === 'RaiseTicket') {
    if (state.raised) throw conflict('TICKET.ALREADY_RAISED', `Ticket ${command.ticketId} already exists`);
    return [raise(command, ctx, occurredAt)];
  }
  if (!state.raised) throw notFound('TICKET.NOT_FOUND', 'Ticket not found');
  if (at < Date.parse(state.raisedAt)) {
    throw invalid('TICKET.BEFORE_RAISED', `occurredAt must not be before the ticket was raised (${state.raisedAt})`, 'occurredAt');
  }
  // An automatic close is dated by its rule (resolution + autoCloseDays), whenever the timer gets to it.
  const late = at < Date.parse(state.lastOccurredAt);
  if (late && !correction && !(command.type === 'CloseTicket' && command.automatic === true)) {
    throw invalid(
      'TICKET.OUT_OF_ORDER',
      `occurredAt must not be before the ticket's latest fact (${state.lastOccurredAt}), unless correction.reason says why a missed step is recorded late`,
      'occurredAt',
    );
  }
  // Feedback, complaints and the end of an outage speak about a ticket; they do not change its work, so closure does not stop them.
  const aboutTheTicket = command.type === 'RecordFeedback' || command.type === 'RecordComplaint' || command.type === 'EndOutage';
  if (state.status === 'closed' && command.type !== 'ReopenTicket' && !aboutTheTicket) {
    throw conflict('TICKET.CLOSED', 'The ticket is closed; only a reopen inside the reopen window is allowed');
  }
  if (!late) return withCorrection(decideOn(command, state, ctx, now, at, occurredAt), correction);
  // Recorded late: judged as the ticket stood then, and it must fit what is recorded after it.
  assertFitsLaterFacts(command, state, at);
  return withCorrection(decideOn(command, asItStoodAt(state, at), ctx, now, at, occurredAt), correction);
}

/** The operator's fact carries the correction that let it be dated late (its reason, in history and /sla). */
function withCorrection(facts: TicketEvent[], correction: { reason: string } | undefined): TicketEvent[] {
  return correction ? facts.map((e) => ({ ...e, data: { ...e.data, correction } }) as TicketEvent) : facts;
}

/** The rules of each command, on the ticket as it stood at occurredAt (now, unless recorded late). */
function decideOn(
  command: Exclude<TicketCommand, { type: 'ReconcileSla' | 'RaiseTicket' }>,
  state: RaisedTicket,
  ctx: TicketContext,
  now: number,
  at: number,
  occurredAt: string,
): TicketEvent[] {
  switch (command.type) {
    case 'RespondToTicket':
      notResolved(state);
      if (state.respondedAt) throw conflict('TICKET.ALREADY_RESPONDED', `The ticket was already responded to at ${state.respondedAt}`);
      requireText(command.respondedBy, 'respondedBy', 200);
      return [{ type: 'IncidentResponded', data: { respondedBy: command.respondedBy, occurredAt } }];

    case 'AssignTicket': {
      notResolved(state);
      requireGroupForTenant(ctx, command.groupId, state.tenantId, 'groupId');
      if (command.supplierId !== undefined && !ctx.supplier) {
        throw invalid('TICKET.UNKNOWN_SUPPLIER', `supplierId ${command.supplierId} is not a registered supplier`, 'supplierId');
      }
      const a = state.assignment;
      if (a && a.groupId === command.groupId && a.supplierId === command.supplierId) {
        throw conflict('TICKET.ALREADY_ASSIGNED', 'The ticket is already assigned there');
      }
      const data =
        command.supplierId === undefined ? { groupId: command.groupId, occurredAt } : { groupId: command.groupId, supplierId: command.supplierId, occurredAt };
      return [{ type: 'IncidentAssigned', data }];
    }

    case 'ChangeTicketPriority':
      notResolved(state);
      assertPriority(command.priority);
      requireText(command.reason, 'reason', 2000);
      if (command.priority === state.priority) throw conflict('TICKET.PRIORITY_UNCHANGED', `The ticket is already ${state.priority}`, 'priority');
      return [{ type: 'IncidentPriorityChanged', data: { from: state.priority, to: command.priority, reason: command.reason, occurredAt } }];

    case 'PutTicketOnHold':
      notResolved(state);
      if (!HOLD_REASONS.includes(command.reason)) {
        throw invalid('TICKET.INVALID_HOLD_REASON', `reason must be one of ${HOLD_REASONS.join(', ')}`, 'reason');
      }
      if (state.hold) throw conflict('TICKET.ALREADY_ON_HOLD', `The ticket is already on hold (${state.hold.reason})`);
      return [
        { type: 'IncidentPutOnHold', data: command.note ? { reason: command.reason, note: command.note, occurredAt } : { reason: command.reason, occurredAt } },
      ];

    case 'ResumeTicket':
      notResolved(state);
      if (!state.hold) throw conflict('TICKET.NOT_ON_HOLD', 'The ticket is not on hold');
      return [{ type: 'IncidentResumed', data: { reason: state.hold.reason, occurredAt } }];

    case 'RecordOutage':
      return [recordOutage(command, state, ctx, now, occurredAt)];

    case 'EndOutage':
      return [endOutage(command, state, now, occurredAt)];

    case 'ResolveTicket': {
      notResolved(state);
      requireText(command.resolutionCode, 'resolutionCode', 100);
      requireText(command.rootCause, 'rootCause', 2000);
      // Default: the group holding the ticket then (the handler looks it up as ctx.group).
      const resolvedByGroupId = command.resolvedByGroupId ?? state.assignment?.groupId;
      if (resolvedByGroupId === undefined) {
        throw invalid('TICKET.RESOLVED_BY_GROUP_REQUIRED', 'resolvedByGroupId is required: the ticket has no assignment to take it from', 'resolvedByGroupId');
      }
      requireGroupForTenant(ctx, resolvedByGroupId, state.tenantId, 'resolvedByGroupId');
      if (typeof command.firstLineFix !== 'boolean') throw invalid('TICKET.INVALID_FIRST_LINE_FIX', 'firstLineFix must be true or false', 'firstLineFix');
      return [
        {
          type: 'IncidentResolved',
          data: {
            resolutionCode: command.resolutionCode,
            rootCause: command.rootCause,
            ...(command.resolution ? { resolution: command.resolution } : {}),
            resolvedByGroupId,
            firstLineFix: command.firstLineFix,
            occurredAt,
          },
        },
      ];
    }

    case 'ReopenTicket': {
      requireText(command.reason, 'reason', 2000);
      if (state.status === 'closed') {
        const windowDays = tenantOf(ctx).reopenWindowDays;
        if (at > Date.parse(state.closedAt!) + windowDays * DAY_MS) {
          throw conflict('TICKET.REOPEN_WINDOW_PASSED', `A closed ticket can be reopened for ${windowDays} days after it closed`);
        }
      } else if (state.status !== 'resolved') {
        throw conflict('TICKET.NOT_RESOLVED', 'Only a resolved or closed ticket can be reopened');
      }
      return [{ type: 'IncidentReopened', data: { reason: command.reason, occurredAt } }];
    }

    case 'CloseTicket': {
      if (state.status !== 'resolved') throw conflict('TICKET.NOT_RESOLVED', 'Only a resolved ticket can be closed');
      if (command.automatic) {
        const due = Date.parse(state.resolvedAt!) + tenantOf(ctx).autoCloseDays * DAY_MS;
        if (at !== due) throw invalid('TICKET.AUTO_CLOSE_NOT_DUE', `An automatic close happens at ${toIso(due)}`, 'occurredAt');
      }
      return [{ type: 'IncidentClosed', data: { automatic: command.automatic === true, occurredAt } }];
    }

    case 'DeclareMajorIncident':
      notResolved(state);
      if (state.majorIncident) throw conflict('TICKET.ALREADY_MAJOR_INCIDENT', `Already declared as ${state.majorIncident.reference}`);
      if (!MAJOR_INCIDENT_REFERENCE.test(command.reference ?? '')) {
        throw invalid('TICKET.INVALID_MAJOR_INCIDENT_REFERENCE', 'reference must look like MIR101 or MIR-101', 'reference');
      }
      if (!MAJOR_INCIDENT_TRIGGERS.includes(command.trigger)) {
        throw invalid('TICKET.INVALID_MAJOR_INCIDENT_TRIGGER', `trigger must be one of ${MAJOR_INCIDENT_TRIGGERS.join(', ')}`, 'trigger');
      }
      majorIncidentTenants(command.tenantsAffected, state, ctx, command.trigger);
      return [
        {
          type: 'MajorIncidentDeclared',
          data: {
            reference: command.reference,
            tenantsAffected: [...new Set(command.tenantsAffected)],
            trigger: command.trigger,
            ...(command.description ? { description: command.description } : {}),
            occurredAt,
          },
        },
      ];

    case 'RecordFeedback': {
      if (state.status !== 'resolved' && state.status !== 'closed') {
        throw conflict('TICKET.NOT_RESOLVED', 'Feedback is recorded once the ticket is resolved');
      }
      if (state.feedbackRecorded) throw conflict('TICKET.FEEDBACK_ALREADY_RECORDED', 'Feedback was already recorded for this ticket');
      const { satisfaction, nps, comment } = command;
      if (satisfaction === undefined && nps === undefined) {
        throw invalid('TICKET.FEEDBACK_EMPTY', 'satisfaction or nps (or both) must be given', 'satisfaction');
      }
      if (satisfaction !== undefined && !(Number.isInteger(satisfaction) && satisfaction >= 1 && satisfaction <= 5)) {
        throw invalid('TICKET.INVALID_SATISFACTION', 'satisfaction must be a whole number from 1 to 5', 'satisfaction');
      }
      if (nps !== undefined && !(Number.isInteger(nps) && nps >= 0 && nps <= 10)) {
        throw invalid('TICKET.INVALID_NPS', 'nps must be a whole number from 0 to 10', 'nps');
      }
      return [
        {
          type: 'FeedbackRecorded',
          data: {
            ...(satisfaction !== undefined ? { satisfaction } : {}),
            ...(nps !== undefined ? { nps } : {}),
            ...(comment ? { comment } : {}),
            occurredAt,
          },
        },
      ];
    }

    case 'RecordComplaint':
      requireText(command.description, 'description', 10_000);
      return [{ type: 'ComplaintRecorded', data: { description: command.description, occurredAt } }];
  }
}

function raise(command: Extract<TicketCommand, { type: 'RaiseTicket' }>, ctx: TicketContext, occurredAt: string): TicketEvent {
  if (ctx.slaPolicy && Date.parse(ctx.slaPolicy.effectiveFrom) > Date.parse(occurredAt)) {
    throw new Error('decideTicket: the SLA policy in context is not in force when the ticket was raised');
  }
  if (!CATALOGUE_ID.test(command.ticketId ?? '')) throw invalid('TICKET.INVALID_ID', `ticketId must match ${CATALOGUE_ID}`, 'ticketId');
  const tenant = ctx.tenant;
  if (!tenant || tenant.tenantId !== command.tenantId) throw notFound('TENANT.NOT_FOUND', `Tenant ${command.tenantId} is not registered`);
  if (!TICKET_KINDS.includes(command.kind)) throw invalid('TICKET.INVALID_KIND', `kind must be one of ${TICKET_KINDS.join(', ')}`, 'kind');
  if (!CHANNELS.includes(command.channel)) throw invalid('TICKET.INVALID_CHANNEL', `channel must be one of ${CHANNELS.join(', ')}`, 'channel');
  requireText(command.title, 'title', 200);
  requireText(command.description, 'description', 10_000);
  requireText(command.reporter, 'reporter', 200);
  if (!ctx.service) throw invalid('TICKET.UNKNOWN_SERVICE', `serviceId ${command.serviceId} is not a registered service`, 'serviceId');
  if (!ctx.service.tenantIds.includes(command.tenantId)) {
    throw invalid('TICKET.SERVICE_NOT_FOR_TENANT', `Service ${command.serviceId} does not serve tenant ${command.tenantId}`, 'serviceId');
  }
  const priority = priorityOf(command, tenant.priorityMatrix ?? DEFAULT_PRIORITY_MATRIX);
  return {
    type: 'IncidentRaised',
    data: {
      ticketId: command.ticketId,
      tenantId: command.tenantId,
      kind: command.kind,
      priority,
      ...(command.impact !== undefined ? { impact: command.impact, urgency: command.urgency } : {}),
      serviceId: command.serviceId,
      title: command.title,
      description: command.description,
      reporter: command.reporter,
      channel: command.channel,
      ...(ctx.slaPolicy ? { slaPolicyVersion: ctx.slaPolicy.version } : {}),
      occurredAt,
    },
  };
}

function priorityOf(command: { priority?: Priority; impact?: number; urgency?: number }, matrix: typeof DEFAULT_PRIORITY_MATRIX): Priority {
  const byMatrix = command.impact !== undefined || command.urgency !== undefined;
  if (command.priority !== undefined && byMatrix) {
    throw invalid('TICKET.PRIORITY_OR_MATRIX', 'give either priority, or impact and urgency, not both', 'priority');
  }
  if (command.priority !== undefined) {
    assertPriority(command.priority);
    return command.priority;
  }
  if (command.impact === undefined || command.urgency === undefined) {
    throw invalid('TICKET.PRIORITY_REQUIRED', 'priority, or impact and urgency, must be given', 'priority');
  }
  return priorityFromMatrix(matrix, command.impact, command.urgency);
}

function notResolved(state: RaisedTicket): void {
  if (state.status === 'resolved') throw conflict('TICKET.RESOLVED', 'The ticket is resolved; reopen it first');
}

function tenantOf(ctx: TicketContext) {
  if (!ctx.tenant) throw new Error('decideTicket needs the ticket tenant in its context');
  return ctx.tenant;
}

function requireGroupForTenant(ctx: TicketContext, groupId: string, tenantId: string, field: string): void {
  if (!ctx.group || ctx.group.groupId !== groupId) throw invalid('TICKET.UNKNOWN_GROUP', `${field} ${groupId} is not a registered resolver group`, field);
  if (!ctx.group.tenantIds.includes(tenantId)) {
    throw invalid('TICKET.GROUP_NOT_FOR_TENANT', `Resolver group ${groupId} does not serve tenant ${tenantId}`, field);
  }
}

function majorIncidentTenants(tenants: string[], state: RaisedTicket, ctx: TicketContext, trigger: string): void {
  if (!Array.isArray(tenants) || tenants.length === 0) {
    throw invalid('TICKET.MAJOR_INCIDENT_TENANTS', 'tenantsAffected must name at least one tenant', 'tenantsAffected');
  }
  if (!tenants.includes(state.tenantId)) {
    throw invalid('TICKET.MAJOR_INCIDENT_TENANTS', `tenantsAffected must include the ticket's tenant ${state.tenantId}`, 'tenantsAffected');
  }
  // A tenant outside the caller's token is not in knownTenantIds: refused as unknown, in the same words.
  const unknown = tenants.filter((t) => !ctx.knownTenantIds?.has(t));
  if (unknown.length) throw invalid('TICKET.MAJOR_INCIDENT_TENANTS', `tenantsAffected names unknown tenants: ${unknown.join(', ')}`, 'tenantsAffected');
  if (trigger === 'multi_tenant_outage' && new Set(tenants).size < 2) {
    throw invalid('TICKET.MAJOR_INCIDENT_TENANTS', 'a multi-tenant outage affects at least two tenants', 'tenantsAffected');
  }
}

function requireText(value: unknown, field: string, max: number): void {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max) {
    throw invalid('TICKET.INVALID_TEXT', `${field} must be a non-empty text of at most ${max} characters`, field);
  }
}
