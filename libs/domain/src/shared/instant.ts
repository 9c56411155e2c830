import { invalid } from './domain-error';

/** Parses an ISO-8601 instant with an explicit offset; the domain never guesses a time zone. */
export function parseInstant(value: string, field: string): number {
  const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
  const ms = ISO.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw invalid('TIME.INVALID_INSTANT', `${field} must be an ISO-8601 instant with an offset`, field);
  return ms;
}

/** Canonical form stored in events: UTC, millisecond precision. */
export const toIso = (ms: number) => new Date(ms).toISOString();
