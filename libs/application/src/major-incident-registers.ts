import {
  EVENT_SCHEMA_VERSION,
  decideMajorIncidentReservation,
  evolveMajorIncidentRegister,
  evolveTicket,
  hasDeclaredMajorIncident,
  initialMajorIncidentRegisterState,
  initialTicketState,
  isTicketAddress,
  majorIncidentReferenceHolder,
  majorIncidentRegisterStream,
  ticketStream,
  toDomainEvent,
  type MajorIncidentRegisterEvent,
  type ReserveMajorIncidentReference,
  type TicketEvent,
} from '@itsm/domain';
import {
  deterministicUuid,
  eventHash,
  GENESIS_HASH,
  readWhole,
  storedHash,
  WrongExpectedVersionError,
  type CommandMetadata,
  type EventStore,
  type EventToAppend,
  type JsonObject,
  type RecordedEvent,
} from '@itsm/event-store';

/** The server's clock: reservation leases run on it. */
export interface RegisterClock {
  now(): Date;
}

/** A reference a ticket's declaration asks for. */
export type MajorIncidentClaim = Omit<ReserveMajorIncidentReference, 'type'>;

export interface ClaimOptions {
  /** The declaration's metadata: the register's events carry it, with the register's tenant as theirs. */
  metadata: CommandMetadata;
  /** Whether the caller may see a tenant (its token): a holding ticket is named only then. */
  mayActFor: (tenantId: string) => boolean;
}

const MAX_ATTEMPTS = 100;

/**
 * The tenants' major incident registers (`major-incidents-<tenantId>`), written before a ticket
 * records MajorIncidentDeclared: the event store appends one stream at a time, so the reference is
 * first reserved in the register of every tenant the declaration affects, each with that register's
 * expected revision (retried on a concurrent write), and only then declared on the ticket. The rule
 * itself is the pure decideMajorIncidentReservation; this loads what it needs and appends.
 */
export class MajorIncidentRegisters {
  constructor(
    private readonly store: EventStore,
    private readonly clock: RegisterClock,
  ) {}

  /**
   * Reserves the reference for the ticket in each tenant's register. First every register is asked
   * without writing, so a reference taken anywhere is refused (409) with nothing written; then each
   * is reserved, in tenant order. Should one refuse only now (a concurrent declaration won it in
   * between), the reservations already made hold nothing for long: unused, they lapse with their
   * lease, and this ticket's retry reuses them.
   */
  async claim(tenantIds: readonly string[], claim: MajorIncidentClaim, options: ClaimOptions): Promise<void> {
    const registers = [...new Set(tenantIds)].sort();
    for (const tenantId of registers) await this.decide(tenantId, claim, options);
    for (const tenantId of registers) await this.reserve(tenantId, claim, options);
  }

  private async reserve(tenantId: string, claim: MajorIncidentClaim, options: ClaimOptions): Promise<void> {
    const streamId = majorIncidentRegisterStream(tenantId);
    for (let attempt = 1; ; attempt++) {
      const { history, decided } = await this.decide(tenantId, claim, options);
      if (decided.length === 0) return;
      const last = history[history.length - 1];
      const events = registerEvents(streamId, last, decided, { ...options.metadata, tenantId }, this.clock.now().toISOString());
      try {
        await this.store.append(streamId, events, { expectedRevision: last ? last.revision : 'no_stream' });
        return;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= MAX_ATTEMPTS) throw error;
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, attempt * 2)));
      }
    }
  }

  /** The register as it stands, and what its rule makes of the claim (throws its refusal). */
  private async decide(
    tenantId: string,
    claim: MajorIncidentClaim,
    options: ClaimOptions,
  ): Promise<{ history: RecordedEvent[]; decided: MajorIncidentRegisterEvent[] }> {
    const history = await readWhole(this.store, majorIncidentRegisterStream(tenantId));
    const state = history.map(toRegisterEvent).reduce(evolveMajorIncidentRegister, initialMajorIncidentRegisterState());
    const held = majorIncidentReferenceHolder(state, claim.reference);
    const another = held && (held.ticketTenantId !== claim.ticketTenantId || held.ticketId !== claim.ticketId);
    const decided = decideMajorIncidentReservation({ type: 'ReserveMajorIncidentReference', ...claim }, state, {
      registerTenantId: tenantId,
      now: this.clock.now().toISOString(),
      ...(another
        ? {
            holderDeclared: await this.declared(held.ticketTenantId, held.ticketId, claim.reference, tenantId),
            mayNameHolder: options.mayActFor(held.ticketTenantId),
          }
        : {}),
    });
    return { history, decided };
  }

  /** Whether the holding ticket's own stream shows it declared the reference for this register's tenant. */
  private async declared(ticketTenantId: string, ticketId: string, reference: string, registerTenantId: string): Promise<boolean> {
    if (!isTicketAddress(ticketTenantId, ticketId)) return false;
    const events = await readWhole(this.store, ticketStream(ticketTenantId, ticketId));
    const ticket = events.map((e) => toDomainEvent<TicketEvent>(e)).reduce(evolveTicket, initialTicketState());
    return hasDeclaredMajorIncident(ticket, reference, registerTenantId);
  }
}

const toRegisterEvent = (e: RecordedEvent) => toDomainEvent<MajorIncidentRegisterEvent>(e);

/**
 * The register's events, chained to its last event's hash as every command's are. Their ids derive
 * from the command id and the revision they are written at: one declaration may write to a register
 * more than once (a renewal, a takeover after losing its reservation), and a store-level retry of
 * the same append writes nothing twice.
 */
function registerEvents(
  streamId: string,
  last: RecordedEvent | undefined,
  decided: MajorIncidentRegisterEvent[],
  metadata: CommandMetadata,
  recordedAt: string,
): EventToAppend[] {
  let hash = last ? (storedHash(last.metadata) ?? GENESIS_HASH) : GENESIS_HASH;
  let revision = last ? last.revision : -1n;
  return decided.map((e) => {
    revision += 1n;
    const id = deterministicUuid(`${streamId}/${metadata.commandId}/@${revision}`);
    const data = e.data as unknown as JsonObject;
    const meta: JsonObject = { ...metadata, recordedAt, schemaVersion: EVENT_SCHEMA_VERSION };
    hash = eventHash(hash, { streamId, revision, id, type: e.type, data, metadata: meta });
    return { id, type: e.type, data, metadata: { ...meta, hash } };
  });
}
