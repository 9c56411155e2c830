import { cityOfLondon2023, slaPolicyDecider, type DefineSlaPolicyVersion, type SlaPolicyEvent } from '../src';
import { deciderSpecification } from './decider-specification';

const AT = '2023-01-01T00:00:00.000Z';
const spec = deciderSpecification(slaPolicyDecider)(undefined);
const define = (policy: DefineSlaPolicyVersion, occurredAt = AT) => ({ type: 'DefineSlaPolicyVersion', policy, occurredAt }) as const;
const defined = (policy: DefineSlaPolicyVersion, version: number, occurredAt = AT): SlaPolicyEvent => ({
  type: 'SlaPolicyVersionDefined',
  data: { ...policy, effectiveFrom: new Date(policy.effectiveFrom).toISOString(), version, occurredAt },
});

const v1 = cityOfLondon2023('CoL', '2023-01-01T00:00:00Z');
const v2 = { ...cityOfLondon2023('CoL', '2023-07-01T00:00:00+01:00'), name: 'CoL 2023 (revised)' };

describe('SLA policy decider', () => {
  it('defines version 1, its effectiveFrom in UTC', () =>
    spec
      .given([])
      .when(define(v1))
      .then([defined(v1, 1)]));
  it('defines the next version after the latest', () =>
    spec
      .given([defined(v1, 1)])
      .when(define(v2, '2023-06-01T00:00:00.000Z'))
      .then([defined(v2, 2, '2023-06-01T00:00:00.000Z')]));
  it('refuses a version effective before the latest (versions are never rewritten)', () =>
    spec
      .given([defined(v2, 1)])
      .when(define(v1))
      .thenThrows('SLA_POLICY.EFFECTIVE_BEFORE_LATEST', 'effectiveFrom'));
  it('refuses a policy that breaks a rule, naming the field', () =>
    spec
      .given([])
      .when(define({ ...v1, warningThresholdsPct: [50, 50] }))
      .thenThrows('SLA_POLICY.DUPLICATE_THRESHOLD', 'warningThresholdsPct'));
  it('folds to its versions, in order', () => {
    const state = [defined(v1, 1), defined(v2, 2)].reduce(slaPolicyDecider.evolve, slaPolicyDecider.initialState());
    expect(state.versions.map((v) => [v.version, v.name])).toEqual([
      [1, v1.name],
      [2, v2.name],
    ]);
  });
});
