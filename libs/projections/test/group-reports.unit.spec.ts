import fc from 'fast-check';
import {
  countFromPct,
  EXACT_RECOVERY_LIMIT,
  GroupReports,
  GROUP_TOTAL,
  satisfactionTotal,
  sideBySide,
  slaTotal,
  type SatisfactionRow,
  type SlaRow,
  type Tagged,
} from '../src/reports/group-reports';
import type { ReportQueries } from '../src';

const round2 = (x: number) => Math.round(x * 100) / 100;

describe('a count recovered from a rounded percentage', () => {
  it('is exact for every count of every denominator below the limit, negative ones (NPS) included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: EXACT_RECOVERY_LIMIT - 1 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: -n, max: n }))),
        ([n, c]) => countFromPct(round2((100 * c) / n), n) === c,
      ),
      { numRuns: 20_000, seed: 42 },
    );
    for (const n of [EXACT_RECOVERY_LIMIT - 1, 9_998, 7_777]) for (let c = -n; c <= n; c += 1) expect(countFromPct(round2((100 * c) / n), n)).toBe(c);
  });
  it('is null from the limit on (two counts may round to one percentage), and 0 of nothing', () => {
    expect(round2((100 * 1) / 20_000)).toBe(round2((100 * 2) / 20_000));
    expect(countFromPct(0.01, 20_000)).toBeNull();
    expect(countFromPct(null, 0)).toBe(0);
    expect(countFromPct(50, 0)).toBe(0);
  });
});

describe('side by side', () => {
  it('groups rows by key, members in the group’s order, the total last; keys sorted', () => {
    const rows = sideBySide(
      [
        [
          'LBS',
          [
            { k: 'b', n: 1 },
            { k: 'a', n: 2 },
          ],
        ],
        ['LBB', [{ k: 'a', n: 3 }]],
      ],
      (r) => [r.k],
      (rs) => ({ tenantId: GROUP_TOTAL, k: rs[0].k, n: rs.reduce((s, r) => s + r.n, 0) }),
    );
    expect(rows).toEqual([
      { tenantId: 'LBS', k: 'a', n: 2 },
      { tenantId: 'LBB', k: 'a', n: 3 },
      { tenantId: '*', k: 'a', n: 5 },
      { tenantId: 'LBS', k: 'b', n: 1 },
      { tenantId: '*', k: 'b', n: 1 },
    ]);
    expect(Object.keys(rows[0]!)[0]).toBe('tenantId');
  });
});

describe('totals', () => {
  const sla = (tenantId: string, total: number, met: number, goalPct: number | null): Tagged<SlaRow> => ({
    tenantId,
    period: '2023-Q3',
    metric: 'resolution',
    kind: 'incident',
    priority: 'P1',
    dimension: 'all',
    value: '*',
    reference: 'IM1',
    goalPct,
    targetMinutes: 120,
    total,
    met,
    breached: total - met,
    pctMet: round2((100 * met) / total),
    goalMet: null,
  });
  it('% met is recomputed from the summed counts, never averaged (LBL Oct 66.67% and LBB Oct 100%)', () => {
    const t = slaTotal([sla('LBB', 4, 4, 95), sla('LBL', 6, 4, 95)]);
    expect(t).toMatchObject({ tenantId: '*', total: 10, met: 8, breached: 2, pctMet: 80, goalPct: 95, goalMet: false });
    expect((100 + 66.67) / 2).not.toBe(t.pctMet);
  });
  it('a goal the members do not share is null, and so is whether it was met', () => {
    expect(slaTotal([sla('CoL', 4, 4, 98), sla('LBB', 4, 4, 95)])).toMatchObject({ goalPct: null, goalMet: null, reference: 'IM1', pctMet: 100 });
  });
  const sat = (
    tenantId: string,
    feedback: number,
    answers: number,
    positive: number,
    npsAnswers: number,
    promoters: number,
    detractors: number,
  ): Tagged<SatisfactionRow> => ({
    tenantId,
    period: '2023-01',
    feedback,
    resolved: 100,
    satisfactionAnswers: answers,
    positive,
    neutral: 0,
    negative: answers - positive,
    promoters,
    detractors,
    responseRatePct: round2(feedback),
    positivePct: round2((100 * positive) / answers),
    neutralPct: 0,
    negativePct: round2((100 * (answers - positive)) / answers),
    goodOrVeryGoodPct: round2((100 * positive) / answers),
    npsAnswers,
    nps: round2((100 * (promoters - detractors)) / npsAnswers),
    complaints: 1,
  });
  it('satisfaction: the split and NPS of the summed counts, never an average of the members’ rounded figures', () => {
    const t = satisfactionTotal([sat('CoL', 3, 3, 1, 3, 1, 0), sat('CoLP', 7, 6, 5, 7, 1, 3)]);
    expect(t).toMatchObject({
      feedback: 10,
      resolved: 200,
      satisfactionAnswers: 9,
      positive: 6,
      responseRatePct: 5,
      positivePct: round2((100 * 6) / 9),
      negativePct: round2((100 * 3) / 9),
      npsAnswers: 10,
      nps: -10,
      complaints: 2,
    });
  });
});

describe('a group report asks each member as its own report does', () => {
  it('passes every parameter but the members, once per member', async () => {
    const asked: object[] = [];
    const fake = { demand: async (q: object) => (asked.push(q), []) } as unknown as ReportQueries;
    await new GroupReports(fake).demand({
      tenantIds: ['LBB', 'LBL'],
      range: { from: '2023-01', to: '2023-03' },
      granularity: 'financial-quarter',
      now: 1,
      zone: 'Europe/London',
    });
    expect(asked).toEqual(
      ['LBB', 'LBL'].map((tenantId) => ({
        range: { from: '2023-01', to: '2023-03' },
        granularity: 'financial-quarter',
        now: 1,
        zone: 'Europe/London',
        tenantId,
      })),
    );
  });
});
