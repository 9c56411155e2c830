import type { Priority } from '../catalogue/priority';
import type { HoldReason } from '../ticket/ticket.events';
import type { RaisedTicket } from '../ticket/ticket.state';
import type { BusinessCalendar } from './business-calendar';
import { calendarsOf, targetFor, type SlaMetric, type SlaPolicyVersion } from './sla-policy';

export type SlaClockState = 'running' | 'paused' | 'met' | 'breached' | 'cancelled';

export interface SlaCrossing {
  /** metric/cycle/priority/threshold: one warning per threshold, one breach per clock cycle and priority. */
  key: string;
  kind: 'warning' | 'breach';
  thresholdPct: number;
  priority: Priority;
  targetMinutes: number;
  reference?: string;
  /** The instant the clock first went past the threshold (may lie in the future for a running clock). */
  at: string;
}

/** One clock, explained: everything needed to check its figure by hand. */
export interface SlaClock {
  metric: SlaMetric;
  cycle: number;
  priority: Priority;
  reference?: string;
  targetMinutes?: number;
  goalPct?: number;
  calendarId?: string;
  startedAt: string;
  stoppedAt?: string;
  /** Real-time periods the clock ran (ticket open and not paused). */
  running: Array<{ from: string; to?: string }>;
  pauses: Array<{ from: string; to?: string; reason: HoldReason }>;
  elapsedMinutes: number;
  /** The instant the time used reaches the target; absent while paused short of it. */
  deadline?: string;
  percentUsed?: number;
  state: SlaClockState;
  crossings: SlaCrossing[];
}

export interface SupplierClock {
  supplierId: string;
  running: Array<{ from: string; to?: string }>;
  elapsedMinutes: number;
  state: 'running' | 'paused' | 'stopped';
}

type Interval = [number, number]; // [from, to) in epoch ms; to may be Infinity
const MINUTE = 60_000;
const ms = (iso: string) => Date.parse(iso);
const iso = (n: number) => new Date(n).toISOString();

/**
 * The SLA clocks of a ticket, folded from its timeline under the policy version it was raised
 * under, as they stand at `asOf` (the ticket must be folded from facts up to asOf).
 *
 * Definitions (documented in README.md):
 * - a clock runs while its window is open (raise → first response or resolution for response;
 *   raise → resolution, and reopen → resolution again, for resolution) and no pausing hold is on;
 * - elapsed is the working time of the target's calendar inside the running periods; after a
 *   priority change the new target and its calendar are applied from the original start;
 * - met: stopped with elapsed ≤ target; breached: elapsed > target. A threshold is crossed at
 *   the first instant the time used exceeds it, and at the change itself when a priority change
 *   puts the clock past it.
 */
export function computeSlaClocks(ticket: RaisedTicket, policy: SlaPolicyVersion, asOf: number): SlaClock[] {
  const calendars = calendarsOf(policy);
  const pausing = ticket.timeline.holds.filter((h) => policy.rules.holds[h.reason].pausesTenantClocks);
  const pauses: Interval[] = pausing.map((h) => [ms(h.from), h.to ? ms(h.to) : Infinity]);
  const clocks: SlaClock[] = [];
  for (const metric of ['response', 'resolution'] as const) {
    if (!policy.targets.some((t) => t.kind === ticket.kind && t.metric === metric)) continue;
    for (const cycle of cyclesOf(ticket, policy, metric)) {
      clocks.push(clockOf(ticket, policy, calendars, metric, cycle, pauses, pausing, asOf));
    }
  }
  return clocks;
}

interface Cycle {
  number: number;
  /** Span of the cycle: the first window's start and the last window's end. */
  start: number;
  end: number;
  windows: Interval[];
  /** Stopped by a response or resolution (not by a restart). */
  stopped: boolean;
  /** Ended because a priority change restarted the clock. */
  superseded: boolean;
}

/** Splits the metric's open windows into clock cycles according to the reopen and priority rules. */
function cyclesOf(ticket: RaisedTicket, policy: SlaPolicyVersion, metric: SlaMetric): Cycle[] {
  const raisedAt = ms(ticket.raisedAt);
  const tl = ticket.timeline;
  let windows: Array<{ from: number; to: number; freshCycle: boolean }>;
  if (metric === 'response') {
    const stops = [ticket.respondedAt, tl.resolutions[0]?.resolvedAt].filter((x): x is string => !!x).map(ms);
    windows = [{ from: raisedAt, to: stops.length ? Math.min(...stops) : Infinity, freshCycle: true }];
  } else {
    windows = [{ from: raisedAt, to: tl.resolutions[0] ? ms(tl.resolutions[0].resolvedAt) : Infinity, freshCycle: true }];
    tl.resolutions.forEach((r, i) => {
      if (!r.reopenedAt) return;
      const next = tl.resolutions[i + 1];
      windows.push({ from: ms(r.reopenedAt), to: next ? ms(next.resolvedAt) : Infinity, freshCycle: policy.rules.reopen === 'restart' });
    });
  }
  const restarts = policy.rules.priorityChange === 'restart' ? tl.priorities.slice(1).map((p) => ms(p.at)) : [];
  const cycles: Cycle[] = [];
  for (const w of windows) {
    const cuts = restarts.filter((c) => c > w.from && c < w.to);
    const ends = [...cuts, w.to];
    let from = w.from;
    for (const [i, to] of ends.entries()) {
      const piece: Interval = [from, to];
      from = to;
      // The window's first piece continues the previous cycle unless the window starts a fresh one.
      let current = i === 0 && !w.freshCycle ? cycles.at(-1) : undefined;
      if (current) {
        current.windows.push(piece);
        current.end = to;
      } else {
        current = { number: cycles.length, start: piece[0], end: to, windows: [piece], stopped: false, superseded: false };
        cycles.push(current);
      }
      current.superseded = i < ends.length - 1;
      current.stopped = !current.superseded && Number.isFinite(to);
    }
  }
  return cycles;
}

