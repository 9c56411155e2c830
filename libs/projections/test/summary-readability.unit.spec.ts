import { LONDON_WORKING_HOURS, ROUND_THE_CLOCK } from '@itsm/domain';
import { financialQuarterOf, financialYearOf, mondaysBetween } from '../src';
import { targetText } from '../src/summary/target-text';

describe('committee readability', () => {
  it('targets read in the policy’s own units', () => {
    expect(targetText(2400, LONDON_WORKING_HOURS)).toBe('5 working days'); // was "2400 min"
    expect(targetText(960, LONDON_WORKING_HOURS)).toBe('2 working days');
    expect(targetText(240, LONDON_WORKING_HOURS)).toBe('4 working hours');
    expect(targetText(90, LONDON_WORKING_HOURS)).toBe('90 working minutes');
    expect(targetText(240, ROUND_THE_CLOCK)).toBe('4 hours');
    expect(targetText(15, ROUND_THE_CLOCK)).toBe('15 minutes');
    expect(targetText(60, undefined)).toBe('1 hour');
  });

  it('financial quarters and years run April to March', () => {
    expect(['2023-03', '2023-04', '2023-06', '2023-07', '2023-12', '2024-01'].map(financialQuarterOf)).toEqual([
      '2022-23 Q4',
      '2023-24 Q1',
      '2023-24 Q1',
      '2023-24 Q2',
      '2023-24 Q3',
      '2023-24 Q4',
    ]);
    expect(financialYearOf('2024-03')).toBe('2023-24');
    expect(financialYearOf('1999-04')).toBe('1999-00');
  });

  it('backlog weeks are every Monday in the range, by local date', () => {
    expect(mondaysBetween('2023-07-01', '2023-07-31')).toEqual(['2023-07-03', '2023-07-10', '2023-07-17', '2023-07-24', '2023-07-31']);
    expect(mondaysBetween('2023-07-03', '2023-07-03')).toEqual(['2023-07-03']);
    expect(mondaysBetween('2023-07-04', '2023-07-09')).toEqual([]);
  });
});
