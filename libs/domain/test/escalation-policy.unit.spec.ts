import {
  escalationPolicyDecider,
  escalationPolicyInForce,
  evolveEscalationPolicy,
  initialEscalationPolicyState,
  MAX_ESCALATION_RULES,
  MAX_NOTIFY_TARGETS,
  type DefineEscalationPolicyVersion,
  type EscalationPolicyContext,
  type EscalationPolicyState,
  type EscalationPolicyVersionDefined,
  type EscalationRule,
} from '../src';
import { deciderSpecification } from './decider-specification';

const AT = '2023-07-10T09:00:00.000Z';
const ctx: EscalationPolicyContext = { occurredAt: AT, knownGroupIds: new Set(['service-desk']), knownSupplierIds: new Set(['konica']) };
// The escalation policy Decider: the command says when it is decided, the context what the handler looked up.
const spec = deciderSpecification<DefineEscalationPolicyVersion, EscalationPolicyVersionDefined, EscalationPolicyState, EscalationPolicyContext>({
  decide: (policy, state, { occurredAt, ...known }) =>
    escalationPolicyDecider.decide({ type: 'DefineEscalationPolicyVersion', policy, occurredAt }, state, known),
  evolve: escalationPolicyDecider.evolve,
  initialState: escalationPolicyDecider.initialState,
})(ctx);

const rule = (over: Partial<Record<keyof EscalationRule, unknown>> = {}) =>
  ({
    kind: 'incident',
    priority: 'P1',
    metric: 'resolution',
    atPercent: 75,
    notify: ['group:service-desk', 'role:incident-manager'],
    ...over,
  }) as EscalationRule;
const put = (rules: EscalationRule[], effectiveFrom?: string): DefineEscalationPolicyVersion => ({
  tenantId: 'CoL',
  rules,
  ...(effectiveFrom ? { effectiveFrom } : {}),
});
const defined = (version: number, rules: EscalationRule[], effectiveFrom = AT, occurredAt = AT): EscalationPolicyVersionDefined => ({
  type: 'EscalationPolicyVersionDefined',
  data: { tenantId: 'CoL', version, effectiveFrom, rules, occurredAt },
});

describe('escalation policy: versions', () => {
  it('defines version 1, effective from when it is defined unless told', () => {
    spec
      .given([])
      .when(put([rule()]))
      .then([defined(1, [rule()])]);
    spec
      .given([])
      .when(put([rule()], '2023-08-01T00:00:00+01:00'))
      .then([defined(1, [rule()], '2023-07-31T23:00:00.000Z')]);
  });

  it('defines the next version; the same rules again define nothing', () => {
    const v2 = [rule({ atPercent: 50, notify: ['email:duty.manager@example.org', 'supplier:konica'] })];
    spec
      .given([defined(1, [rule()])])
      .when(put(v2, '2023-07-11T00:00:00Z'))
      .then([defined(2, v2, '2023-07-11T00:00:00.000Z')]);
    spec
      .given([defined(1, [rule()])])
      .when(put([rule()]))
      .then([]);
    spec
      .given([defined(1, [rule()])])
      .when(put([rule()], AT))
      .then([]);
    // An empty list is a version too: it escalates nothing from then on.
    spec
      .given([defined(1, [rule()])])
      .when(put([]))
      .then([defined(2, [])]);
  });

  it('refuses a version effective before the latest (409)', () => {
    spec
      .given([defined(1, [rule()], '2023-08-01T00:00:00.000Z')])
      .when(put([rule({ atPercent: 90 })], '2023-07-01T00:00:00Z'))
      .thenThrows('ESCALATION_POLICY.EFFECTIVE_BEFORE_LATEST', 'effectiveFrom');
  });

  it('the version in force at an instant is the latest one effective by then', () => {
    const state = [defined(1, [rule()], '2023-07-01T00:00:00.000Z'), defined(2, [], '2023-08-01T00:00:00.000Z')].reduce(
      evolveEscalationPolicy,
      initialEscalationPolicyState(),
    );
    expect(escalationPolicyInForce(state, Date.parse('2023-06-30T23:59:59.999Z'))).toBeUndefined();
    expect(escalationPolicyInForce(state, Date.parse('2023-07-01T00:00:00Z'))?.version).toBe(1);
    expect(escalationPolicyInForce(state, Date.parse('2023-07-31T23:59:59.999Z'))?.version).toBe(1);
    expect(escalationPolicyInForce(state, Date.parse('2023-08-01T00:00:00Z'))?.version).toBe(2);
  });
});