function clockOf(
  ticket: RaisedTicket,
  policy: SlaPolicyVersion,
  calendars: Map<string, BusinessCalendar>,
  metric: SlaMetric,
  cycle: Cycle,
  pauses: Interval[],
  pausing: RaisedTicket['timeline']['holds'],
  asOf: number,
): SlaClock {
  const { start, end } = cycle;
  const running = subtract(cycle.windows, pauses);
  const { periods, final } = priorityPeriods(ticket, start, end);
  const target = targetFor(policy, ticket.kind, final.priority, metric);
  const calendar = target ? calendars.get(target.calendarId)! : undefined;
  const until = Math.min(asOf, end);
  const elapsedMs = calendar ? elapsed(calendar, running, until) : 0;
  const crossings: SlaCrossing[] = [];
  for (const p of periods) {
    const t = targetFor(policy, ticket.kind, p.priority, metric);
    if (!t) continue;
    const cal = calendars.get(t.calendarId)!;
    for (const thresholdPct of [...policy.warningThresholdsPct, 100]) {
      const at = firstInstantExceeding(cal, running, (thresholdPct / 100) * t.targetMinutes * MINUTE, p.from, p.to);
      if (at === undefined) continue;
      crossings.push({
        key: `${metric}/${cycle.number}/${p.priority}/${thresholdPct}`,
        kind: thresholdPct === 100 ? 'breach' : 'warning',
        thresholdPct,
        priority: p.priority,
        targetMinutes: t.targetMinutes,
        ...(t.reference ? { reference: t.reference } : {}),
        at: iso(at),
      });
    }
  }
  const targetMs = target ? target.targetMinutes * MINUTE : undefined;
  const deadline = calendar && targetMs !== undefined ? instantReaching(calendar, running, targetMs, cycle.stopped ? end : undefined) : undefined;
  const pausedNow = pauses.some(([a, b]) => a <= asOf && asOf < b) && !(cycle.stopped && end <= asOf);
  let state: SlaClockState;
  if (cycle.superseded || targetMs === undefined) state = 'cancelled';
  else if (elapsedMs > targetMs) state = 'breached';
  else if (cycle.stopped && end <= asOf) state = 'met';
  else state = pausedNow ? 'paused' : 'running';
  const cyclePauses = pausing.filter((h) => ms(h.from) < end && (h.to === undefined || ms(h.to) > start));
  return {
    metric,
    cycle: cycle.number,
    priority: final.priority,
    ...(target?.reference ? { reference: target.reference } : {}),
    ...(target ? { targetMinutes: target.targetMinutes, goalPct: target.goalPct, calendarId: target.calendarId } : {}),
    startedAt: iso(start),
    ...(cycle.stopped && end <= asOf ? { stoppedAt: iso(end) } : {}),
    running: running.filter(([a]) => a < asOf).map(([a, b]) => (b <= asOf ? { from: iso(a), to: iso(b) } : { from: iso(a) })),
    pauses: cyclePauses.map((h) => ({ from: iso(ms(h.from)), ...(h.to ? { to: iso(ms(h.to)) } : {}), reason: h.reason })),
    elapsedMinutes: elapsedMs / MINUTE,
    ...(deadline !== undefined ? { deadline: iso(deadline) } : {}),
    ...(targetMs ? { percentUsed: (100 * elapsedMs) / targetMs } : {}),
    state,
    crossings,
  };
}

