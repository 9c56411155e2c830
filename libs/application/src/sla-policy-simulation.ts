import {
  computeSlaClocks,
  evolveSlaPolicy,
  evolveTicket,
  initialSlaPolicyState,
  initialTicketState,
  parseInstant,
  parseTicketStream,
  slaPolicyStream,
  ticketStream,
  toDomainEvent,
  toIso,
  validateSlaPolicy,
  type DefineSlaPolicyVersion,
  type Priority,
  type RaisedTicket,
  type SlaClock,
  type SlaMetric,
  type SlaPolicyEvent,
  type SlaPolicyVersion,
  type TicketKind,
} from '@itsm/domain';
import { StreamNotFoundError, showPosition, yieldToEventLoop, type EventStore, type LogPosition, type RecordedEvent } from '@itsm/event-store';
import { definitionText, type Rag } from '@itsm/projections';
import { countedClocks, SlaPerformanceTally, type SlaPerformanceCell } from './sla-performance-tally';
import { explainSla, type SlaExplanation } from './sla-explanation';
import { toTicketEvent } from './ticket-service';

export type { SlaPerformanceCell } from './sla-performance-tally';

/**
 * Tickets replayed between two yields to the event loop: each costs a stream read and two clock
 * folds (well under a millisecond to a few), so a step keeps other requests waiting a few ms.
 */
const TICKETS_PER_STEP = 25;
/** Log events read per step when scanning the part of the log the index has not applied yet. */
const EVENTS_PER_STEP = 500;
/** Beyond this many flipped tickets the answer lists the first ones (by raise) and says how many in all. */
export const MAX_FLIPS_LISTED = 1000;
/** The draft's version number in explanations: 0, a version no policy stream ever holds. */
export const DRAFT_VERSION = 0;

/** [from, to): ISO instants. */
export interface SimulationRange {
  from: string;
  to: string;
}

/**
 * Where the tickets of a tenant raised in a range are listed without reading the log (the reports
 * read model's ticket documents, indexed by tenant and raise time). Only ids come from it: every
 * ticket is folded from its own stream.
 */
export interface RaisedTicketsIndex {
  /**
   * The last log position the index has applied: every ticket raised at or before it is listed.
   * Undefined: it lists nothing (nothing applied, or it cannot say), and the whole log is scanned.
   * Read before the listing, so the listing is at least as new.
   */
  through(): Promise<LogPosition | undefined>;
  count(tenantId: string, range: SimulationRange): Promise<number>;
  /** The ticket ids (as the tenant knows them), page by page. */
  pages(tenantId: string, range: SimulationRange): AsyncIterable<string[]>;
}

/** What a simulation will read, fixed when it is asked: the answer is the log as it stood at `head`. */
export interface SimulationPlan {
  tenantId: string;
  range: SimulationRange;
  draft: SlaPolicyVersion;
  head: LogPosition | undefined;
  indexedThrough: LogPosition | undefined;
  /** Tickets the index lists, plus events it has not applied yet (each may raise one): an upper bound. */
  estimatedTickets: number;
}

export interface SimulationProgress {
  phase: 'listing' | 'replaying' | 'done';
  /** Tickets found so far (listing), then all of them. */
  ticketsListed: number;
  ticketsReplayed: number;
}

export type SlaOutcome = 'met' | 'breached';

/** One goal (metric × kind × priority) under the pinned versions and under the draft; null: not measured there. */
export interface SlaPerformanceComparison {
  metric: SlaMetric;
  kind: TicketKind;
  priority: Priority;
  current: SlaPerformanceCell | null;
  draft: SlaPerformanceCell | null;
}

export interface RagChange {
  metric: SlaMetric;
  kind: TicketKind;
  priority: Priority;
  reference: string | null;
  current: Rag | null;
  draft: Rag | null;
  pctMet: { current: number | null; draft: number | null };
  goalPct: { current: number | null; draft: number | null };
}

