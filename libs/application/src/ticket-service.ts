import {
  CATALOGUE_ID,
  EVENT_SCHEMA_VERSION,
  calendarsOf,
  computeSlaClocks,
  computeSupplierClocks,
  decideTicket,
  evolveTicket,
  initialTicketState,
  notFound,
  ticketStream,
  versionInForce,
  type RaisedTicket,
  type ResolverGroup,
  type Service,
  type SlaClock,
  type SlaPolicyVersion,
  type Supplier,
  type SupplierClock,
  type Tenant,
  type TicketCommand,
  type TicketContext,
  type TicketEvent,
  type TicketState,
} from '@itsm/domain';
import { handleCommand, readWhole, recordedAtOf, type CommandMetadata, type CommandResult, type EventStore, type RecordedEvent } from '@itsm/event-store';
import { CatalogueRepository } from './catalogue-repository';
import { SlaPolicyRepository } from './sla-policy-repository';

export interface Clock {
  now(): Date;
}

/** Who is asking, for the events' metadata, and the revision they saw (If-Match). */
export interface TicketCommandRequest {
  metadata: CommandMetadata;
  ifMatch?: bigint;
}

export const toTicketEvent = (e: RecordedEvent) => ({ type: e.type, data: e.data }) as unknown as TicketEvent;

/**
 * The one command path for tickets, used by the API, the SLA timer and the importers: look up
 * what the command names, let the pure decider rule, append at the revision read.
 */
export class TicketService {
  private readonly catalogue: CatalogueRepository;
  private readonly policies: SlaPolicyRepository;
  /** Policy versions never change once defined, so they (and their calendars' caches) are kept. */
  private readonly pinnedVersions = new Map<string, Map<number, SlaPolicyVersion>>();

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {
    this.catalogue = new CatalogueRepository(store);
    this.policies = new SlaPolicyRepository(store);
  }

  async execute(tenantId: string, ticketId: string, command: TicketCommand, request: TicketCommandRequest): Promise<CommandResult> {
    const now = this.clock.now();
    const context = await this.loadContext(tenantId, command, now);
    return handleCommand<TicketState, TicketEvent>(this.store, {
      streamId: ticketStream(ticketId),
      initialState: initialTicketState,
      evolve: evolveTicket,
      decide: async (state) => {
        // Another tenant's ticket is, to this caller, no ticket at all.
        if (state.raised && state.tenantId !== tenantId) throw notFound('TICKET.NOT_FOUND', 'Ticket not found');
        let slaPolicy = context.slaPolicy;
        if (state.raised) slaPolicy = state.slaPolicyVersion === undefined ? undefined : await this.pinnedPolicy(tenantId, state.slaPolicyVersion);
        return decideTicket(command, state, { ...context, slaPolicy });
      },
      metadata: request.metadata,
      expectedRevision: request.ifMatch,
      schemaVersion: EVENT_SCHEMA_VERSION,
      now: () => this.clock.now(),
    });
  }