describe('escalation policy: rules (422 naming the field)', () => {
  const refused = (rules: unknown[], code: string, field: string) =>
    spec
      .given([])
      .when(put(rules as EscalationRule[]))
      .thenThrows(code, field);

  it('kind, priority and metric come from the known sets', () => {
    refused([rule(), rule({ kind: 'problem' })], 'ESCALATION_POLICY.INVALID_RULE', 'rules[1].kind');
    refused([rule({ priority: 'P5' })], 'ESCALATION_POLICY.INVALID_RULE', 'rules[0].priority');
    refused([rule({ metric: 'availability' })], 'ESCALATION_POLICY.INVALID_RULE', 'rules[0].metric');
    refused([rule({ metric: undefined })], 'ESCALATION_POLICY.INVALID_RULE', 'rules[0].metric');
  });

  it('atPercent lies in (0, 1000]', () => {
    for (const atPercent of [0, -5, 1000.01, Number.NaN, Number.POSITIVE_INFINITY, '75', null])
      refused([rule({ atPercent })], 'ESCALATION_POLICY.INVALID_PERCENT', 'rules[0].atPercent');
    spec
      .given([])
      .when(put([rule({ atPercent: 0.5 }), rule({ atPercent: 1000 }), rule({ atPercent: 87.5 })]))
      .then([defined(1, [rule({ atPercent: 0.5 }), rule({ atPercent: 1000 }), rule({ atPercent: 87.5 })])]);
  });

  it('refuses a repeated rule: the same kind, priority, metric and percentage', () => {
    refused([rule(), rule({ metric: 'response' }), rule({ notify: ['role:duty-manager'] })], 'ESCALATION_POLICY.DUPLICATE_RULE', 'rules[2]');
  });

  it('notify names 1 to 20 targets, each well formed, known and once', () => {
    refused([rule({ notify: [] })], 'ESCALATION_POLICY.INVALID_NOTIFY', 'rules[0].notify');
    refused([rule({ notify: 'group:service-desk' })], 'ESCALATION_POLICY.INVALID_NOTIFY', 'rules[0].notify');
    refused([rule({ notify: Array.from({ length: MAX_NOTIFY_TARGETS + 1 }, (_, i) => `role:r${i}`) })], 'ESCALATION_POLICY.INVALID_NOTIFY', 'rules[0].notify');
    for (const bad of [
      'service-desk',
      'group:',
      'role:Incident Manager',
      'role:',
      'email:nobody',
      'email:a@b',
      'email:<a@example.org>',
      'email:a b@example.org',
      'pager:123',
      42,
      '',
    ]) {
      refused([rule({ notify: ['role:ok', bad] })], 'ESCALATION_POLICY.INVALID_TARGET', 'rules[0].notify[1]');
    }
    refused([rule({ notify: ['group:desktop'] })], 'ESCALATION_POLICY.UNKNOWN_TARGET', 'rules[0].notify[0]');
    refused([rule({ notify: ['supplier:daisy'] })], 'ESCALATION_POLICY.UNKNOWN_TARGET', 'rules[0].notify[0]');
    refused([rule({ notify: ['role:duty-manager', 'role:duty-manager'] })], 'ESCALATION_POLICY.DUPLICATE_TARGET', 'rules[0].notify[1]');
  });

  it(`refuses more than ${MAX_ESCALATION_RULES} rules, and rules that are no list or no rule`, () => {
    const many = Array.from({ length: MAX_ESCALATION_RULES + 1 }, (_, i) => rule({ atPercent: i + 1 }));
    refused(many, 'ESCALATION_POLICY.TOO_MANY_RULES', 'rules');
    spec
      .given([])
      .when({ tenantId: 'CoL', rules: 'all' as never })
      .thenThrows('ESCALATION_POLICY.INVALID_RULES', 'rules');
    refused([null], 'ESCALATION_POLICY.INVALID_RULE', 'rules[0]');
  });

  it('refuses an effectiveFrom that is no instant', () => {
    spec
      .given([])
      .when(put([rule()], '2023-07-10'))
      .thenThrows('TIME.INVALID_INSTANT', 'effectiveFrom');
  });
});
