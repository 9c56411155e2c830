import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, UnknownSchemaVersionError } from '@itsm/domain';
import { ReadStoreQueryError } from '@itsm/read-store';
import { EventIdConflictError, IdempotencyKeyReusedError, InvalidAppendError, StaleRevisionError, WrongExpectedVersionError } from '@itsm/event-store';
import { eventStoreProblem, type HttpProblem } from './event-store-problems';
import { problem, ProblemException, type ProblemDetails } from './problem-details';

const DOMAIN_STATUS = { invalid: 422, not_found: 404, conflict: 409 } as const;

/** The one place where errors become HTTP answers (RFC 9457). Anything unforeseen is a 500 and is logged. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const answer = this.toHttpProblem(error);
    const body: ProblemDetails = { ...answer.body, instance: req.originalUrl ?? req.url };
    if (body.status >= 500) this.logger.error(`${req.method} ${req.originalUrl}: ${(error as Error)?.stack ?? String(error)}`);
    for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
    res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  private toHttpProblem(error: unknown): HttpProblem {
    const fromStore = eventStoreProblem(error);
    if (fromStore) return fromStore;
    // The embedded store stayed locked by another process beyond busy_timeout: try again (same Idempotency-Key).
    if ((error as { code?: string })?.code === 'SQLITE_BUSY') {
      return {
        body: problem(503, 'STORE.BUSY', 'The store is busy; retry the request with the same Idempotency-Key', { title: 'Service Unavailable' }),
        headers: { 'Retry-After': '1' },
      };
    }
    return { body: this.toProblem(error) };
  }

  private toProblem(error: unknown): Omit<ProblemDetails, 'instance'> {
    if (error instanceof ProblemException) return error.body;
    if (error instanceof DomainError) {
      const errors = error.field ? [{ field: error.field, rule: error.code, message: error.message }] : undefined;
      return problem(DOMAIN_STATUS[error.kind], error.code, error.message, errors ? { errors } : {});
    }
    // The log holds facts written by a newer release than this one: an operator must upgrade it.
    if (error instanceof UnknownSchemaVersionError) {
      return problem(503, error.code, 'The log holds events this release cannot read; it must be upgraded', { title: 'Service Unavailable' });
    }
    if (error instanceof StaleRevisionError) {
      return problem(412, error.code, error.message, { currentRevision: String(error.actual === 'no_stream' ? -1n : error.actual) });
    }
    if (error instanceof WrongExpectedVersionError) {
      return problem(409, error.code, 'The ticket changed concurrently too many times; try again', {
        currentRevision: String(error.actual === 'no_stream' ? -1n : error.actual),
      });
    }
    if (error instanceof IdempotencyKeyReusedError)
      return problem(422, error.code, error.message, { errors: [{ field: 'Idempotency-Key', rule: error.code, message: error.message }] });
    if (error instanceof EventIdConflictError) return problem(409, error.code, error.message);
    if (error instanceof ReadStoreQueryError)
      return problem(400, error.code, error.message, { errors: [{ field: error.field, rule: 'valid', message: error.message }] });
    if (error instanceof InvalidAppendError)
      return problem(422, error.code, error.message, { errors: [{ field: error.field, rule: error.code, message: error.message }] });
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const response = error.getResponse() as { message?: string | string[] } | string;
      const detail =
        typeof response === 'string' ? response : Array.isArray(response.message) ? response.message.join('; ') : (response.message ?? error.message);
      const code = status === 404 ? 'HTTP.NOT_FOUND' : status === 400 ? 'HTTP.BAD_REQUEST' : `HTTP.${status}`;
      return problem(status, code, detail);
    }
    return problem(500, 'INTERNAL', 'An unexpected error occurred; it has been logged');
  }
}
