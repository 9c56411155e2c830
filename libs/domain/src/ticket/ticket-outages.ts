import { conflict, DomainError, invalid } from '../shared/domain-error';
import { parseInstant, toIso } from '../shared/instant';
import type { EndOutage, RecordOutage } from './ticket.commands';
import { FUTURE_TOLERANCE_MS, type TicketContext } from './ticket-context';
import type { TicketEvent } from './ticket.events';
import type { RaisedTicket } from './ticket.state';

/**
 * An outage of a service, recorded on a ticket against the tenants it affected: whole (from and to:
 * OutageRecorded), or still going on (from only: OutageStarted, with an outageId) and ended later
 * (OutageEnded). Outages of one service for one tenant never overlap, an ongoing one reaching
 * forever until it ends, so no minute is counted twice.
 */
export function recordOutage(command: RecordOutage, state: RaisedTicket, ctx: TicketContext, now: number, occurredAt: string): TicketEvent {
  const serviceId = command.serviceId ?? state.serviceId;
  if (command.serviceId !== undefined && command.serviceId !== state.serviceId) {
    if (!ctx.service) throw invalid('TICKET.UNKNOWN_SERVICE', `serviceId ${command.serviceId} is not a registered service`, 'serviceId');
    if (!ctx.service.tenantIds.includes(state.tenantId)) {
      throw invalid('TICKET.SERVICE_NOT_FOR_TENANT', `Service ${serviceId} does not serve tenant ${state.tenantId}`, 'serviceId');
    }
  }
  const from = parseInstant(command.from, 'from');
  const ongoing = command.to === undefined || command.to === null;
  const to = ongoing ? Infinity : parseInstant(command.to!, 'to');
  if (ongoing && from > now + FUTURE_TOLERANCE_MS) throw invalid('TICKET.OCCURRED_IN_FUTURE', 'from must not be in the future', 'from');
  if (!(from < to)) throw invalid('TICKET.INVALID_OUTAGE', 'from must be before to', 'to');
  if (to !== Infinity && to > now + FUTURE_TOLERANCE_MS) throw invalid('TICKET.OCCURRED_IN_FUTURE', 'to must not be in the future', 'to');
  const tenantIds = outageTenants(command.tenantIds, serviceId, state, ctx);
  // Counted twice only where the same service was out for the same tenant: other tenants' outages may overlap.
  const overlapping = outagesOf(state).find((o) => o.serviceId === serviceId && from < o.to && o.from < to && o.tenantIds.some((t) => tenantIds.includes(t)));
  if (overlapping) {
    const until = overlapping.to === Infinity ? 'still going on' : `to ${toIso(overlapping.to)}`;
    throw conflict('TICKET.OUTAGE_OVERLAPS', `The outage overlaps one already recorded (${toIso(overlapping.from)} ${until})`);
  }
  if (ongoing) {
    return { type: 'OutageStarted', data: { outageId: nextOutageId(state), serviceId, from: toIso(from), tenantIds, occurredAt } };
  }
  const minutes = Math.round((to - from) / 60_000);
  return { type: 'OutageRecorded', data: { serviceId, from: toIso(from), to: toIso(to), minutes, tenantIds, occurredAt } };
}

/** Ends an ongoing outage at `to`: after it began, not in the future. */
export function endOutage(command: EndOutage, state: RaisedTicket, now: number, occurredAt: string): TicketEvent {
  const outage = state.ongoingOutages?.find((o) => o.outageId === command.outageId);
  if (!outage) {
    if (state.outages.some((o) => o.outageId !== undefined && o.outageId === command.outageId)) {
      throw conflict('TICKET.OUTAGE_ALREADY_ENDED', `Outage ${command.outageId} has already ended`, 'outageId');
    }
    throw new DomainError('TICKET.OUTAGE_NOT_FOUND', `The ticket has no ongoing outage ${command.outageId}`, 'not_found', 'outageId');
  }
  const from = Date.parse(outage.from);
  const to = parseInstant(command.to, 'to');
  if (!(from < to)) throw invalid('TICKET.INVALID_OUTAGE', `to must be after the outage began (${outage.from})`, 'to');
  if (to > now + FUTURE_TOLERANCE_MS) throw invalid('TICKET.OCCURRED_IN_FUTURE', 'to must not be in the future', 'to');
  const minutes = Math.round((to - from) / 60_000);
  return {
    type: 'OutageEnded',
    data: { outageId: outage.outageId, serviceId: outage.serviceId, from: outage.from, to: toIso(to), minutes, tenantIds: outage.tenantIds, occurredAt },
  };
}

/** An outage's id: its number among the outages recorded on the ticket (whole or ongoing), from 1. */
const nextOutageId = (state: RaisedTicket) => String(state.outages.length + (state.ongoingOutages?.length ?? 0) + 1);

/** Every outage of the ticket as an interval; an ongoing one reaches forever. */
function outagesOf(state: RaisedTicket): Array<{ serviceId: string; from: number; to: number; tenantIds: string[] }> {
  return [
    ...state.outages.map((o) => ({ serviceId: o.serviceId, from: Date.parse(o.from), to: Date.parse(o.to), tenantIds: o.tenantIds ?? [state.tenantId] })),
    ...(state.ongoingOutages ?? []).map((o) => ({ serviceId: o.serviceId, from: Date.parse(o.from), to: Infinity, tenantIds: o.tenantIds })),
  ];
}

/**
 * The tenants an outage affected: by default the ticket's own; when named, each at most once and
 * each served by the outage's service. A tenant the caller may not act for (not in knownTenantIds)
 * is refused in the very words of a tenant the service does not serve or that does not exist.
 */
function outageTenants(named: unknown, serviceId: string, state: RaisedTicket, ctx: TicketContext): string[] {
  if (named === undefined) return [state.tenantId];
  if (!Array.isArray(named) || named.length === 0 || !named.every((t): t is string => typeof t === 'string')) {
    throw invalid('TICKET.OUTAGE_TENANTS', 'tenantIds must name at least one tenant', 'tenantIds');
  }
  const twice = [...new Set(named.filter((t, i) => named.indexOf(t) !== i))];
  if (twice.length) throw invalid('TICKET.OUTAGE_TENANTS', `tenantIds must name each tenant once: ${twice.join(', ')} named more than once`, 'tenantIds');
  const service = ctx.service?.serviceId === serviceId ? ctx.service : undefined;
  if (!service) throw invalid('TICKET.UNKNOWN_SERVICE', `serviceId ${serviceId} is not a registered service`, 'serviceId');
  const refused = named.filter((t) => !service.tenantIds.includes(t) || !ctx.knownTenantIds?.has(t));
  if (refused.length) {
    throw invalid(
      'TICKET.OUTAGE_TENANT_NOT_SERVED',
      `tenantIds must name tenants that service ${serviceId} serves, within your token: ${refused.join(', ')} ${refused.length === 1 ? 'is' : 'are'} not`,
      'tenantIds',
    );
  }
  return named;
}
