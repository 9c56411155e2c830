import { conflict, invalid } from '../shared/domain-error';
import type { DomainEvent } from '../shared/event';
import { parseInstant, toIso } from '../shared/instant';
import type { TicketState } from './ticket.state';

/**
 * A tenant's major incident register (stream `major-incidents-<tenantId>`): a register reference
 * (MIR200) names one major incident per tenant. The event store writes one stream at a time, so a
 * declaration first reserves its reference in the register of every tenant it affects, then records
 * MajorIncidentDeclared on its ticket. A reservation whose ticket never declared (the process died
 * between the two writes, or the ticket's write was refused) is not forever: it is held until
 * `heldUntil` (a short lease on the server's clock); after that, and only once the holding ticket's
 * own stream shows no declaration of the reference for this tenant, the next declaration takes it over.
 *
 * Why a lease and not only that check: a declaration in flight has reserved and not yet declared,
 * so its ticket shows nothing yet; were it taken over then, both tickets would declare. While the
 * lease runs nobody takes the reference over, and the holder renews its reservation (a new
 * reservation, written with the register's expected revision, so a concurrent takeover and a renewal
 * cannot both succeed) whenever less than MAJOR_INCIDENT_RESERVATION_RENEW_MS of it is left, before
 * declaring. The one assumption left: a declaration's write to its ticket completes within that
 * margin of its last reservation (minutes, against writes that take milliseconds).
 */

/** A register reference: MIR101 or MIR-101 (1 to 9 digits). */
export const MAJOR_INCIDENT_REFERENCE = /^MIR-?(\d{1,9})$/;
/** How long a reservation holds a reference for a declaration that has not (yet) been recorded on its ticket. */
export const MAJOR_INCIDENT_RESERVATION_LEASE_MS = 5 * 60_000;
/** A ticket renews its own reservation before declaring when less than this is left of it. */
export const MAJOR_INCIDENT_RESERVATION_RENEW_MS = 4 * 60_000;

/**
 * The register number a reference stands for: MIR200, MIR-200 and MIR0200 are one register entry
 * (`MIR200`). Events keep the reference as the operator wrote it; uniqueness compares these keys.
 */
export function majorIncidentReferenceKey(reference: string): string {
  const m = MAJOR_INCIDENT_REFERENCE.exec(reference);
  return m ? `MIR${Number(m[1])}` : reference;
}

/** A register's reference reserved for a ticket (the ticket's tenant may be another tenant: a major incident affecting several). */
export type MajorIncidentReferenceReserved = DomainEvent<
  'MajorIncidentReferenceReserved',
  {
    /** As the declaration wrote it. */
    reference: string;
    /** The holding ticket: its tenant and its id there. */
    ticketTenantId: string;
    ticketId: string;
    /** The declaration's occurredAt (business time). */
    occurredAt: string;
    /** Server time: unless the ticket has declared the reference by then, the reservation lapses. */
    heldUntil: string;
    /** The ticket whose lapsed reservation this one takes over (absent: the reference was free, or this ticket renews its own). */
    replaces?: { ticketTenantId: string; ticketId: string };
  }
>;

export type MajorIncidentRegisterEvent = MajorIncidentReferenceReserved;

export interface MajorIncidentReservation {
  reference: string;
  ticketTenantId: string;
  ticketId: string;
  heldUntil: string;
}

export interface MajorIncidentRegisterState {
  /** The latest reservation of each register entry, by majorIncidentReferenceKey. */
  reservations: Readonly<Record<string, MajorIncidentReservation>>;
}

export const initialMajorIncidentRegisterState = (): MajorIncidentRegisterState => ({ reservations: {} });

/** Folds one register fact: a later reservation of an entry replaces the earlier one. Pure and total. */
export function evolveMajorIncidentRegister(state: MajorIncidentRegisterState, event: MajorIncidentRegisterEvent): MajorIncidentRegisterState {
  if (event.type !== 'MajorIncidentReferenceReserved') return state;
  const { reference, ticketTenantId, ticketId, heldUntil } = event.data;
  return { reservations: { ...state.reservations, [majorIncidentReferenceKey(reference)]: { reference, ticketTenantId, ticketId, heldUntil } } };
}

/** Who holds a reference in the register, if anyone. */
export const majorIncidentReferenceHolder = (state: MajorIncidentRegisterState, reference: string): MajorIncidentReservation | undefined =>
  Object.prototype.hasOwnProperty.call(state.reservations, majorIncidentReferenceKey(reference))
    ? state.reservations[majorIncidentReferenceKey(reference)]
    : undefined;

