/**
 * RAG against a contract target: green when met; amber when short by no more than 5% of the
 * target; red beyond that; grey when there is nothing to measure.
 */
export function rag(actual: number | null, target: number, better: 'higher' | 'lower'): 'green' | 'amber' | 'red' | 'grey' {
  if (actual === null) return 'grey';
  const shortfall = better === 'higher' ? target - actual : actual - target;
  if (shortfall <= 0) return 'green';
  return shortfall <= 0.05 * target ? 'amber' : 'red';
}
