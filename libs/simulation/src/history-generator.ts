import {
  decideTicket,
  DomainError,
  evolveTicket,
  initialTicketState,
  type HoldReason,
  type Priority,
  type ResolverGroup,
  type Service,
  type SlaPolicyVersion,
  type TicketCommand,
  type TicketEvent,
  type TicketKind,
  type TicketState,
} from '@itsm/domain';
import type { Catalogue } from './demo-catalogue';
import { Random } from './prng';

export interface HistoryOptions {
  seed: number;
  tickets: number;
  /** First raise (ISO instant). */
  from: string;
  /** Raises spread over this many days; the history ends then, leaving the newest tickets open. */
  days: number;
  /** No step after this instant (ISO): raises pushed into working hours past it are dropped. */
  until?: string;
}

/** One command of one ticket, with the events the domain decided for it. */
export interface TicketStep {
  at: number;
  tenantId: string;
  ticketId: string;
  /** The step's number in its ticket's life: with the seed, a stable command id. */
  index: number;
  command: TicketCommand;
  events: TicketEvent[];
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Tenants' shares of the volume. */
const TENANT_SHARE = [
  ['CoL', 25],
  ['CoLP', 20],
  ['LBB', 20],
  ['LBL', 17],
  ['LBS', 18],
] as const;
/** The boroughs' volumes: P4 dominates (65,947 in a quarter), P3 next (1,529 a month for one borough), P1 rare. */
const PRIORITY_MIX: ReadonlyArray<readonly [Priority, number]> = [
  ['P1', 0.5],
  ['P2', 3.5],
  ['P3', 30],
  ['P4', 66],
];
const KIND_MIX: ReadonlyArray<readonly [TicketKind, number]> = [
  ['incident', 58],
  ['service_request', 40],
  ['starter_mover_leaver', 2],
];
/** Typical minutes to respond and to resolve, per priority (medians; tails are log-normal). */
const RESPOND_MEDIAN: Record<Priority, number> = { P1: 4, P2: 6, P3: 30, P4: 120 };
const RESOLVE_MEDIAN: Record<Priority, number> = { P1: 45, P2: 100, P3: 400, P4: 1500 };
const HOLD_REASONS: ReadonlyArray<readonly [HoldReason, number]> = [
  ['awaiting_customer', 55],
  ['awaiting_supplier', 30],
  ['awaiting_problem', 10],
  ['awaiting_change', 5],
];
const ROOT_CAUSES = ['configuration error', 'hardware fault', 'supplier outage', 'software defect', 'user error', 'capacity', 'expired certificate', 'power'];

/**
 * Realistic ticket lives, in the order they happen: raises spread over working hours, the boroughs'
 * priority mix, responses and resolutions mostly within target with long tails, holds, supplier
 * assignments, priority changes, outages and major incidents for P1/P2, reopens, feedback (~5%)
 * and complaints. Every command is checked by the domain's own decide function, so the history
 * is one the system could have recorded. Deterministic from the seed; memory grows with the
 * tickets open at once, not with the history.
 */
export function* generateHistory(catalogue: Catalogue, options: HistoryOptions): Generator<TicketStep> {
  const rnd = new Random(options.seed);
  const start = Date.parse(options.from);
  const span = options.days * DAY;
  const pending = new StepHeap();
  let majorIncidents = 100;
  const policies = new Map(catalogue.policies.map((p) => [p.tenantId, { ...p, version: 1 }]));
  // Raise times bunched in working hours, then sorted: lives start in time order.
  const raises = Float64Array.from({ length: options.tickets }, (_, n) =>
    workingTime(rnd, start + Math.floor(((n + rnd.next()) / options.tickets) * span)),
  ).sort();
  const until = options.until === undefined ? Infinity : Date.parse(options.until);
  for (const [n, raisedAt] of raises.entries()) {
    if (raisedAt > until) break;
    while (pending.size && pending.peek().at <= raisedAt) yield pending.pop();
    const tenantId = rnd.weighted(TENANT_SHARE.map(([t, w]) => [t, w] as const));
    const life = new Life(catalogue, rnd, tenantId, `${tenantId}-${String(n + 1).padStart(7, '0')}`, () => `MIR${++majorIncidents}`, policies);
    for (const step of life.steps(raisedAt)) pending.push(step);
  }
  // The history stops at its horizon: what would happen later has not happened yet.
  const horizon = Math.min(until, Math.max(start + span, raises[raises.length - 1] ?? start));
  while (pending.size && pending.peek().at <= horizon) yield pending.pop();
}

/** Moves an instant into working hours (Mon–Fri 08:00–18:00 UTC-ish) four times in five. */
function workingTime(rnd: Random, at: number): number {
  if (rnd.chance(0.2)) return at;
  const d = new Date(at);
  const dow = d.getUTCDay();
  if (dow === 0 || dow === 6) d.setUTCDate(d.getUTCDate() + (dow === 6 ? 2 : 1));
  const hour = d.getUTCHours();
  if (hour < 8 || hour >= 18) d.setUTCHours(8 + rnd.int(0, 9), rnd.int(0, 59));
  return Math.max(d.getTime(), at);
}

/** One ticket: proposes commands and keeps those the domain accepts. */
class Life {
  private state: TicketState = initialTicketState();
  private readonly out: TicketStep[] = [];
  private readonly services: Service[];
  private readonly groups: ResolverGroup[];
  private readonly policy: SlaPolicyVersion | undefined;