/** A ticket whose outcome on a metric is met under one policy and breached under the other. */
export interface FlippedTicket {
  ticketId: string;
  kind: TicketKind;
  priority: Priority;
  raisedAt: string;
  flips: Array<{ metric: SlaMetric; current: SlaOutcome; draft: SlaOutcome }>;
  /** Its clocks under the version it pinned and under the draft, as GET /tickets/{id}/sla explains them. */
  current: SlaExplanation;
  draft: SlaExplanation;
}

export interface SlaPolicySimulationResult {
  tenantId: string;
  from: string;
  to: string;
  /** The log position replayed up to (the head when asked): the same question there gives the same answer. */
  position: string | null;
  /** Tickets of the tenant raised in [from, to), as the log held them at `position`. */
  tickets: number;
  /** The pinned versions the tickets were measured by today ("current"), and the draft. */
  currentVersions: number[];
  draft: Omit<SlaPolicyVersion, 'tenantId' | 'version' | 'effectiveFrom'>;
  definition: string;
  performance: SlaPerformanceComparison[];
  ragChanges: RagChange[];
  flipsTotal: number;
  flips: FlippedTicket[];
}

/** The simulation was stopped (the API shutting down) before it finished. */
export class SimulationCancelledError extends Error {
  readonly code = 'SLA_SIMULATION.CANCELLED';
  constructor() {
    super('The simulation was stopped before it finished');
    this.name = 'SimulationCancelledError';
  }
}

/**
 * A draft policy version, checked by the rules a real definition is checked by (DomainError naming
 * the field). Its effectiveFrom plays no part: the draft measures every ticket in the range.
 */
export function draftSlaPolicy(definition: DefineSlaPolicyVersion): SlaPolicyVersion {
  validateSlaPolicy(definition);
  return { ...definition, effectiveFrom: toIso(parseInstant(definition.effectiveFrom, 'effectiveFrom')), version: DRAFT_VERSION };
}

/**
 * Policy what-if: the tickets of a tenant raised in a range, each folded from its stream up to the
 * head as it was when asked, measured by the version it pinned and by a draft, in memory. Appends
 * nothing. Works in small steps that yield to the event loop, so a large range never stalls the API.
 */
export class SlaPolicySimulator {
  constructor(
    private readonly store: EventStore,
    private readonly index: RaisedTicketsIndex,
  ) {}

  /** Fixes the position to answer at, and sizes the work (the index is read before the head). */
  async plan(tenantId: string, range: SimulationRange, draft: SlaPolicyVersion): Promise<SimulationPlan> {
    const indexedThrough = await this.index.through();
    const head = await this.store.headPosition();
    const listed = indexedThrough === undefined ? 0 : await this.index.count(tenantId, range);
    const unapplied = head === undefined ? 0 : await this.store.countEventsAfter(indexedThrough, 100_000);
    return { tenantId, range, draft, head, indexedThrough, estimatedTickets: listed + unapplied };
  }

