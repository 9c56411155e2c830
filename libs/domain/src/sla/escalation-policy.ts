import { PRIORITIES, type Priority } from '../catalogue/priority';
import { CATALOGUE_ID } from '../catalogue/validate-catalogue';
import type { Decider } from '../shared/decider';
import { conflict, invalid } from '../shared/domain-error';
import type { DomainEvent } from '../shared/event';
import { parseInstant, toIso } from '../shared/instant';
import { TICKET_KINDS, type TicketKind } from '../ticket/ticket.events';
import { SLA_METRICS, type SlaMetric } from './sla-policy';

/**
 * "When a <kind> <priority> ticket's <metric> clock has used atPercent % of its target, tell these."
 * The percentage is of the SLA target of the ticket's pinned SLA policy, and is crossed exactly as a
 * warning threshold is: at the first instant the working time used exceeds it.
 */
export interface EscalationRule {
  kind: TicketKind;
  priority: Priority;
  metric: SlaMetric;
  /** (0, 1000]: beyond 100 escalates a breach that keeps running. */
  atPercent: number;
  /** Whom to tell: `group:<resolverGroupId>`, `supplier:<supplierId>`, `role:<name>` or `email:<address>`. */
  notify: string[];
}

export interface EscalationPolicyVersion {
  tenantId: string;
  version: number;
  /** Crossings at or after this instant (and before the next version's) escalate by this version's rules. */
  effectiveFrom: string;
  rules: EscalationRule[];
}

export type EscalationPolicyVersionDefined = DomainEvent<'EscalationPolicyVersionDefined', EscalationPolicyVersion & { occurredAt: string }>;

export interface EscalationPolicyState {
  versions: EscalationPolicyVersion[];
}

export const initialEscalationPolicyState = (): EscalationPolicyState => ({ versions: [] });

export function evolveEscalationPolicy(state: EscalationPolicyState, event: { type: string; data: object }): EscalationPolicyState {
  if (event.type !== 'EscalationPolicyVersionDefined') return state;
  const { occurredAt: _at, ...version } = event.data as EscalationPolicyVersionDefined['data'];
  return { versions: [...state.versions, version] };
}

/** The next version, as asked for: effectiveFrom defaults to when it is defined. */
export interface DefineEscalationPolicyVersion {
  tenantId: string;
  effectiveFrom?: string;
  rules: EscalationRule[];
}

/** What the handler looked up: of the groups and suppliers the rules name, those that may be told. */
export interface EscalationPolicyContext {
  /** When the command is decided (ISO-8601): the default effectiveFrom. */
  occurredAt: string;
  /** Resolver groups that serve the tenant. */
  knownGroupIds: ReadonlySet<string>;
  /** Registered suppliers. */
  knownSupplierIds: ReadonlySet<string>;
}

export const MAX_ESCALATION_RULES = 100;
export const MAX_NOTIFY_TARGETS = 20;
export const MAX_ESCALATION_PERCENT = 1000;

const ROLE = /^[a-z][a-z0-9-]{0,63}$/;
// Deliberately plain: one @, no spaces, quotes, angle brackets or separators, a dotted domain.
const EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/**
 * Defines the next version. Like SLA policies, versions are never edited and are effective-dated, no
 * earlier than the latest one. The same rules again (and no other date) define nothing: a PUT repeated
 * is harmless.
 */
