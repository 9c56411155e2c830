import { createHash } from 'node:crypto';
import {
  DomainError,
  EVENT_SCHEMA_VERSION,
  evolveEscalationPolicy,
  evolveSlaPolicy,
  evolveTicket,
  initialEscalationPolicyState,
  initialSlaPolicyState,
  initialTicketState,
  nextDueAt,
  nextEscalationDueAt,
  parseStreamId,
  parseTicketStream,
  reconcileEscalations,
  toDomainEvent,
  type EscalationPolicyState,
  type RaisedTicket,
  type SlaPolicyState,
  type SlaPolicyVersion,
  type TicketCommand,
  type TicketEvent,
  type TicketState,
} from '@itsm/domain';
import {
  handleCommand,
  readWhole,
  showPosition,
  WrongExpectedVersionError,
  yieldToEventLoop,
  type EventStore,
  type LogPosition,
  type RecordedEvent,
} from '@itsm/event-store';
import { toTicketEvent, type Clock, type TicketService } from './ticket-service';

export interface SlaTimerOptions {
  /** How often the timer looks for due work when running by itself (ms). */
  pollIntervalMs?: number;
  /** Due tickets handled at once: concurrent appends share one commit. */
  concurrency?: number;
  onError?: (error: unknown, ticketId: string) => void;
}

interface TrackedTicket {
  /** What the clocks read of the ticket, not its whole state (see ClockView). */
  clocks: ClockView;
  revision: bigint;
  lastEventId: string;
}

/**
 * The part of a ticket's state the SLA clocks and this timer read (computeSlaClocks, nextDueAt,
 * nextEscalationDueAt, the automatic close): kept per open ticket instead of the whole folded state,
 * whose titles, descriptions, outages, assignments and feedback the clocks never look at. Its
 * fields evolve exactly as the whole state's do, since evolveTicket computes them from each other
 * and the event alone.
 */
export type ClockView = Pick<RaisedTicket, 'tenantId' | 'kind' | 'status' | 'raisedAt' | 'respondedAt' | 'resolvedAt' | 'slaPolicyVersion' | 'sla'> & {
  timeline: Pick<RaisedTicket['timeline'], 'priorities' | 'holds' | 'resolutions'>;
};

/** Nothing recorded: one shared empty list (evolveTicket never mutates, it copies). */
const NONE: never[] = Object.freeze([]) as unknown as never[];
const shared = <T>(list: T[]): T[] => (list.length ? list : NONE);
/** Tenant ids repeat across every ticket: one string each. */
const tenantIds = new Map<string, string>();
const tenantIdOf = (id: string) => tenantIds.get(id) ?? (tenantIds.set(id, id), id);

export function clockViewOf(ticket: RaisedTicket): ClockView {
  const { tenantId, kind, status, raisedAt, respondedAt, resolvedAt, slaPolicyVersion, sla, timeline } = ticket;
  return {
    tenantId: tenantIdOf(tenantId),
    kind,
    status,
    raisedAt,
    ...(respondedAt !== undefined ? { respondedAt } : {}),
    ...(resolvedAt !== undefined ? { resolvedAt } : {}),
    ...(slaPolicyVersion !== undefined ? { slaPolicyVersion } : {}),
    sla: shared(sla),
    timeline: { priorities: timeline.priorities, holds: shared(timeline.holds), resolutions: shared(timeline.resolutions) },
  };
}

/**
 * The view as a ticket the domain functions take: the fields they never read are inert (empty,
 * zero; lastOccurredAt, which evolveTicket only carries forward, is the raise).
 */
export function ticketOf(view: ClockView, ticketId: string): RaisedTicket {
  const current = view.timeline.priorities.at(-1);
  if (!current) throw new Error(`Ticket ${ticketId} has no priority in its clock view`);
  return {
    raised: true,
    ticketId,
    priority: current.priority,
    serviceId: '',
    title: '',
    description: '',
    reporter: '',
    channel: 'phone',
    lastOccurredAt: view.raisedAt,
    reopenCount: 0,
    outageMinutes: 0,
    outages: NONE,
    feedbackRecorded: false,
    complaints: 0,
    complaintDates: NONE,
    ...view,
    timeline: { ...view.timeline, assignments: NONE },
  };
}

/**
 * Appends the facts that time alone brings about: SLA warnings and breaches when a clock passes
 * a threshold (dated at the crossing, so figures never depend on when the timer ran), escalations
 * when it passes a percentage the tenant's escalation policy names (and their withdrawal when
 * back-dated facts undo the crossing), and automatic closes. It follows the log to know each open
 * ticket's next due instant, and acts through the ticket command path with command ids derived from
 * the ticket's revision: two timers acting at once append the same events once.
 */