  constructor(
    private readonly catalogue: Catalogue,
    private readonly rnd: Random,
    private readonly tenantId: string,
    private readonly ticketId: string,
    private readonly nextMajorIncident: () => string,
    policies: Map<string, SlaPolicyVersion>,
  ) {
    this.services = catalogue.services.filter((s) => s.tenantIds.includes(tenantId));
    this.groups = catalogue.groups.filter((g) => g.tenantIds.includes(tenantId));
    this.policy = policies.get(tenantId);
  }

  steps(raisedAt: number): TicketStep[] {
    const { rnd } = this;
    const priority = rnd.weighted(PRIORITY_MIX);
    const kind: TicketKind = priority === 'P1' || priority === 'P2' ? 'incident' : rnd.weighted(KIND_MIX);
    const critical = this.services.filter((s) => s.critical);
    const service = priority === 'P1' && critical.length ? rnd.pick(critical) : rnd.pick(this.services);
    const desk = this.groups.find((g) => g.serviceDesk)!;
    const resolvers = this.groups.filter((g) => !g.serviceDesk);
    let at = raisedAt;
    const iso = () => new Date(at).toISOString();
    this.apply(
      at,
      {
        type: 'RaiseTicket',
        ticketId: this.ticketId,
        tenantId: this.tenantId,
        kind,
        priority,
        serviceId: service.serviceId,
        title: `${service.name}: ${kind === 'incident' ? 'not working' : 'request'}`,
        description: 'generated',
        reporter: `user${rnd.int(1, 5000)}`,
        channel: rnd.weighted([
          ['phone', 35],
          ['email', 25],
          ['portal', 30],
          ['walk_in', 3],
          ['chat', 5],
          ['monitoring', 2],
        ]),
        occurredAt: iso(),
      },
      service,
    );

    at += Math.max(1, rnd.logNormal(RESPOND_MEDIAN[priority], 0.7)) * MIN;
    this.apply(at, { type: 'RespondToTicket', respondedBy: `agent${rnd.int(1, 40)}`, occurredAt: iso() });
    // Most incidents are fixed by the desk itself (SD2's goal is over 87.5%); P1/P2 go to resolvers.
    const firstLine = priority === 'P1' || priority === 'P2' ? false : kind === 'incident' ? rnd.chance(0.85) : rnd.chance(0.5);
    const group = firstLine ? desk : rnd.pick(resolvers);
    const supplierId = !firstLine && service.supplierId && rnd.chance(0.5) ? service.supplierId : undefined;
    at += rnd.int(1, 20) * MIN;
    this.apply(at, { type: 'AssignTicket', groupId: group.groupId, ...(supplierId ? { supplierId } : {}), occurredAt: iso() }, undefined, group);
    if (rnd.chance(0.06)) {
      at += rnd.int(5, 120) * MIN;
      const other = rnd.pick((['P2', 'P3', 'P4'] as Priority[]).filter((p) => p !== this.priority(priority)));
      this.apply(at, { type: 'ChangeTicketPriority', priority: other, reason: 'impact reassessed', occurredAt: iso() });
    }
    const p = this.priority(priority);
    let work = Math.max(5, rnd.logNormal(RESOLVE_MEDIAN[p], 0.8)) * MIN;
    if (p === 'P1' && rnd.chance(0.2)) {
      this.apply(at + MIN, {
        type: 'DeclareMajorIncident',
        reference: this.nextMajorIncident(),
        tenantsAffected: [this.tenantId],
        trigger: rnd.pick(['multi_tenant_outage', 'several_p1s', 'p1_at_75_percent_of_sla'] as const),
        description: `${service.name} unavailable`,
        occurredAt: new Date(at + MIN).toISOString(),
      });
      at += MIN;
    }
    if (rnd.chance(0.25)) {
      at += work * rnd.next() * 0.5;
      // Most holds last hours; one in twelve waits on a problem or change for weeks (the aged backlog).
      const stalled = rnd.chance(1 / 12);
      this.apply(at, {
        type: 'PutTicketOnHold',
        reason: stalled ? rnd.pick(['awaiting_problem', 'awaiting_change'] as const) : rnd.weighted(HOLD_REASONS),
        occurredAt: iso(),
      });
      at += (stalled ? rnd.int(30, 120) * 24 * 60 : Math.max(10, rnd.logNormal(8 * 60, 1.2))) * MIN;
      this.apply(at, { type: 'ResumeTicket', occurredAt: iso() });
      work *= 0.5;
    }
    const outageFrom = raisedAt;
    at += work;
    const resolvedBy = firstLine ? desk : group;
    this.apply(
      at,
      {
        type: 'ResolveTicket',
        resolutionCode: 'fixed',
        rootCause: rnd.pick(ROOT_CAUSES),
        resolution: 'service restored',
        resolvedByGroupId: resolvedBy.groupId,
        firstLineFix: firstLine,
        occurredAt: iso(),
      },
      undefined,
      resolvedBy,
    );
    if ((p === 'P1' || p === 'P2') && kind === 'incident') {
      at += rnd.int(1, 30) * MIN;
      this.apply(
        at,
        {
          type: 'RecordOutage',
          serviceId: service.serviceId,
          from: new Date(outageFrom).toISOString(),
          to: new Date(at - MIN).toISOString(),
          occurredAt: iso(),
        },
        service,
      );
    }
    if (rnd.chance(0.04)) {
      at += rnd.int(60, 3 * 24 * 60) * MIN;
      this.apply(at, { type: 'ReopenTicket', reason: 'fault returned', occurredAt: iso() });
      at += Math.max(10, rnd.logNormal(RESOLVE_MEDIAN[p], 1.0)) * MIN;
      this.apply(
        at,
        {
          type: 'ResolveTicket',
          resolutionCode: 'fixed',
          rootCause: rnd.pick(ROOT_CAUSES),
          resolution: 'fixed again',
          resolvedByGroupId: resolvedBy.groupId,
          firstLineFix: false,
          occurredAt: iso(),
        },
        undefined,
        resolvedBy,
      );
    }
    if (rnd.chance(0.05)) {
      at += rnd.int(10, 2 * 24 * 60) * MIN;
      const satisfaction = rnd.weighted([
        [5, 40],
        [4, 26],
        [3, 20],
        [2, 8],
        [1, 6],
      ] as const);
      // Recommendation follows satisfaction: the split (66/20/14) and NPS (≈ 50–60) of the committees' reports.
      const nps = satisfaction === 5 ? rnd.int(9, 10) : satisfaction === 4 ? rnd.int(8, 10) : satisfaction === 3 ? rnd.int(7, 8) : rnd.int(0, 6);
      this.apply(at, { type: 'RecordFeedback', satisfaction, nps, occurredAt: iso() });
    }
    if (rnd.chance(0.005)) {
      at += rnd.int(10, 24 * 60) * MIN;
      this.apply(at, { type: 'RecordComplaint', description: 'slow to fix', occurredAt: iso() });
    }
    if (rnd.chance(0.7)) {
      at += rnd.int(60, 2 * 24 * 60) * MIN;
      this.apply(at, { type: 'CloseTicket', occurredAt: iso() });
    }
    return this.out;
  }