/** Supplier clocks: run while the ticket is with that supplier, open, and not on a hold that pauses them. */
export function computeSupplierClocks(ticket: RaisedTicket, policy: SlaPolicyVersion | undefined, asOf: number, calendar?: BusinessCalendar): SupplierClock[] {
  const tl = ticket.timeline;
  const open = resolutionWindows(ticket);
  const holds: Interval[] = tl.holds
    .filter((h) => (policy ? policy.rules.holds[h.reason].pausesSupplierClock : h.reason !== 'awaiting_supplier'))
    .map((h) => [ms(h.from), h.to ? ms(h.to) : Infinity]);
  const bySupplier = new Map<string, Interval[]>();
  tl.assignments.forEach((a, i) => {
    if (!a.supplierId) return;
    const next = tl.assignments[i + 1];
    const to = next ? ms(next.at) : Infinity;
    bySupplier.set(a.supplierId, [...(bySupplier.get(a.supplierId) ?? []), [ms(a.at), to]]);
  });
  return [...bySupplier].map(([supplierId, assigned]) => {
    const running = subtract(intersect(assigned, open), holds);
    const elapsedMs = calendar ? elapsed(calendar, running, asOf) : running.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, asOf) - a), 0);
    const runningNow = running.some(([a, b]) => a <= asOf && asOf < b);
    const assignedNow = intersect(assigned, open).some(([a, b]) => a <= asOf && asOf < b);
    return {
      supplierId,
      running: running.filter(([a]) => a < asOf).map(([a, b]) => (b <= asOf ? { from: iso(a), to: iso(b) } : { from: iso(a) })),
      elapsedMinutes: elapsedMs / MINUTE,
      state: runningNow ? 'running' : assignedNow ? 'paused' : 'stopped',
    };
  });
}

function resolutionWindows(ticket: RaisedTicket): Interval[] {
  const tl = ticket.timeline;
  const resolvedAt = (i: number) => {
    const resolution = tl.resolutions[i];
    return resolution ? ms(resolution.resolvedAt) : Infinity;
  };
  const windows: Interval[] = [[ms(ticket.raisedAt), resolvedAt(0)]];
  tl.resolutions.forEach((r, i) => {
    if (r.reopenedAt) windows.push([ms(r.reopenedAt), resolvedAt(i + 1)]);
  });
  return windows;
}

interface PriorityPeriod {
  priority: Priority;
  from: number;
  to: number;
}

/**
 * Priority periods covering [start, end): the priority in force at start, then each change;
 * `final` is the last of them, in force at `end`.
 */
function priorityPeriods(ticket: RaisedTicket, start: number, end: number): { periods: PriorityPeriod[]; final: PriorityPeriod } {
  const changes = ticket.timeline.priorities;
  const [raised] = changes;
  if (!raised) throw new Error(`Ticket ${ticket.ticketId} has no priority in its timeline`);
  let current = raised.priority;
  for (const c of changes) if (ms(c.at) <= start) current = c.priority;
  const periods: PriorityPeriod[] = [];
  let from = start;
  for (const c of changes) {
    const at = ms(c.at);
    if (at > start && at < end) {
      periods.push({ priority: current, from, to: at });
      current = c.priority;
      from = at;
    }
  }
  const final = { priority: current, from, to: end };
  periods.push(final);
  return { periods, final };
}

/** Working time of the calendar inside the running intervals, up to `until`. */
function elapsed(calendar: BusinessCalendar, running: Interval[], until: number): number {
  let total = 0;
  for (const [a, b] of running) {
    if (a >= until) break;
    total += calendar.businessMsBetween(a, Math.min(b, until));
  }
  return total;
}

/**
 * The first instant in [from, to) at which the working time used exceeds `amount`: the start of the
 * period if it is already exceeded then, else the first working instant after it is reached.
 */
function firstInstantExceeding(calendar: BusinessCalendar, running: Interval[], amount: number, from: number, to: number): number | undefined {
  const atFrom = elapsed(calendar, running, from);
  if (atFrom > amount) return from;
  let used = atFrom;
  for (const [a, b] of running) {
    const s = Math.max(a, from);
    const e = Math.min(b, to);
    if (e <= s) continue;
    const reached = calendar.addBusinessMs(s, amount - used);
    const exceeded = calendar.nextWorkingInstant(reached);
    if (exceeded < e) return exceeded;
    used += calendar.businessMsBetween(s, e);
  }
  return undefined;
}

/**
 * The instant at which the working time used reaches `amount` (the deadline). A clock stopped short
 * of it shows where it would have been, counted on from the stop; a paused one has none.
 */
function instantReaching(calendar: BusinessCalendar, running: Interval[], amount: number, stoppedAt?: number): number | undefined {
  let used = 0;
  for (const [a, b] of running) {
    const reached = calendar.addBusinessMs(a, amount - used);
    if (reached <= b) return reached;
    used += calendar.businessMsBetween(a, b);
  }
  return stoppedAt === undefined ? undefined : calendar.addBusinessMs(stoppedAt, amount - used);
}

/** Interval difference: the parts of `base` not covered by `cut` (both sorted). */
function subtract(base: Interval[], cut: Interval[]): Interval[] {
  let out = base;
  for (const [c0, c1] of cut) {
    out = out.flatMap(([a, b]): Interval[] => {
      if (c1 <= a || c0 >= b) return [[a, b]];
      const parts: Interval[] = [];
      if (c0 > a) parts.push([a, c0]);
      if (c1 < b) parts.push([c1, b]);
      return parts;
    });
  }
  return out;
}

function intersect(xs: Interval[], ys: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const [a, b] of xs) for (const [c, d] of ys) if (Math.max(a, c) < Math.min(b, d)) out.push([Math.max(a, c), Math.min(b, d)]);
  return out.sort((p, q) => p[0] - q[0]);
}