export function decideEscalationPolicy(
  command: DefineEscalationPolicyVersion,
  state: EscalationPolicyState,
  ctx: EscalationPolicyContext,
): EscalationPolicyVersionDefined[] {
  validateEscalationRules(command.rules, ctx);
  const effectiveFrom = toIso(parseInstant(command.effectiveFrom ?? ctx.occurredAt, 'effectiveFrom'));
  const last = state.versions[state.versions.length - 1];
  if (last && JSON.stringify(last.rules) === JSON.stringify(command.rules) && (command.effectiveFrom === undefined || effectiveFrom === last.effectiveFrom))
    return [];
  if (last && Date.parse(effectiveFrom) < Date.parse(last.effectiveFrom)) {
    throw conflict(
      'ESCALATION_POLICY.EFFECTIVE_BEFORE_LATEST',
      `effectiveFrom must not be before version ${last.version}'s (${last.effectiveFrom})`,
      'effectiveFrom',
    );
  }
  const rules = command.rules.map(({ kind, priority, metric, atPercent, notify }) => ({ kind, priority, metric, atPercent, notify: [...notify] }));
  return [
    {
      type: 'EscalationPolicyVersionDefined',
      data: { tenantId: command.tenantId, version: (last?.version ?? 0) + 1, effectiveFrom, rules, occurredAt: ctx.occurredAt },
    },
  ];
}

/** Asks for the tenant's next escalation policy version, decided at occurredAt. */
export interface DefineEscalationPolicy {
  type: 'DefineEscalationPolicyVersion';
  policy: DefineEscalationPolicyVersion;
  occurredAt: string;
}

export type EscalationPolicyCommand = DefineEscalationPolicy;
export type EscalationPolicyEvent = EscalationPolicyVersionDefined;

/**
 * A tenant's escalation policy as one Decider (its stream: escalationPolicyStream); the context is
 * what the handler looked up of the groups and suppliers the rules notify (namedNotifyTargets).
 */
export const escalationPolicyDecider: Decider<
  EscalationPolicyCommand,
  EscalationPolicyEvent,
  EscalationPolicyState,
  Omit<EscalationPolicyContext, 'occurredAt'>
> = {
  decide: (command, state, context) => decideEscalationPolicy(command.policy, state, { ...context, occurredAt: command.occurredAt }),
  evolve: evolveEscalationPolicy,
  initialState: initialEscalationPolicyState,
};

/** The version in force at an instant: the latest whose effectiveFrom is not after it. */
export function escalationPolicyInForce(state: EscalationPolicyState, atMs: number): EscalationPolicyVersion | undefined {
  let found: EscalationPolicyVersion | undefined;
  for (const v of state.versions) if (Date.parse(v.effectiveFrom) <= atMs) found = v;
  return found;
}

/** Each broken rule is a 422 naming the field (`rules[2].atPercent`). */
export function validateEscalationRules(
  rules: unknown,
  ctx: Pick<EscalationPolicyContext, 'knownGroupIds' | 'knownSupplierIds'>,
): asserts rules is EscalationRule[] {
  if (!Array.isArray(rules)) throw invalid('ESCALATION_POLICY.INVALID_RULES', 'rules must be a list', 'rules');
  if (rules.length > MAX_ESCALATION_RULES) throw invalid('ESCALATION_POLICY.TOO_MANY_RULES', `rules may hold at most ${MAX_ESCALATION_RULES} rules`, 'rules');
  const seen = new Map<string, number>();
  rules.forEach((rule: Partial<EscalationRule>, i) => {
    const field = `rules[${i}]`;
    if (typeof rule !== 'object' || rule === null) throw invalid('ESCALATION_POLICY.INVALID_RULE', `${field} must be a rule`, field);
    if (!TICKET_KINDS.includes(rule.kind!))
      throw invalid('ESCALATION_POLICY.INVALID_RULE', `${field}.kind must be one of ${TICKET_KINDS.join(', ')}`, `${field}.kind`);
    if (!PRIORITIES.includes(rule.priority!)) throw invalid('ESCALATION_POLICY.INVALID_RULE', `${field}.priority must be P1–P4`, `${field}.priority`);
    if (!SLA_METRICS.includes(rule.metric!))
      throw invalid('ESCALATION_POLICY.INVALID_RULE', `${field}.metric must be response or resolution`, `${field}.metric`);
    const pct = rule.atPercent;
    if (typeof pct !== 'number' || !Number.isFinite(pct) || pct <= 0 || pct > MAX_ESCALATION_PERCENT) {
      throw invalid(
        'ESCALATION_POLICY.INVALID_PERCENT',
        `${field}.atPercent must be a number above 0 and at most ${MAX_ESCALATION_PERCENT}`,
        `${field}.atPercent`,
      );
    }
    validateNotify(rule.notify, `${field}.notify`, ctx);
    // One escalation per clock and percentage: a repeated rule would escalate every crossing twice.
    const key = `${rule.kind}/${rule.priority}/${rule.metric}/${pct}`;
    const first = seen.get(key);
    if (first !== undefined) throw invalid('ESCALATION_POLICY.DUPLICATE_RULE', `${field} repeats rules[${first}] (${key})`, field);
    seen.set(key, i);
  });
}

