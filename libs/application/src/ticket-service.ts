import {
  EVENT_SCHEMA_VERSION,
  TICKET_ID,
  assignmentAt,
  decideTicket,
  evolveTicket,
  initialTicketState,
  invalid,
  isTicketAddress,
  notFound,
  ticketStream,
  toDomainEvent,
  versionInForce,
  type SlaPolicyState,
  type RaisedTicket,
  type RecordedFact,
  type ResolverGroup,
  type Service,
  type SlaPolicyVersion,
  type Supplier,
  type Tenant,
  type TicketCommand,
  type TicketContext,
  type TicketEvent,
  type TicketState,
} from '@itsm/domain';
import {
  EventIdConflictError,
  handleCommand,
  IdempotencyKeyReusedError,
  readWhole,
  recordedAtOf,
  StaleRevisionError,
  type CommandMetadata,
  type CommandResult,
  type EventStore,
  type LogPosition,
  type RecordedEvent,
} from '@itsm/event-store';
import { CatalogueView } from './catalogue-view';
import { metadataText } from './event-metadata';
import { MajorIncidentRegisters } from './major-incident-registers';
import { explainSla, type SlaExplanation } from './sla-explanation';

export interface Clock {
  now(): Date;
}

/** Who is asking, for the events' metadata, and the revision they saw (If-Match). */
export interface TicketCommandRequest {
  metadata: CommandMetadata;
  ifMatch?: bigint;
  /**
   * The tenants the caller may act for (its token). A tenant the command names outside them is
   * answered as one that does not exist. Absent: every tenant (the system's own callers: SLA timer,
   * importers, demo).
   */
  mayActFor?: (tenantId: string) => boolean;
}

const everyTenant = () => true;

/** A ticket command whose occurredAt may be left out: it then means "now", read at each attempt. */
export type TicketCommandInput = OptionalTime<TicketCommand>;
type OptionalTime<C> = C extends unknown ? Omit<C, 'occurredAt'> & { occurredAt?: string } : never;

/** A ticket stream's recorded event as the ticket's domain event (upcast from the version it was recorded at). */
export const toTicketEvent = (e: RecordedFact): TicketEvent => toDomainEvent<TicketEvent>(e);

const ticketNotFound = () => notFound('TICKET.NOT_FOUND', 'Ticket not found');

/**
 * The one command path for tickets, used by the API, the SLA timer and the importers: look up
 * what the command names, let the pure decider rule, append at the revision read.
 */
export class TicketService {
  private readonly registers: MajorIncidentRegisters;
  /** Policy versions never change once defined, so they (and their calendars' caches) are kept. */
  private readonly pinnedVersions = new Map<string, Map<number, SlaPolicyVersion>>();

