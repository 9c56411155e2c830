import { PRIORITIES, type Priority } from '../catalogue/priority';
import type { Decider } from '../shared/decider';
import { conflict, invalid } from '../shared/domain-error';
import type { DomainEvent } from '../shared/event';
import { parseInstant, toIso } from '../shared/instant';
import { HOLD_REASONS, TICKET_KINDS, type HoldReason, type TicketKind } from '../ticket/ticket.events';
import { BusinessCalendar, validateCalendar, type CalendarDefinition } from './business-calendar';

export const SLA_METRICS = ['response', 'resolution'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

/** "goalPct % of <kind> <priority> tickets within targetMinutes of <calendar> time", e.g. IM1. */
export interface SlaTarget {
  kind: TicketKind;
  priority: Priority;
  metric: SlaMetric;
  targetMinutes: number;
  calendarId: string;
  goalPct: number;
  /** The committee's reference code: SD3, IM1, SRM1 ... */
  reference?: string;
}

/** Which clocks a hold stops. */
export interface HoldRule {
  pausesTenantClocks: boolean;
  pausesSupplierClock: boolean;
}

export interface SlaRules {
  /** keep_elapsed (default): the new priority's target, measured from the original start, keeping pauses already accrued. restart: a fresh clock from the change. */
  priorityChange: 'keep_elapsed' | 'restart';
  /** resume (default): the resolution clock resumes where it stopped; time spent resolved does not count. restart: a fresh clock from the reopen. */
  reopen: 'resume' | 'restart';
  holds: Record<HoldReason, HoldRule>;
}

export interface SlaPolicyVersion {
  tenantId: string;
  version: number;
  /** Tickets raised at or after this instant (and before the next version) are measured by this version. */
  effectiveFrom: string;
  name: string;
  calendars: CalendarDefinition[];
  targets: SlaTarget[];
  rules: SlaRules;
  /** Percentages of a target at which SlaWarningRaised is recorded; 100 is always the breach. */
  warningThresholdsPct: number[];
}

/**
 * Defaults: awaiting the customer (or a problem or change record) pauses every clock;
 * awaiting a supplier does not pause the tenant's clocks, but the supplier's own clock runs.
 */
export const DEFAULT_SLA_RULES: SlaRules = {
  priorityChange: 'keep_elapsed',
  reopen: 'resume',
  holds: {
    awaiting_customer: { pausesTenantClocks: true, pausesSupplierClock: true },
    awaiting_supplier: { pausesTenantClocks: false, pausesSupplierClock: false },
    awaiting_problem: { pausesTenantClocks: true, pausesSupplierClock: true },
    awaiting_change: { pausesTenantClocks: true, pausesSupplierClock: true },
  },
};

/** 75%: the shared service escalates a P1 at 75% of its SLA to major-incident triage. */
export const DEFAULT_WARNING_THRESHOLDS = [75];

export type SlaPolicyVersionDefined = DomainEvent<'SlaPolicyVersionDefined', SlaPolicyVersion & { occurredAt: string }>;

export interface SlaPolicyState {
  versions: SlaPolicyVersion[];
}

export const initialSlaPolicyState = (): SlaPolicyState => ({ versions: [] });

export function evolveSlaPolicy(state: SlaPolicyState, event: { type: string; data: object }): SlaPolicyState {
  if (event.type !== 'SlaPolicyVersionDefined') return state;
  const { occurredAt: _at, ...version } = event.data as SlaPolicyVersionDefined['data'];
  return { versions: [...state.versions, version] };
}

export type DefineSlaPolicyVersion = Omit<SlaPolicyVersion, 'version'>;

/**
 * Defines the next version. Versions are never edited: a change is a new version, effective from
 * a date no earlier than the latest version's, and tickets keep the version they were raised under.
 */
export function decideSlaPolicy(command: DefineSlaPolicyVersion, state: SlaPolicyState, occurredAt: string): SlaPolicyVersionDefined[] {
  validateSlaPolicy(command);
  const last = state.versions[state.versions.length - 1];
  const effectiveFrom = toIso(parseInstant(command.effectiveFrom, 'effectiveFrom'));
  if (last && Date.parse(effectiveFrom) < Date.parse(last.effectiveFrom)) {
    throw conflict('SLA_POLICY.EFFECTIVE_BEFORE_LATEST', `effectiveFrom must not be before version ${last.version}'s (${last.effectiveFrom})`, 'effectiveFrom');
  }
  const version = (last?.version ?? 0) + 1;
  return [{ type: 'SlaPolicyVersionDefined', data: { ...command, effectiveFrom, version, occurredAt } }];
}

/** Asks for the tenant's next SLA policy version, decided at occurredAt. */
export interface DefineSlaPolicy {
  type: 'DefineSlaPolicyVersion';
  policy: DefineSlaPolicyVersion;
  occurredAt: string;
}

export type SlaPolicyCommand = DefineSlaPolicy;
export type SlaPolicyEvent = SlaPolicyVersionDefined;

/** A tenant's SLA policy as one Decider (its stream: slaPolicyStream). */
export const slaPolicyDecider: Decider<SlaPolicyCommand, SlaPolicyEvent, SlaPolicyState> = {
  decide: (command, state) => decideSlaPolicy(command.policy, state, command.occurredAt),
  evolve: evolveSlaPolicy,
  initialState: initialSlaPolicyState,
};

/** The version in force at an instant: the latest whose effectiveFrom is not after it. */
export function versionInForce(state: SlaPolicyState, atMs: number): SlaPolicyVersion | undefined {
  let found: SlaPolicyVersion | undefined;
  for (const v of state.versions) if (Date.parse(v.effectiveFrom) <= atMs) found = v;
  return found;
}

export function targetFor(policy: SlaPolicyVersion, kind: TicketKind, priority: Priority, metric: SlaMetric): SlaTarget | undefined {
  return policy.targets.find((t) => t.kind === kind && t.priority === priority && t.metric === metric);
}

/**
 * The calendar time with a supplier is measured on: the ticket's resolution target's calendar, so
 * the scorecard and GET /sla agree (undefined, elapsed time, when the ticket has no such target).
 */
export function resolutionCalendar(policy: SlaPolicyVersion | undefined, kind: TicketKind, priority: Priority): BusinessCalendar | undefined {
  const target = policy && targetFor(policy, kind, priority, 'resolution');
  return target ? calendarsOf(policy).get(target.calendarId) : undefined;
}

/**
 * The policy's calendars. A calendar's year tables are costly (Luxon zone arithmetic per local
 * day), so one calendar is built once per definition, whichever policy object carries it.
 */
export function calendarsOf(policy: SlaPolicyVersion): Map<string, BusinessCalendar> {
  let map = calendarCache.get(policy);
  if (!map) {
    map = new Map(policy.calendars.map((c) => [c.id, calendarFor(c)]));
    calendarCache.set(policy, map);
  }
  return map;
}
const calendarCache = new WeakMap<SlaPolicyVersion, Map<string, BusinessCalendar>>();

function calendarFor(definition: CalendarDefinition): BusinessCalendar {
  const key = JSON.stringify(definition);
  let calendar = calendarsByDefinition.get(key);
  if (!calendar) {
    if (calendarsByDefinition.size >= 1000) calendarsByDefinition.clear(); // bounded: definitions are few in practice
    calendar = new BusinessCalendar(definition);
    calendarsByDefinition.set(key, calendar);
  }
  return calendar;
}
const calendarsByDefinition = new Map<string, BusinessCalendar>();

export function validateSlaPolicy(p: DefineSlaPolicyVersion): void {
  if (!p.name?.trim()) throw invalid('SLA_POLICY.INVALID', 'name must not be empty', 'name');
  parseInstant(p.effectiveFrom, 'effectiveFrom');
  const ids = new Set<string>();
  for (const c of p.calendars) {
    validateCalendar(c);
    if (ids.has(c.id)) throw invalid('SLA_POLICY.DUPLICATE_CALENDAR', `calendar id ${c.id} is defined twice`, 'calendars');
    ids.add(c.id);
  }
  const keys = new Set<string>();
  p.targets.forEach((t, i) => {
    const field = `targets[${i}]`;
    if (!TICKET_KINDS.includes(t.kind)) throw invalid('SLA_POLICY.INVALID_TARGET', `${field}.kind is not a ticket kind`, `${field}.kind`);
    if (!PRIORITIES.includes(t.priority)) throw invalid('SLA_POLICY.INVALID_TARGET', `${field}.priority is not P1–P4`, `${field}.priority`);
    if (!SLA_METRICS.includes(t.metric)) throw invalid('SLA_POLICY.INVALID_TARGET', `${field}.metric must be response or resolution`, `${field}.metric`);
    if (!(t.targetMinutes > 0)) throw invalid('SLA_POLICY.INVALID_TARGET', `${field}.targetMinutes must be positive`, `${field}.targetMinutes`);
    if (!(t.goalPct >= 0 && t.goalPct <= 100)) throw invalid('SLA_POLICY.INVALID_TARGET', `${field}.goalPct must be 0–100`, `${field}.goalPct`);
    if (!ids.has(t.calendarId))
      throw invalid('SLA_POLICY.UNKNOWN_CALENDAR', `${field}.calendarId ${t.calendarId} is not among the calendars`, `${field}.calendarId`);
    const key = `${t.kind}/${t.priority}/${t.metric}`;
    if (keys.has(key)) throw invalid('SLA_POLICY.DUPLICATE_TARGET', `${field} repeats ${key}`, field);
    keys.add(key);
  });
  for (const reason of HOLD_REASONS) {
    const r = p.rules?.holds?.[reason];
    if (!r || typeof r.pausesTenantClocks !== 'boolean' || typeof r.pausesSupplierClock !== 'boolean') {
      throw invalid('SLA_POLICY.INVALID_RULES', `rules.holds.${reason} must say which clocks it pauses`, `rules.holds.${reason}`);
    }
  }
  if (!['keep_elapsed', 'restart'].includes(p.rules.priorityChange))
    throw invalid('SLA_POLICY.INVALID_RULES', "rules.priorityChange must be 'keep_elapsed' or 'restart'", 'rules.priorityChange');
  if (!['resume', 'restart'].includes(p.rules.reopen)) throw invalid('SLA_POLICY.INVALID_RULES', "rules.reopen must be 'resume' or 'restart'", 'rules.reopen');
  if (!Array.isArray(p.warningThresholdsPct) || !p.warningThresholdsPct.every((x) => typeof x === 'number' && x > 0 && x < 100)) {
    throw invalid('SLA_POLICY.INVALID_THRESHOLD', 'warningThresholdsPct must lie strictly between 0 and 100', 'warningThresholdsPct');
  }
  // Each threshold is one warning per clock: a repeated one would record every crossing twice.
  if (new Set(p.warningThresholdsPct).size !== p.warningThresholdsPct.length) {
    throw invalid('SLA_POLICY.DUPLICATE_THRESHOLD', 'warningThresholdsPct must not repeat a threshold', 'warningThresholdsPct');
  }
  if (p.warningThresholdsPct.length > MAX_WARNING_THRESHOLDS) {
    throw invalid('SLA_POLICY.TOO_MANY_THRESHOLDS', `warningThresholdsPct may hold at most ${MAX_WARNING_THRESHOLDS} thresholds`, 'warningThresholdsPct');
  }
}

/** More warnings than this per clock is noise, and each one is an event per ticket. */
export const MAX_WARNING_THRESHOLDS = 10;
