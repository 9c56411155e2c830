import { barChart, tickStep } from '../src/charts/svg-charts';

describe('the summary charts', () => {
  it('bar chart axes tick at whole, evenly spaced values', () => {
    expect([1, 4, 5, 7, 12, 37, 100, 480].map(tickStep)).toEqual([1, 1, 1, 2, 5, 10, 20, 100]);
    const ticks = (svg: string) => [...svg.matchAll(/text-anchor="end">(\d+)</g)].map((m) => Number(m[1]));
    expect(ticks(barChart('t', ['a'], [{ name: 'x', values: [5], colour: '#000' }]))).toEqual([0, 1, 2, 3, 4, 5]); // was 0, 1, 3, 4, 5
    expect(ticks(barChart('t', ['a', 'b'], [{ name: 'x', values: [3, 17], colour: '#000' }]))).toEqual([0, 5, 10, 15, 20]);
  });
});