/** Whether a ticket (folded from its own stream) has declared the reference as a major incident affecting the register's tenant. */
export function hasDeclaredMajorIncident(ticket: TicketState, reference: string, registerTenantId: string): boolean {
  const mi = ticket.raised ? ticket.majorIncident : undefined;
  return !!mi && majorIncidentReferenceKey(mi.reference) === majorIncidentReferenceKey(reference) && mi.tenantsAffected.includes(registerTenantId);
}

/** A declaration asks the register of each tenant it affects for its reference. */
export interface ReserveMajorIncidentReference {
  type: 'ReserveMajorIncidentReference';
  reference: string;
  ticketTenantId: string;
  ticketId: string;
  /** The declaration's occurredAt. */
  occurredAt: string;
}

/** What the register's rule needs beyond the register, looked up by the handler. */
export interface MajorIncidentRegisterContext {
  /** Whose register this is. */
  registerTenantId: string;
  /** The server's clock (ISO-8601): leases run on it. */
  now: string;
  /**
   * When another ticket holds the reference: whether that ticket's own stream shows it declared it
   * for this register's tenant (hasDeclaredMajorIncident). Needed, and only then, in that case.
   */
  holderDeclared?: boolean;
  /** Whether the caller may learn the holding ticket's id (its token covers that ticket's tenant). Default: no. */
  mayNameHolder?: boolean;
}

export const MAJOR_INCIDENT_REFERENCE_TAKEN = 'TICKET.MAJOR_INCIDENT_REFERENCE_TAKEN';

/**
 * The register's rule: is this reference free for this ticket in this tenant's register? Free: a
 * reservation. Held by the same ticket: nothing to write (its own reservation is reused), unless its
 * lease runs short, then a renewal. Held by another ticket that declared it, or whose lease still
 * runs: 409 TICKET.MAJOR_INCIDENT_REFERENCE_TAKEN (field `reference`), naming the holding ticket only
 * to a caller who may see that ticket's tenant. Held by another ticket past its lease that never
 * declared it: taken over (a reservation that `replaces` it).
 */
export function decideMajorIncidentReservation(
  command: ReserveMajorIncidentReference,
  state: MajorIncidentRegisterState,
  ctx: MajorIncidentRegisterContext,
): MajorIncidentRegisterEvent[] {
  if (!MAJOR_INCIDENT_REFERENCE.test(command.reference ?? '')) {
    throw invalid('TICKET.INVALID_MAJOR_INCIDENT_REFERENCE', 'reference must look like MIR101 or MIR-101', 'reference');
  }
  const now = parseInstant(ctx.now, 'now');
  const occurredAt = toIso(parseInstant(command.occurredAt, 'occurredAt'));
  const reserve = (replaces?: MajorIncidentReservation): MajorIncidentRegisterEvent[] => [
    {
      type: 'MajorIncidentReferenceReserved',
      data: {
        reference: command.reference,
        ticketTenantId: command.ticketTenantId,
        ticketId: command.ticketId,
        occurredAt,
        heldUntil: toIso(now + MAJOR_INCIDENT_RESERVATION_LEASE_MS),
        ...(replaces ? { replaces: { ticketTenantId: replaces.ticketTenantId, ticketId: replaces.ticketId } } : {}),
      },
    },
  ];

  const held = majorIncidentReferenceHolder(state, command.reference);
  if (!held) return reserve();
  const heldUntil = Date.parse(held.heldUntil);
  if (held.ticketTenantId === command.ticketTenantId && held.ticketId === command.ticketId) {
    return heldUntil - now >= MAJOR_INCIDENT_RESERVATION_RENEW_MS ? [] : reserve();
  }
  if (ctx.holderDeclared === undefined) {
    throw new Error('decideMajorIncidentReservation: another ticket holds the reference; the handler must say whether it declared it');
  }
  const where = `in ${ctx.registerTenantId}'s major incident register`;
  const holder = ctx.mayNameHolder ? ` (ticket ${held.ticketId}${held.ticketTenantId === command.ticketTenantId ? '' : ` of ${held.ticketTenantId}`})` : '';
  if (ctx.holderDeclared) {
    throw conflict(MAJOR_INCIDENT_REFERENCE_TAKEN, `Major incident reference ${command.reference} is already taken ${where}${holder}`, 'reference');
  }
  if (now < heldUntil) {
    throw conflict(
      MAJOR_INCIDENT_REFERENCE_TAKEN,
      `Major incident reference ${command.reference} is reserved ${where}${holder} by a declaration not yet recorded; unless it is recorded, the reference is free again from ${toIso(heldUntil)}`,
      'reference',
    );
  }
  return reserve(held);
}
