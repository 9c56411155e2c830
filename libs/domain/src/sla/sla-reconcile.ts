import type { SlaEvent } from '../ticket/ticket.events';
import type { RaisedTicket } from '../ticket/ticket.state';
import { computeSlaClocks } from './sla-clock';
import type { SlaPolicyVersion } from './sla-policy';

/**
 * The SLA facts a ticket's other facts call for by `now`: a SlaWarningRaised or SlaBreached, dated at
 * the crossing, for each threshold passed and not yet recorded; and a SlaEventRetracted for each one
 * recorded earlier that later, back-dated facts show did not happen then. Idempotent: once the
 * result is appended, the same call returns nothing.
 */
export function reconcileSla(ticket: RaisedTicket, policy: SlaPolicyVersion, now: number): SlaEvent[] {
  const due = computeSlaClocks(ticket, policy, now)
    .flatMap((c) => c.crossings.map((x) => ({ ...x, metric: c.metric, cycle: c.cycle })))
    .filter((x) => Date.parse(x.at) < now);
  const id = (key: string, at: string) => `${key}@${at}`;
  const dueIds = new Set(due.map((d) => id(d.key, d.at)));
  const live = ticket.sla.filter(isLiveSlaRecord);
  const liveIds = new Set(live.map((r) => id(r.key, r.at)));
  const occurredAt = new Date(now).toISOString();
  const retractions: SlaEvent[] = live
    .filter((r) => !dueIds.has(id(r.key, r.at)))
    .map((r) => ({
      type: 'SlaEventRetracted',
      data: { key: r.key, retractedOccurredAt: r.at, reason: 'facts recorded since show the clock was not past this threshold then', occurredAt },
    }));
  const records: SlaEvent[] = due
    .filter((d) => !liveIds.has(id(d.key, d.at)))
    .sort((a, b) => a.at.localeCompare(b.at) || a.thresholdPct - b.thresholdPct)
    .map((d) => {
      const common = {
        key: d.key,
        metric: d.metric,
        cycle: d.cycle,
        priority: d.priority,
        targetMinutes: d.targetMinutes,
        ...(d.reference ? { reference: d.reference } : {}),
        occurredAt: d.at,
      };
      return d.kind === 'breach'
        ? { type: 'SlaBreached' as const, data: common }
        : { type: 'SlaWarningRaised' as const, data: { ...common, thresholdPct: d.thresholdPct } };
    });
  return [...retractions, ...records];
}

/**
 * When the ticket next needs the timer: the earliest crossing not yet recorded, or the automatic
 * close (resolution + autoCloseDays). Undefined when nothing is pending.
 */
export function nextDueAt(ticket: RaisedTicket, policy: SlaPolicyVersion | undefined, autoCloseDays: number | undefined, now: number): number | undefined {
  const candidates: number[] = [];
  if (policy && ticket.status !== 'closed') {
    const recorded = new Set(ticket.sla.filter(isLiveSlaRecord).map((r) => `${r.key}@${r.at}`));
    for (const c of computeSlaClocks(ticket, policy, now)) {
      for (const x of c.crossings) if (!recorded.has(`${x.key}@${x.at}`)) candidates.push(Date.parse(x.at) + 1);
    }
  }
  if (ticket.status === 'resolved' && autoCloseDays !== undefined && ticket.resolvedAt) {
    candidates.push(Date.parse(ticket.resolvedAt) + autoCloseDays * 86_400_000);
  }
  return candidates.length ? Math.min(...candidates) : undefined;
}

/** A warning or breach still standing. Escalations share the list but are the escalation reconcile's (escalation-reconcile.ts). */
const isLiveSlaRecord = (r: RaisedTicket['sla'][number]) => !r.retracted && r.kind !== 'escalation';