export class SlaTimer {
  /** Tickets by stream id (ticket ids are unique only within a tenant), and when each is next due. */
  private readonly tracked = new Map<string, TrackedTicket>();
  private readonly due = new Map<string, number>();
  private readonly policies = new Map<string, SlaPolicyState>();
  private readonly escalations = new Map<string, EscalationPolicyState>();
  private readonly autoCloseDays = new Map<string, number>();
  private position: LogPosition | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly store: EventStore,
    private readonly tickets: TicketService,
    private readonly clock: Clock,
    private readonly options: SlaTimerOptions = {},
  ) {}

  /** Runs by itself every pollIntervalMs until stopped. */
  start(): void {
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      this.running = this.runDue().catch((e) => this.options.onError?.(e, '*'));
      await this.running;
      if (!this.stopped) this.timer = setTimeout(() => void tick(), this.options.pollIntervalMs ?? 200);
    };
    void tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Open tickets the timer follows, and how many have work due by `at`. */
  stats(at = this.clock.now().getTime()) {
    let dueNow = 0;
    for (const d of this.due.values()) if (d <= at) dueNow++;
    return { position: showPosition(this.position), tracked: this.tracked.size, dueNow };
  }

  /** Applies every event appended since the last call. */
  async catchUp(): Promise<void> {
    const reload = new Set<string>();
    let applied = 0;
    for await (const e of this.store.readAll({ after: this.position })) {
      this.apply(e, reload);
      this.position = e.position;
      if (++applied % 1000 === 0) await yieldToEventLoop(); // following a long log must not stall the API
    }
    for (const streamId of reload) await this.reload(streamId);
  }

  /** Does everything due by now; returns how many commands appended something. */
  async runDue(): Promise<number> {
    await this.catchUp();
    const now = this.clock.now().getTime();
    const dueIds: string[] = [];
    for (const [id, at] of this.due) if (at <= now) dueIds.push(id);
    let appended = 0;
    const concurrency = this.options.concurrency ?? 32;
    for (let i = 0; i < dueIds.length; i += concurrency) {
      const results = await Promise.all(dueIds.slice(i, i + concurrency).map((id) => this.act(id, now)));
      appended += results.filter(Boolean).length;
    }
    await this.catchUp();
    // Anything still due was refused or raced; look again a little later rather than spin.
    for (const id of dueIds) if ((this.due.get(id) ?? Infinity) <= now) this.due.set(id, now + (this.options.pollIntervalMs ?? 200));
    return appended;
  }

  private async act(streamId: string, now: number): Promise<boolean> {
    const t = this.tracked.get(streamId);
    if (!t) return false;
    const recorded = await this.reconcileOrClose(streamId, t, now);
    const escalated = await this.escalate(streamId, t, now);
    return recorded || escalated;
  }

  private async reconcileOrClose(streamId: string, t: TrackedTicket, now: number): Promise<boolean> {
    const ticket = t.clocks;
    const { tenantId, ticketId } = parseTicketStream(streamId)!;
    const days = this.autoCloseDays.get(ticket.tenantId);
    const closeAt = ticket.status === 'resolved' && ticket.resolvedAt && days !== undefined ? Date.parse(ticket.resolvedAt) + days * 86_400_000 : Infinity;
    const [command, commandId]: [TicketCommand, string] =
      closeAt <= now
        ? [{ type: 'CloseTicket', automatic: true, occurredAt: new Date(closeAt).toISOString() }, `auto-close/${ticketId}/${ticket.resolvedAt}`]
        : [{ type: 'ReconcileSla', occurredAt: new Date(now).toISOString() }, `sla-timer/${ticketId}/${t.revision}`];
    try {
      const result = await this.tickets.execute(tenantId, ticketId, command, {
        metadata: {
          commandId,
          actor: 'sla-timer',
          tenantId: ticket.tenantId,
          correlationId: commandId,
          causationId: t.lastEventId,
          requestHash: createHash('sha256').update(commandId).digest('hex'),
        },
      });
      return result.events.length > 0 && !result.replayed;
    } catch (error) {
      // A refusal means the ticket moved on (closed, reopened...): the log will tell us what is due next.
      if (error instanceof DomainError || error instanceof WrongExpectedVersionError) return false;
      this.options.onError?.(error, ticketId);
      return false;
    }
  }

  /**
   * Records the escalations due (and withdraws those undone) on the ticket's stream, decided by the
   * pure reconcileEscalations on the stream as it is now. The command id derives from the revision
   * the timer saw, as the SLA command's does: two timers acting at once append the same events once.
   */
  private async escalate(streamId: string, t: TrackedTicket, now: number): Promise<boolean> {
    const { ticketId } = parseTicketStream(streamId)!;
    const policy = this.pinnedPolicy(t.clocks);
    const escalations = this.escalations.get(t.clocks.tenantId);
    if (!policy || !escalations || (nextEscalationDueAt(ticketOf(t.clocks, ticketId), policy, escalations, now) ?? Infinity) > now) return false;
    const commandId = `escalation/${ticketId}/${t.revision}`;
    try {
      const result = await handleCommand<TicketState, TicketEvent>(this.store, {
        streamId,
        initialState: initialTicketState,
        evolve: evolveTicket,
        decide: (state) =>
          state.raised && state.status !== 'closed' && state.slaPolicyVersion === policy.version ? reconcileEscalations(state, policy, escalations, now) : [],
        metadata: {
          commandId,
          actor: 'sla-timer',
          tenantId: t.clocks.tenantId,
          correlationId: commandId,
          causationId: t.lastEventId,
          requestHash: createHash('sha256').update(commandId).digest('hex'),
        },
        schemaVersion: EVENT_SCHEMA_VERSION,
        now: () => this.clock.now(),
      });
      return result.events.length > 0 && !result.replayed;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return false;
      this.options.onError?.(error, ticketId);
      return false;
    }
  }

  private apply(e: RecordedEvent, reload: Set<string>): void {
    const stream = parseStreamId(e.streamId);
    if (stream?.kind === 'ticket') {
      const t = this.tracked.get(e.streamId);
      if (e.type === 'IncidentRaised' && e.revision === 0n) {
        this.track(e.streamId, evolveTicket(initialTicketState(), toTicketEvent(e)) as RaisedTicket, e);
      } else if (t) {
        this.track(e.streamId, evolveTicket(ticketOf(t.clocks, stream.ticketId), toTicketEvent(e)) as RaisedTicket, e);
      } else if (e.type === 'IncidentReopened') {
        reload.add(e.streamId); // a closed ticket we stopped following came back
      }
    } else if (stream?.kind === 'sla-policy') {
      this.policies.set(stream.tenantId, evolveSlaPolicy(this.policies.get(stream.tenantId) ?? initialSlaPolicyState(), toDomainEvent(e)));
    } else if (stream?.kind === 'escalation-policy') {
      this.escalations.set(stream.tenantId, evolveEscalationPolicy(this.escalations.get(stream.tenantId) ?? initialEscalationPolicyState(), toDomainEvent(e)));
      for (const [id, t] of this.tracked) if (t.clocks.tenantId === stream.tenantId) this.schedule(id, t);
    } else if (stream?.kind === 'catalogue' && stream.catalogueKind === 'Tenant' && typeof e.data.autoCloseDays === 'number') {
      this.autoCloseDays.set(stream.id, e.data.autoCloseDays);
      for (const [id, t] of this.tracked) if (t.clocks.tenantId === stream.id) this.schedule(id, t);
    }
  }

  private track(streamId: string, ticket: RaisedTicket, e: RecordedEvent): void {
    if (ticket.status === 'closed') {
      this.tracked.delete(streamId);
      this.due.delete(streamId);
      return;
    }
    const t = { clocks: clockViewOf(ticket), revision: e.revision, lastEventId: e.id };
    this.tracked.set(streamId, t);
    this.schedule(streamId, t);
  }

  private schedule(streamId: string, t: TrackedTicket): void {
    const ticket = ticketOf(t.clocks, parseTicketStream(streamId)!.ticketId);
    const policy = this.pinnedPolicy(ticket);
    const now = this.clock.now().getTime();
    const sla = nextDueAt(ticket, policy, this.autoCloseDays.get(ticket.tenantId), now);
    const escalations = this.escalations.get(ticket.tenantId);
    const escalation = policy && escalations && ticket.status !== 'closed' ? nextEscalationDueAt(ticket, policy, escalations, now) : undefined;
    const at = sla === undefined ? escalation : escalation === undefined ? sla : Math.min(sla, escalation);
    if (at === undefined) this.due.delete(streamId);
    else this.due.set(streamId, at);
  }

  private pinnedPolicy(ticket: Pick<RaisedTicket, 'tenantId' | 'slaPolicyVersion'>): SlaPolicyVersion | undefined {
    return ticket.slaPolicyVersion === undefined ? undefined : this.policies.get(ticket.tenantId)?.versions.find((v) => v.version === ticket.slaPolicyVersion);
  }

  private async reload(streamId: string): Promise<void> {
    const events = await readWhole(this.store, streamId);
    const latest = events.at(-1);
    if (latest === undefined) return;
    const ticket = events.map(toTicketEvent).reduce(evolveTicket, initialTicketState());
    if (ticket.raised) this.track(streamId, ticket, latest);
  }
}