  /**
   * The ticket folded from its stream, optionally as it stood at a past moment on either time axis:
   * `asOf` keeps the facts that had happened by then (occurredAt), `asOfRecorded` the facts the
   * system had been told by then (recordedAt). Both may be combined.
   */
  async load(tenantId: string, ticketId: string, at: AsOf = {}): Promise<{ ticket: RaisedTicket; events: RecordedEvent[] }> {
    const all = CATALOGUE_ID.test(ticketId) ? await readWhole(this.store, ticketStream(ticketId)) : [];
    const events = all.filter((e) => (at.asOf === undefined || Date.parse(String(e.data.occurredAt)) <= at.asOf) && (at.asOfRecorded === undefined || recordedAtOf(e).getTime() <= at.asOfRecorded));
    const state = events.map(toTicketEvent).reduce(evolveTicket, initialTicketState());
    if (!state.raised || state.tenantId !== tenantId) throw notFound('TICKET.NOT_FOUND', 'Ticket not found');
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
      actor: String(e.metadata.actor ?? ''),
      commandId: String(e.metadata.commandId ?? ''),
      correlationId: String(e.metadata.correlationId ?? ''),
      causationId: String(e.metadata.causationId ?? ''),
      schemaVersion: Number(e.metadata.schemaVersion ?? 1),
      data: e.data,
    }));
  }

  /** Every clock of a ticket, explained: the figures an SLA report counts, checkable by hand. */
  async explainSla(tenantId: string, ticketId: string, at: AsOf = {}): Promise<SlaExplanation> {
    const { ticket, events } = await this.load(tenantId, ticketId, at);
    const now = Math.min(this.clock.now().getTime(), at.asOf ?? Infinity, at.asOfRecorded ?? Infinity);
    const policy = ticket.slaPolicyVersion === undefined ? undefined : await this.pinnedPolicy(tenantId, ticket.slaPolicyVersion);
    const resolutionCalendar = policy ? calendarsOf(policy).get(policy.targets.find((t) => t.kind === ticket.kind && t.priority === ticket.priority && t.metric === 'resolution')?.calendarId ?? '') : undefined;
    return {
      ticketId,
      revision: events[events.length - 1].revision.toString(),
      asOf: new Date(now).toISOString(),
      policy: policy ? { version: policy.version, name: policy.name, effectiveFrom: policy.effectiveFrom, rules: policy.rules, warningThresholdsPct: policy.warningThresholdsPct } : null,
      calendars: policy ? policy.calendars : [],
      clocks: policy ? computeSlaClocks(ticket, policy, now) : [],
      supplierClocks: computeSupplierClocks(ticket, policy, now, resolutionCalendar),
      recorded: ticket.sla,
    };
  }

  async policyVersion(tenantId: string, version: number): Promise<SlaPolicyVersion | undefined> {
    return this.pinnedPolicy(tenantId, version);
  }

  private async pinnedPolicy(tenantId: string, version: number): Promise<SlaPolicyVersion | undefined> {
    let cache = this.pinnedVersions.get(tenantId);
    if (!cache?.has(version)) {
      const { state } = await this.policies.load(tenantId);
      cache = new Map(state.versions.map((v) => [v.version, cache?.get(v.version) ?? v]));
      this.pinnedVersions.set(tenantId, cache);
    }
    return cache.get(version);
  }

  private async loadContext(tenantId: string, command: TicketCommand, now: Date): Promise<TicketContext> {
    const serviceId = 'serviceId' in command ? command.serviceId : undefined;
    const groupId = command.type === 'AssignTicket' ? command.groupId : command.type === 'ResolveTicket' ? command.resolvedByGroupId : undefined;
    const supplierId = command.type === 'AssignTicket' ? command.supplierId : undefined;
    const [tenant, service, group, supplier, policies] = await Promise.all([
      this.catalogue.value<Tenant>('Tenant', tenantId),
      this.catalogue.value<Service>('Service', serviceId),
      this.catalogue.value<ResolverGroup>('ResolverGroup', groupId),
      this.catalogue.value<Supplier>('Supplier', supplierId),
      command.type === 'RaiseTicket' ? this.policies.load(tenantId) : undefined,
    ]);
    let knownTenantIds: Set<string> | undefined;
    if (command.type === 'DeclareMajorIncident') {
      const found = await Promise.all(command.tenantsAffected.map((t) => this.catalogue.value<Tenant>('Tenant', t)));
      knownTenantIds = new Set(found.filter((t): t is Tenant => !!t).map((t) => t.tenantId));
    }
    const raisedAt = command.type === 'RaiseTicket' ? Date.parse(command.occurredAt) : NaN;
    const slaPolicy = policies && !Number.isNaN(raisedAt) ? versionInForce(policies.state, raisedAt) : undefined;
    return { now: now.toISOString(), tenant, service, group, supplier, knownTenantIds, slaPolicy };
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

export interface SlaExplanation {
  ticketId: string;
  revision: string;
  asOf: string;
  policy: Pick<SlaPolicyVersion, 'version' | 'name' | 'effectiveFrom' | 'rules' | 'warningThresholdsPct'> | null;
  calendars: SlaPolicyVersion['calendars'];
  clocks: SlaClock[];
  supplierClocks: SupplierClock[];
  recorded: RaisedTicket['sla'];
}
