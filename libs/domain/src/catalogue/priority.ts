import { invalid } from '../shared/domain-error';

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Impact and urgency: 1 = high, 2 = medium, 3 = low (ITIL). */
export const LEVELS = [1, 2, 3] as const;
export type Level = (typeof LEVELS)[number];

/** rows: impact 1..3, columns: urgency 1..3. */
export type PriorityMatrix = [[Priority, Priority, Priority], [Priority, Priority, Priority], [Priority, Priority, Priority]];

/** The ITIL default: high impact and high urgency is a P1; low and low a P4. */
export const DEFAULT_PRIORITY_MATRIX: PriorityMatrix = [
  ['P1', 'P2', 'P3'],
  ['P2', 'P3', 'P4'],
  ['P3', 'P4', 'P4'],
];

export function isPriority(value: unknown): value is Priority {
  return typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value);
}

export function assertPriority(value: unknown, field = 'priority'): asserts value is Priority {
  if (!isPriority(value)) throw invalid('TICKET.INVALID_PRIORITY', `${field} must be one of ${PRIORITIES.join(', ')}`, field);
}

export function priorityFromMatrix(matrix: PriorityMatrix, impact: number, urgency: number): Priority {
  if (!(LEVELS as readonly number[]).includes(impact)) throw invalid('TICKET.INVALID_IMPACT', 'impact must be 1, 2 or 3', 'impact');
  if (!(LEVELS as readonly number[]).includes(urgency)) throw invalid('TICKET.INVALID_URGENCY', 'urgency must be 1, 2 or 3', 'urgency');
  const priority = matrix[impact - 1]?.[urgency - 1];
  if (priority === undefined)
    throw invalid('TENANT.INVALID_PRIORITY_MATRIX', 'priorityMatrix must be 3 rows (impact) of 3 priorities (urgency)', 'priorityMatrix');
  return priority;
}

export function assertPriorityMatrix(value: unknown): asserts value is PriorityMatrix {
  const ok = Array.isArray(value) && value.length === 3 && value.every((row) => Array.isArray(row) && row.length === 3 && row.every(isPriority));
  if (!ok) throw invalid('TENANT.INVALID_PRIORITY_MATRIX', 'priorityMatrix must be 3 rows (impact) of 3 priorities (urgency)', 'priorityMatrix');
}