  async run(
    plan: SimulationPlan,
    options: { onProgress?: (p: SimulationProgress) => void; cancelled?: () => boolean } = {},
  ): Promise<SlaPolicySimulationResult> {
    const progress: SimulationProgress = { phase: 'listing', ticketsListed: 0, ticketsReplayed: 0 };
    const step = async () => {
      options.onProgress?.({ ...progress });
      await yieldToEventLoop();
      if (options.cancelled?.()) throw new SimulationCancelledError();
    };
    const { tenantId, head, draft } = plan;
    const from = Date.parse(plan.range.from);
    const to = Date.parse(plan.range.to);

    const ids = await this.candidates(plan, progress, step);
    const pinned = await this.pinnedVersions(tenantId, head);
    progress.phase = 'replaying';
    progress.ticketsListed = ids.length;
    await step();

    const current = new SlaPerformanceTally();
    const drafted = new SlaPerformanceTally();
    const flipped = new FirstFlips(MAX_FLIPS_LISTED);
    const versionsUsed = new Set<number>();
    let tickets = 0;
    for (const [i, id] of ids.entries()) {
      const folded = await this.fold(tenantId, id, head);
      if (folded && Date.parse(folded.ticket.raisedAt) >= from && Date.parse(folded.ticket.raisedAt) < to) {
        tickets++;
        const { ticket, events } = folded;
        // As the reports count it: the ticket's own facts decide, not the time the question is asked.
        const asOf = Date.parse(ticket.lastOccurredAt);
        const policy = ticket.slaPolicyVersion === undefined ? undefined : pinned.get(ticket.slaPolicyVersion);
        const before = policy ? computeSlaClocks(ticket, policy, asOf) : [];
        const after = computeSlaClocks(ticket, draft, asOf);
        if (policy) {
          current.add(ticket.kind, before, policy.version);
          versionsUsed.add(policy.version);
        }
        drafted.add(ticket.kind, after, DRAFT_VERSION);
        const flips = flipsOf(before, after);
        if (flips.length) {
          flipped.offer(ticket, () => ({
            ticketId: ticket.ticketId,
            kind: ticket.kind,
            priority: ticket.priority,
            raisedAt: ticket.raisedAt,
            flips,
            current: explainSla(ticket, events, policy, asOf, before),
            draft: explainSla(ticket, events, draft, asOf, after),
          }));
        }
      }
      progress.ticketsReplayed = i + 1;
      if ((i + 1) % TICKETS_PER_STEP === 0) await step();
    }
    progress.phase = 'done';
    options.onProgress?.({ ...progress });

    const performance = compare(current.cells(), drafted.cells());
    const { tenantId: _t, version: _v, effectiveFrom: _e, ...draftShown } = draft;
    return {
      tenantId,
      from: plan.range.from,
      to: plan.range.to,
      position: showPosition(head),
      tickets,
      currentVersions: [...versionsUsed].sort((a, b) => a - b),
      draft: draftShown,
      definition: `Tickets raised in [from, to); each measured by the policy version it pinned (current) and by the draft. ${definitionText('slaPerformance')}`,
      performance,
      ragChanges: ragChanges(performance),
      flipsTotal: flipped.total,
      flips: flipped.list(),
    };
  }

  /**
   * The ids of the tenant's tickets that may have been raised in the range by the head: those the
   * index lists, and those raised in the part of the log it has not applied yet (read here).
   */
  private async candidates(plan: SimulationPlan, progress: SimulationProgress, step: () => Promise<void>): Promise<string[]> {
    const ids = new Set<string>();
    if (plan.head === undefined) return [];
    if (plan.indexedThrough !== undefined) {
      for await (const page of this.index.pages(plan.tenantId, plan.range)) {
        for (const id of page) ids.add(id);
        progress.ticketsListed = ids.size;
        await step();
      }
    }
    let after = plan.indexedThrough;
    for (let more = true; more;) {
      let read = 0;
      more = false;
      for await (const e of this.store.readAll({ after, maxCount: EVENTS_PER_STEP })) {
        if (e.position > plan.head) break;
        read++;
        after = e.position;
        // A ticket's raise is the first event of its stream.
        const ticket = e.revision === 0n ? parseTicketStream(e.streamId) : undefined;
        if (ticket?.tenantId === plan.tenantId) ids.add(ticket.ticketId);
      }
      more = read === EVENTS_PER_STEP && after !== plan.head;
      progress.ticketsListed = ids.size;
      await step();
    }
    return [...ids];
  }

  /** The tenant's policy versions as the log held them at the head (versions are never edited). */
  private async pinnedVersions(tenantId: string, head: LogPosition | undefined): Promise<Map<number, SlaPolicyVersion>> {
    const events = await readUpTo(this.store, slaPolicyStream(tenantId), head);
    const state = events.reduce((s, e) => evolveSlaPolicy(s, toDomainEvent<SlaPolicyEvent>(e)), initialSlaPolicyState());
    return new Map(state.versions.map((v) => [v.version, v]));
  }

  /** The ticket folded from its stream up to the head; undefined when it was not raised by then, or raised as another. */
  private async fold(
    tenantId: string,
    ticketId: string,
    head: LogPosition | undefined,
  ): Promise<{ ticket: RaisedTicket; events: RecordedEvent[] } | undefined> {
    let stream: string;
    try {
      stream = ticketStream(tenantId, ticketId);
    } catch {
      return undefined;
    }
    const events = await readUpTo(this.store, stream, head);
    const state = events.map(toTicketEvent).reduce(evolveTicket, initialTicketState());
    if (!state.raised || state.tenantId !== tenantId || state.ticketId !== ticketId) return undefined;
    return { ticket: state, events };
  }
}

