import { cityOfLondon2023, decideSlaPolicy, DomainError, initialSlaPolicyState, MAX_WARNING_THRESHOLDS, validateSlaPolicy } from '../src';

/** Warning thresholds: each is one SlaWarningRaised per clock, so a repeated one would record every crossing twice. */
describe('SLA policy warning thresholds', () => {
  const refusal = (warningThresholdsPct: number[]) => {
    try {
      validateSlaPolicy({ ...cityOfLondon2023('CoL'), warningThresholdsPct });
    } catch (e) {
      return e instanceof DomainError ? { code: e.code, field: e.field, kind: e.kind } : e;
    }
    return undefined;
  };

  it('refuses a repeated threshold, naming the field', () => {
    expect(refusal([50, 50])).toEqual({ code: 'SLA_POLICY.DUPLICATE_THRESHOLD', field: 'warningThresholdsPct', kind: 'invalid' });
    expect(refusal([50, 75, 50])).toMatchObject({ code: 'SLA_POLICY.DUPLICATE_THRESHOLD' });
    expect(() => decideSlaPolicy({ ...cityOfLondon2023('CoL'), warningThresholdsPct: [50, 50] }, initialSlaPolicyState(), '2023-01-01T00:00:00Z')).toThrow(
      DomainError,
    );
  });

  it('keeps refusing thresholds outside (0, 100), and more than a handful', () => {
    expect(refusal([0])).toMatchObject({ code: 'SLA_POLICY.INVALID_THRESHOLD', field: 'warningThresholdsPct' });
    expect(refusal([100])).toMatchObject({ code: 'SLA_POLICY.INVALID_THRESHOLD' });
    expect(refusal(Array.from({ length: MAX_WARNING_THRESHOLDS + 1 }, (_, i) => i + 1))).toMatchObject({
      code: 'SLA_POLICY.TOO_MANY_THRESHOLDS',
      field: 'warningThresholdsPct',
    });
  });

  it('accepts distinct thresholds, and none', () => {
    expect(refusal([50, 75, 90])).toBeUndefined();
    expect(refusal([])).toBeUndefined();
    expect(refusal(Array.from({ length: MAX_WARNING_THRESHOLDS }, (_, i) => i + 1))).toBeUndefined();
  });
});
