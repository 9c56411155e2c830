import type { EscalationTriggered, SlaEventRetracted } from '../ticket/ticket.events';
import type { RaisedTicket } from '../ticket/ticket.state';
import { computeSlaClocks } from './sla-clock';
import { escalationPolicyInForce, type EscalationPolicyState, type EscalationRule } from './escalation-policy';
import type { SlaPolicyVersion } from './sla-policy';

/**
 * Escalations are recorded beside the ticket's warnings and breaches (`RaisedTicket.sla`, kind
 * `escalation`) under keys of their own, so a retraction of one never touches the other.
 */
export const ESCALATION_KEY_PREFIX = 'escalation/';
export const isEscalationKey = (key: string) => key.startsWith(ESCALATION_KEY_PREFIX);

interface EscalationCrossing {
  /** escalation/metric/cycle/priority/atPercent */
  key: string;
  metric: EscalationRule['metric'];
  cycle: number;
  priority: EscalationRule['priority'];
  atPercent: number;
  targetMinutes: number;
  reference?: string;
  at: string;
}

/**
 * The escalations a ticket's facts call for by `now`, and the withdrawal of those recorded that later,
 * back-dated facts show did not happen then. Which rules apply: the escalation policy version in
 * force at the crossing instant (a rule changed today escalates what crosses from today on; an
 * escalation already recorded keeps the version that called for it). Idempotent: once the result is
 * appended, the same call returns nothing.
 */
export function reconcileEscalations(
  ticket: RaisedTicket,
  slaPolicy: SlaPolicyVersion,
  escalations: EscalationPolicyState,
  now: number,
): Array<EscalationTriggered | SlaEventRetracted> {
  const crossings = escalationCrossings(ticket, slaPolicy, escalations, now);
  if (crossings === undefined) return [];
  const happened = crossings.filter((c) => Date.parse(c.at) < now);
  const happenedIds = new Set(happened.map((c) => id(c.key, c.at)));
  const live = liveEscalations(ticket);
  const liveIds = new Set(live.map((r) => id(r.key, r.at)));
  const occurredAt = new Date(now).toISOString();
  const retractions: SlaEventRetracted[] = live
    .filter((r) => !happenedIds.has(id(r.key, r.at)))
    .map((r) => ({
      type: 'SlaEventRetracted',
      data: { key: r.key, retractedOccurredAt: r.at, reason: 'facts recorded since show the clock had not crossed this escalation threshold then', occurredAt },
    }));
  const triggered: EscalationTriggered[] = [];
  for (const c of happened.sort((a, b) => a.at.localeCompare(b.at) || a.atPercent - b.atPercent)) {
    if (liveIds.has(id(c.key, c.at))) continue;
    const applies = ruleFor(c, ticket, escalations);
    if (!applies) continue;
    triggered.push({
      type: 'EscalationTriggered',
      data: {
        ticketId: ticket.ticketId,
        key: c.key,
        metric: c.metric,
        cycle: c.cycle,
        priority: c.priority,
        atPercent: c.atPercent,
        targetMinutes: c.targetMinutes,
        ...(c.reference ? { reference: c.reference } : {}),
        notify: [...applies.rule.notify],
        policyVersion: applies.version,
        occurredAt: c.at,
      },
    });
  }
  return [...retractions, ...triggered];
}

/**
 * When the ticket next needs the timer for its escalations: now when a recorded one must be
 * withdrawn, else just after the earliest crossing a rule calls for that is not yet recorded.
 */
export function nextEscalationDueAt(ticket: RaisedTicket, slaPolicy: SlaPolicyVersion, escalations: EscalationPolicyState, now: number): number | undefined {
  const crossings = escalationCrossings(ticket, slaPolicy, escalations, now);
  if (crossings === undefined) return undefined;
  const happenedIds = new Set(crossings.filter((c) => Date.parse(c.at) < now).map((c) => id(c.key, c.at)));
  const live = liveEscalations(ticket);
  if (live.some((r) => !happenedIds.has(id(r.key, r.at)))) return now;
  const liveIds = new Set(live.map((r) => id(r.key, r.at)));
  let next: number | undefined;
  for (const c of crossings) {
    if (liveIds.has(id(c.key, c.at)) || !ruleFor(c, ticket, escalations)) continue;
    const due = Date.parse(c.at) + 1;
    if (next === undefined || due < next) next = due;
  }
  return next;
}

const id = (key: string, at: string) => `${key}@${at}`;
const liveEscalations = (ticket: RaisedTicket) => ticket.sla.filter((r) => r.kind === 'escalation' && !r.retracted);

function ruleFor(c: EscalationCrossing, ticket: RaisedTicket, escalations: EscalationPolicyState): { rule: EscalationRule; version: number } | undefined {
  const version = escalationPolicyInForce(escalations, Date.parse(c.at));
  const rule = version?.rules.find((r) => r.kind === ticket.kind && r.priority === c.priority && r.metric === c.metric && r.atPercent === c.atPercent);
  return rule && version ? { rule, version: version.version } : undefined;
}

/**
 * Every instant the ticket's clocks cross a percentage some rule (of any version) or some recorded
 * escalation names, past or future; undefined when none is named. The crossings are the SLA clocks'
 * own (computeSlaClocks, with these percentages as its thresholds), so an escalation at 75% is dated
 * exactly as the 75% warning.
 */
function escalationCrossings(
  ticket: RaisedTicket,
  slaPolicy: SlaPolicyVersion,
  escalations: EscalationPolicyState,
  now: number,
): EscalationCrossing[] | undefined {
  const percents = new Set<number>();
  for (const v of escalations.versions) for (const r of v.rules) if (r.kind === ticket.kind) percents.add(r.atPercent);
  for (const r of liveEscalations(ticket)) percents.add(Number(r.key.slice(r.key.lastIndexOf('/') + 1)));
  if (percents.size === 0) return undefined;
  const out = new Map<string, EscalationCrossing>();
  for (const clock of computeSlaClocks(
    ticket,
    withThresholds(
      slaPolicy,
      [...percents].sort((a, b) => a - b),
    ),
    now,
  )) {
    for (const x of clock.crossings) {
      if (!percents.has(x.thresholdPct)) continue;
      const key = `${ESCALATION_KEY_PREFIX}${x.key}`;
      out.set(key, {
        key,
        metric: clock.metric,
        cycle: clock.cycle,
        priority: x.priority,
        atPercent: x.thresholdPct,
        targetMinutes: x.targetMinutes,
        ...(x.reference ? { reference: x.reference } : {}),
        at: x.at,
      });
    }
  }
  return [...out.values()];
}

/**
 * The SLA policy with the escalation percentages as its thresholds: the clocks then compute their
 * crossings. Kept per policy object and percentages, so its calendars are built once.
 */
function withThresholds(policy: SlaPolicyVersion, percents: number[]): SlaPolicyVersion {
  let byPercents = derived.get(policy);
  if (!byPercents) derived.set(policy, (byPercents = new Map<string, SlaPolicyVersion>()));
  const key = percents.join(',');
  let found = byPercents.get(key);
  if (!found) {
    if (byPercents.size >= 100) byPercents.clear(); // bounded: a tenant's rules name few percentages
    byPercents.set(key, (found = { ...policy, warningThresholdsPct: percents }));
  }
  return found;
}
const derived = new WeakMap<SlaPolicyVersion, Map<string, SlaPolicyVersion>>();