  /**
   * clock: the time commands are decided at (their default occurredAt, what is "the future").
   * recordedClock: when the system learns of them (metadata.recordedAt, what asOfRecorded reads);
   * the same clock, except for an importer deciding old history at its own times today.
   * catalogue: what commands look up, kept current from the log (one per process is enough).
   */
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly recordedClock: Clock = clock,
    private readonly catalogue: CatalogueView = new CatalogueView(store),
  ) {
    this.registers = new MajorIncidentRegisters(store, clock);
  }

  /**
   * Tickets live in their tenant's namespace (`ticketStream(tenantId, ticketId)`): another tenant's
   * ticket is not looked at, so it answers exactly as an id never used. A command without
   * occurredAt is dated when it is decided, again at each retry after a concurrent write.
   */
  async execute(tenantId: string, ticketId: string, command: TicketCommandInput, request: TicketCommandRequest): Promise<CommandResult> {
    if (!isTicketAddress(tenantId, ticketId)) {
      if (command.type !== 'RaiseTicket') throw ticketNotFound();
      if (!TICKET_ID.test(ticketId)) throw invalid('TICKET.INVALID_ID', `ticketId must match ${TICKET_ID}`, 'ticketId');
      throw notFound('TENANT.NOT_FOUND', `Tenant ${tenantId} is not registered`);
    }
    if (command.type === 'RaiseTicket' && (command.ticketId !== ticketId || command.tenantId !== tenantId)) {
      throw new Error(`TicketService: a raise of ${command.tenantId}/${command.ticketId} sent to ${tenantId}/${ticketId}`);
    }
    const mayActFor = request.mayActFor ?? everyTenant;
    // Every catalogue and policy fact acknowledged before this command is in what it looks up.
    const head = await this.catalogue.catchUp();
    const context = await this.loadContext(tenantId, command, mayActFor);
    let recordedAt: Date | undefined;
    // A raise starts its ticket's stream: appended expecting none, nothing read first (a retry under
    // the same key, or a ticket id in use, is refused by the store and then read as usual).
    const attempt = (expectNewStream: boolean) =>
      handleCommand<TicketState, TicketEvent>(this.store, {
        streamId: ticketStream(tenantId, ticketId),
        initialState: initialTicketState,
        evolve: (state, event) => evolveTicket(state, toTicketEvent(event)),
        decide: async (state) => {
          // Existence first: a missing ticket is a 404 whatever else is wrong with the command.
          if (!state.raised && command.type !== 'RaiseTicket') throw ticketNotFound();
          if (state.raised && state.tenantId !== tenantId) throw ticketNotFound();
          const now = this.clock.now();
          const dated = { ...command, occurredAt: command.occurredAt ?? now.toISOString() };
          let slaPolicy: SlaPolicyVersion | undefined;
          if (state.raised) slaPolicy = state.slaPolicyVersion === undefined ? undefined : await this.pinnedPolicy(tenantId, state.slaPolicyVersion);
          else if (context.policies) slaPolicy = versionInForce(context.policies, Date.parse(dated.occurredAt));
          // An outage on the ticket's own service is checked against the tenants that service serves.
          const service =
            context.lookups.service ??
            (command.type === 'RecordOutage' && command.serviceId === undefined && state.raised
              ? await this.catalogue.value<Service>('Service', state.serviceId)
              : undefined);
          // A resolution without resolvedByGroupId is the group's the ticket was assigned to then.
          const defaultGroupId =
            command.type === 'ResolveTicket' && command.resolvedByGroupId === undefined && state.raised
              ? assignmentAt(state, Date.parse(dated.occurredAt))?.groupId
              : undefined;
          const group = defaultGroupId === undefined ? context.lookups.group : await this.catalogue.value<ResolverGroup>('ResolverGroup', defaultGroupId);
          const events = decideTicket(dated, state, { ...context.lookups, service, group, now: now.toISOString(), slaPolicy });
          // A register reference names one major incident per tenant: reserved in every affected
          // tenant's register before the ticket records the declaration (again at each retry: the
          // ticket's own reservations are reused, so nothing is reserved twice).
          const declared = events.find((e) => e.type === 'MajorIncidentDeclared');
          if (declared?.type === 'MajorIncidentDeclared') {
            const { reference, tenantsAffected, occurredAt } = declared.data;
            await this.registers.claim(
              tenantsAffected,
              { reference, ticketTenantId: tenantId, ticketId, occurredAt },
              { metadata: request.metadata, mayActFor },
            );
          }
          return events;
        },
        metadata: request.metadata,
        expectedRevision: request.ifMatch,
        schemaVersion: EVENT_SCHEMA_VERSION,
        now: () => (recordedAt = this.recordedClock.now()),
        expectNewStream,
      });
    let result: CommandResult;
    try {
      // Some of this command's event ids are already recorded, not all: another request under the
      // same key got there first with other facts. Read again: the stream now tells (replay or 422).
      result = await attempt(command.type === 'RaiseTicket').catch((error: unknown) => {
        if (error instanceof EventIdConflictError) return attempt(false);
        throw error;
      });
    } catch (error) {
      // If-Match on a ticket that does not exist (here): unknown, as without If-Match.
      if (error instanceof StaleRevisionError && error.actual === 'no_stream' && command.type !== 'RaiseTicket') throw ticketNotFound();
      throw error;
    }
    return result.replayed || result.events.length === 0 ? result : this.confirmRecorded(result, request.metadata, recordedAt, head);
  }

  /**
   * The store answers an append of event ids it already holds at that place as the first append did
   * (a retry). Two different requests under one Idempotency-Key sent at once derive the same ids, so
   * the slower one gets that answer too: the events recorded tell whose request they are. So does a
   * raise retried after its answer, appended without reading first: its events were in the log
   * before this command began (at or before `head`, the log's head then).
   */
  private async confirmRecorded(
    result: CommandResult,
    metadata: CommandMetadata,
    recordedAt: Date | undefined,
    head: LogPosition | undefined,
  ): Promise<CommandResult> {
    const [appended] = result.events;
    if (!appended) return result; // nothing appended: nothing to confirm
    let first: RecordedEvent | undefined;
    for await (const e of this.store.readStream(result.streamId, { fromRevision: BigInt(appended.revision), maxCount: 1 })) first = e;
    if (!first || first.metadata.commandId !== metadata.commandId) return result;
    if (first.metadata.requestHash !== metadata.requestHash) throw new IdempotencyKeyReusedError(metadata.commandId);
    const mine = recordedAt !== undefined && first.metadata.recordedAt === recordedAt.toISOString() && (head === undefined || first.position > head);
    return mine ? result : { ...result, replayed: true };
  }

  /**
   * The ticket folded from its stream, optionally as it stood at a past moment on either time axis:
   * `asOf` keeps the facts that had happened by then (occurredAt), `asOfRecorded` the facts the
   * system had been told by then (recordedAt). Both may be combined.
   */
  async load(tenantId: string, ticketId: string, at: AsOf = {}): Promise<{ ticket: RaisedTicket; events: RecordedEvent[] }> {
    const all = isTicketAddress(tenantId, ticketId) ? await readWhole(this.store, ticketStream(tenantId, ticketId)) : [];
    const events = all.filter(
      (e) =>
        (at.asOf === undefined || Date.parse(String(e.data.occurredAt)) <= at.asOf) &&
        (at.asOfRecorded === undefined || recordedAtOf(e).getTime() <= at.asOfRecorded),
    );
    const state = events.map(toTicketEvent).reduce(evolveTicket, initialTicketState());
    if (!state.raised || state.tenantId !== tenantId) throw ticketNotFound();
    return { ticket: state, events };
  }

  /** Every recorded fact of a ticket, with who recorded it, when, and why (auditors). */
  async history(tenantId: string, ticketId: string): Promise<HistoryEntry[]> {
    const { events } = await this.load(tenantId, ticketId);
    return events.map((e) => ({
      revision: e.revision.toString(),
      position: e.position.toString(),
      eventId: e.id,
      type: e.type,
      occurredAt: String(e.data.occurredAt),
      recordedAt: recordedAtOf(e).toISOString(),
      actor: metadataText(e, 'actor'),
      commandId: metadataText(e, 'commandId'),
      correlationId: metadataText(e, 'correlationId'),
      causationId: metadataText(e, 'causationId'),
      schemaVersion: Number(e.metadata.schemaVersion ?? 1),
      data: e.data,
    }));
  }

  /** Every clock of a ticket, explained: the figures an SLA report counts, checkable by hand. */
  async explainSla(tenantId: string, ticketId: string, at: AsOf = {}): Promise<SlaExplanation> {
    const { ticket, events } = await this.load(tenantId, ticketId, at);
    const now = Math.min(this.clock.now().getTime(), at.asOf ?? Infinity, at.asOfRecorded ?? Infinity);
    const policy = ticket.slaPolicyVersion === undefined ? undefined : await this.pinnedPolicy(tenantId, ticket.slaPolicyVersion);
    return explainSla(ticket, events, policy, now);
  }

  async policyVersion(tenantId: string, version: number): Promise<SlaPolicyVersion | undefined> {
    return this.pinnedPolicy(tenantId, version);
  }

  private async pinnedPolicy(tenantId: string, version: number): Promise<SlaPolicyVersion | undefined> {
    let cache = this.pinnedVersions.get(tenantId);
    if (!cache?.has(version)) {
      // A version not seen yet may have been defined since the log was last followed.
      await this.catalogue.catchUp();
      const state = await this.catalogue.policies(tenantId);
      cache = new Map(state.versions.map((v) => [v.version, cache?.get(v.version) ?? v]));
      this.pinnedVersions.set(tenantId, cache);
    }
    return cache.get(version);
  }

  /** What the command names, looked up once; the raise's policy version is chosen when it is dated. */
  private async loadContext(
    tenantId: string,
    command: TicketCommandInput,
    mayActFor: (tenantId: string) => boolean,
  ): Promise<{ lookups: Omit<TicketContext, 'now' | 'slaPolicy'>; policies?: SlaPolicyState }> {
    const serviceId = 'serviceId' in command ? command.serviceId : undefined;
    const groupId = command.type === 'AssignTicket' ? command.groupId : command.type === 'ResolveTicket' ? command.resolvedByGroupId : undefined;
    const supplierId = command.type === 'AssignTicket' ? command.supplierId : undefined;
    const [tenant, service, group, supplier, policies] = await Promise.all([
      this.catalogue.value<Tenant>('Tenant', tenantId),
      this.catalogue.value<Service>('Service', serviceId),
      this.catalogue.value<ResolverGroup>('ResolverGroup', groupId),
      this.catalogue.value<Supplier>('Supplier', supplierId),
      command.type === 'RaiseTicket' ? this.catalogue.policies(tenantId) : undefined,
    ]);
    // The tenants the command names that are registered and that the caller may act for: any other
    // is refused as unknown, so a tenant outside the token is not told apart from a missing one.
    const named = command.type === 'DeclareMajorIncident' ? command.tenantsAffected : command.type === 'RecordOutage' ? command.tenantIds : undefined;
    let knownTenantIds: Set<string> | undefined;
    if (Array.isArray(named)) {
      const mine = [...new Set(named)].filter((t) => typeof t === 'string' && mayActFor(t));
      const found = await Promise.all(mine.map((t) => this.catalogue.value<Tenant>('Tenant', t)));
      knownTenantIds = new Set(found.filter((t): t is Tenant => !!t).map((t) => t.tenantId));
    }
    return { lookups: { tenant, service, group, supplier, knownTenantIds }, policies };
  }
}

/** A past moment on either time axis (epoch ms). */
export interface AsOf {
  asOf?: number;
  asOfRecorded?: number;
}

export interface HistoryEntry {
  revision: string;
  position: string;
  eventId: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: string;
  commandId: string;
  correlationId: string;
  causationId: string;
  schemaVersion: number;
  data: object;
}
