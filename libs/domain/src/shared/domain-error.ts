/**
 * What a refused command means to its caller; the API maps each kind to one HTTP status.
 * - invalid: the command breaks a rule whatever the state (422)
 * - not_found: the thing it is about does not exist (404)
 * - conflict: the command does not fit the current state (409)
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict';

/** A refusal with a stable code (`TICKET.CLOSED`) and, where one field is at fault, its name. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: DomainErrorKind,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, message: string, field?: string) => new DomainError(code, message, 'invalid', field);
export const conflict = (code: string, message: string, field?: string) => new DomainError(code, message, 'conflict', field);
export const notFound = (code: string, message: string) => new DomainError(code, message, 'not_found');
