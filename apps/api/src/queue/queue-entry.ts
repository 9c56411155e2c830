import { calendarsOf, computeSlaClocks, type RaisedTicket, type SlaClock, type SlaPolicyVersion } from '@itsm/domain';
import type { TicketDoc } from '@itsm/projections';

/** A clock that runs now: open, not paused, not stopped, not superseded. */
export interface RunningClock {
  metric: SlaClock['metric'];
  cycle: number;
  priority: SlaClock['priority'];
  reference?: string;
  targetMinutes: number;
  calendarId: string;
  elapsedMinutes: number;
  percentUsed: number;
  /** Working minutes of the target's calendar left before the deadline; negative once breached. */
  remainingMinutes: number;
  deadline: string;
  state: 'running' | 'breached';
}

export interface QueueEntry {
  ticketId: string;
  kind: string;
  priority: string;
  status: string;
  title: string;
  serviceId: string;
  groupId: string | null;
  supplierId: string | null;
  raisedAt: string;
  onHold: boolean;
  atRisk: boolean;
  /** The least remaining time of its running clocks; null when none runs (on hold, no SLA). */
  remainingMinutes: number | null;
  clocks: RunningClock[];
}

/** The ticket's running clocks as they stood at `asOf`: what time alone then moves on. */
export interface RunningClocksAt {
  asOf: number;
  clocks: Array<Omit<RunningClock, 'elapsedMinutes' | 'percentUsed' | 'remainingMinutes' | 'state'> & { elapsedMs: number }>;
}

const MINUTE = 60_000;

/** The clocks running at `asOf` (computeSlaClocks, exactly as GET .../sla explains them). */
export function runningClocksAt(ticket: RaisedTicket, policy: SlaPolicyVersion | undefined, asOf: number): RunningClocksAt {
  const clocks = policy ? computeSlaClocks(ticket, policy, asOf).filter(runsAt) : [];
  return {
    asOf,
    clocks: clocks.map((c) => ({
      metric: c.metric,
      cycle: c.cycle,
      priority: c.priority,
      ...(c.reference ? { reference: c.reference } : {}),
      targetMinutes: c.targetMinutes!,
      calendarId: c.calendarId!,
      deadline: c.deadline!,
      elapsedMs: Math.round(c.elapsedMinutes * MINUTE), // whole milliseconds, as the calendars count
    })),
  };
}

/**
 * The same clocks at a later `now`, when no fact was recorded between (the ticket's revision is the
 * same and its latest fact before `asOf`): a running clock keeps running, so it has used the working
 * time of its calendar between the two instants more. Its deadline does not move.
 */
export function advanceClocks(at: RunningClocksAt, policy: SlaPolicyVersion, now: number): RunningClock[] {
  const calendars = calendarsOf(policy);
  return at.clocks.map(({ elapsedMs, ...c }) => {
    const elapsed = elapsedMs + (now > at.asOf ? calendars.get(c.calendarId)!.businessMsBetween(at.asOf, now) : 0);
    const targetMs = c.targetMinutes * MINUTE;
    return {
      ...c,
      elapsedMinutes: elapsed / MINUTE,
      percentUsed: (100 * elapsed) / targetMs,
      remainingMinutes: (targetMs - elapsed) / MINUTE,
      state: elapsed > targetMs ? 'breached' : 'running',
    };
  });
}

/**
 * A ticket as the live queue shows it: the ticket document's fields and its running clocks at now.
 *
 * At risk: a running clock has used more than the policy's first (lowest) warning threshold, so its
 * first SlaWarningRaised is due, or it is breached and still running. A paused or stopped clock is
 * not at risk now, whatever it used.
 */
export function queueEntry(doc: TicketDoc, clocks: RunningClock[], policy: SlaPolicyVersion | undefined): QueueEntry {
  const firstWarning = policy?.warningThresholdsPct.length ? Math.min(...policy.warningThresholdsPct) : undefined;
  return {
    ticketId: doc.ticketId,
    kind: doc.kind,
    priority: doc.priority,
    status: doc.status,
    title: doc.title,
    serviceId: doc.serviceId,
    groupId: doc.groupId,
    supplierId: doc.supplierId,
    raisedAt: doc.raisedAt,
    onHold: doc.status === 'on_hold',
    atRisk: clocks.some((c) => c.state === 'breached' || (firstWarning !== undefined && c.percentUsed > firstWarning)),
    remainingMinutes: clocks.length ? Math.min(...clocks.map((c) => c.remainingMinutes)) : null,
    clocks,
  };
}

/** Least remaining first; tickets with no running clock last, oldest first; then by id, so pages are stable. */
export function byLeastRemaining(a: QueueEntry, b: QueueEntry): number {
  if (a.remainingMinutes !== null && b.remainingMinutes !== null && a.remainingMinutes !== b.remainingMinutes) return a.remainingMinutes - b.remainingMinutes;
  if (a.remainingMinutes === null && b.remainingMinutes !== null) return 1;
  if (a.remainingMinutes !== null && b.remainingMinutes === null) return -1;
  return a.raisedAt.localeCompare(b.raisedAt) || (a.ticketId < b.ticketId ? -1 : a.ticketId > b.ticketId ? 1 : 0);
}

// A clock runs at `asOf` when its running periods (those begun by then) end with an open one.
const runsAt = (c: SlaClock) =>
  (c.state === 'running' || c.state === 'breached') &&
  c.stoppedAt === undefined &&
  c.targetMinutes !== undefined &&
  c.deadline !== undefined &&
  c.running.length > 0 &&
  c.running.at(-1)?.to === undefined;