/** A stream's events up to a position of the log (none when the stream does not exist). */
async function readUpTo(store: EventStore, streamId: string, head: LogPosition | undefined): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  if (head === undefined) return out;
  try {
    for await (const e of store.readStream(streamId)) {
      if (e.position > head) break;
      out.push(e);
    }
  } catch (error) {
    if (error instanceof StreamNotFoundError) return out;
    throw error;
  }
  return out;
}

/**
 * A ticket's outcome on a metric: breached when any counted clock of it breached, met when every one
 * met (a reopened ticket may count several). No counted clock: no outcome, so no flip.
 */
function outcomes(clocks: SlaClock[]): Map<SlaMetric, SlaOutcome> {
  const out = new Map<SlaMetric, SlaOutcome>();
  for (const c of countedClocks(clocks)) if (out.get(c.metric) !== 'breached') out.set(c.metric, c.state as SlaOutcome);
  return out;
}

function flipsOf(before: SlaClock[], after: SlaClock[]): FlippedTicket['flips'] {
  const was = outcomes(before);
  const would = outcomes(after);
  const flips: FlippedTicket['flips'] = [];
  for (const metric of ['response', 'resolution'] as const) {
    const current = was.get(metric);
    const draft = would.get(metric);
    if (current && draft && current !== draft) flips.push({ metric, current, draft });
  }
  return flips;
}

function compare(current: Map<string, SlaPerformanceCell>, draft: Map<string, SlaPerformanceCell>): SlaPerformanceComparison[] {
  const keys = [...new Set([...current.keys(), ...draft.keys()])].sort();
  return keys.map((key) => {
    const [metric, kind, priority] = key.split('|') as [SlaMetric, TicketKind, Priority];
    return { metric, kind, priority, current: current.get(key) ?? null, draft: draft.get(key) ?? null };
  });
}

/** Each goal whose RAG differs between the pinned versions and the draft (null: not measured there). */
function ragChanges(rows: SlaPerformanceComparison[]): RagChange[] {
  return rows
    .filter((r) => (r.current?.rag ?? null) !== (r.draft?.rag ?? null))
    .map((r) => ({
      metric: r.metric,
      kind: r.kind,
      priority: r.priority,
      reference: r.draft?.reference ?? r.current?.reference ?? null,
      current: r.current?.rag ?? null,
      draft: r.draft?.rag ?? null,
      pctMet: { current: r.current?.pctMet ?? null, draft: r.draft?.pctMet ?? null },
      goalPct: { current: r.current?.goalPct ?? null, draft: r.draft?.goalPct ?? null },
    }));
}

/**
 * The first `max` flipped tickets by raise (then id), explained; the rest only counted, so a draft
 * that flips a whole quarter does not hold every explanation in memory.
 */
class FirstFlips {
  private readonly kept: FlippedTicket[] = [];
  total = 0;

  constructor(private readonly max: number) {}

  offer(ticket: Pick<RaisedTicket, 'raisedAt' | 'ticketId'>, explain: () => FlippedTicket): void {
    this.total++;
    if (this.kept.length < this.max) {
      this.kept.push(explain());
      return;
    }
    // The kept ticket raised last gives way to one raised before it.
    const latest = this.kept.reduce((a, b) => (byRaise(b, a) > 0 ? b : a));
    if (byRaise(ticket, latest) < 0) this.kept[this.kept.indexOf(latest)] = explain();
  }

  list(): FlippedTicket[] {
    return [...this.kept].sort(byRaise);
  }
}

const byRaise = (a: Pick<RaisedTicket, 'raisedAt' | 'ticketId'>, b: Pick<RaisedTicket, 'raisedAt' | 'ticketId'>) =>
  a.raisedAt.localeCompare(b.raisedAt) || a.ticketId.localeCompare(b.ticketId);