  private priority(fallback: Priority): Priority {
    return this.state.raised ? this.state.priority : fallback;
  }

  /** Decides the command as the system would at that moment; a refused command is left out of the history. */
  private apply(at: number, command: TicketCommand, service?: Service, group?: ResolverGroup): void {
    const ctx = {
      now: new Date(at).toISOString(),
      tenant: this.catalogue.tenants.find((t) => t.tenantId === this.tenantId),
      service:
        service ?? (this.state.raised ? this.catalogue.services.find((s) => s.serviceId === (this.state as { serviceId?: string }).serviceId) : undefined),
      group,
      supplier: 'supplierId' in command && command.supplierId ? this.catalogue.suppliers.find((s) => s.supplierId === command.supplierId) : undefined,
      knownTenantIds: new Set(this.catalogue.tenants.map((t) => t.tenantId)),
      slaPolicy: this.policy,
    };
    let events: TicketEvent[];
    try {
      events = decideTicket(command, this.state, ctx);
    } catch (error) {
      if (error instanceof DomainError) return;
      throw error;
    }
    this.state = events.reduce(evolveTicket, this.state);
    this.out.push({ at, tenantId: this.tenantId, ticketId: this.ticketId, index: this.out.length, command, events });
  }
}

/** A binary min-heap of steps by time (ties: the earlier-pushed first), for merging lives in time order. */
class StepHeap {
  private readonly items: Array<{ step: TicketStep; seq: number }> = [];
  private seq = 0;
  get size() {
    return this.items.length;
  }
  peek(): TicketStep {
    return this.entry(0).step;
  }
  push(step: TicketStep): void {
    const a = this.items;
    a.push({ step, seq: this.seq++ });
    for (let i = a.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  pop(): TicketStep {
    const a = this.items;
    const top = this.entry(0).step;
    const last = a.pop();
    if (last && a.length) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(l, m)) m = l;
        if (r < a.length && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
  /** Entry i; callers only pass indices below size. */
  private entry(i: number): { step: TicketStep; seq: number } {
    const e = this.items[i];
    if (!e) throw new Error(`Step heap has no entry ${i} (size ${this.items.length})`);
    return e;
  }
  private swap(i: number, j: number): void {
    const x = this.entry(i);
    this.items[i] = this.entry(j);
    this.items[j] = x;
  }
  private less(i: number, j: number): boolean {
    const x = this.entry(i);
    const y = this.entry(j);
    return x.step.at < y.step.at || (x.step.at === y.step.at && x.seq < y.seq);
  }
}