function validateNotify(notify: unknown, field: string, ctx: Pick<EscalationPolicyContext, 'knownGroupIds' | 'knownSupplierIds'>): void {
  if (!Array.isArray(notify) || notify.length === 0) throw invalid('ESCALATION_POLICY.INVALID_NOTIFY', `${field} must name at least one target`, field);
  if (notify.length > MAX_NOTIFY_TARGETS) throw invalid('ESCALATION_POLICY.INVALID_NOTIFY', `${field} may name at most ${MAX_NOTIFY_TARGETS} targets`, field);
  const seen = new Set<string>();
  notify.forEach((target: unknown, j) => {
    const at = `${field}[${j}]`;
    const problem = targetProblem(target, ctx);
    if (problem) throw invalid(problem.code, `${at} ${problem.message}`, at);
    if (seen.has(target as string)) throw invalid('ESCALATION_POLICY.DUPLICATE_TARGET', `${at} repeats ${target as string}`, at);
    seen.add(target as string);
  });
}

function targetProblem(
  target: unknown,
  ctx: Pick<EscalationPolicyContext, 'knownGroupIds' | 'knownSupplierIds'>,
): { code: string; message: string } | undefined {
  const shape = {
    code: 'ESCALATION_POLICY.INVALID_TARGET',
    message: 'must be group:<resolver group id>, supplier:<supplier id>, role:<name> (a-z, 0-9, -) or email:<address>',
  };
  if (typeof target !== 'string') return shape;
  const colon = target.indexOf(':');
  const [scheme, value] = colon < 0 ? [target, ''] : [target.slice(0, colon), target.slice(colon + 1)];
  switch (scheme) {
    case 'group':
      if (!CATALOGUE_ID.test(value)) return shape;
      return ctx.knownGroupIds.has(value)
        ? undefined
        : { code: 'ESCALATION_POLICY.UNKNOWN_TARGET', message: `names ${value}, which is not a resolver group serving the tenant` };
    case 'supplier':
      if (!CATALOGUE_ID.test(value)) return shape;
      return ctx.knownSupplierIds.has(value)
        ? undefined
        : { code: 'ESCALATION_POLICY.UNKNOWN_TARGET', message: `names ${value}, which is not a registered supplier` };
    case 'role':
      return ROLE.test(value) ? undefined : shape;
    case 'email':
      return value.length <= 254 && EMAIL.test(value) ? undefined : shape;
    default:
      return shape;
  }
}

/** The group and supplier ids the rules name (well formed or not), for the handler to look up. */
export function namedNotifyTargets(rules: unknown): { groupIds: string[]; supplierIds: string[] } {
  const notifyOf = (rule: unknown): unknown[] =>
    typeof rule === 'object' && rule !== null && 'notify' in rule && Array.isArray(rule.notify) ? rule.notify : [];
  const targets = Array.isArray(rules) ? rules.flatMap(notifyOf).filter((x): x is string => typeof x === 'string') : [];
  const of = (scheme: string) => [
    ...new Set(
      targets
        .filter((x) => x.startsWith(`${scheme}:`))
        .map((x) => x.slice(scheme.length + 1))
        .filter((id) => CATALOGUE_ID.test(id)),
    ),
  ];
  return { groupIds: of('group'), supplierIds: of('supplier') };
}
