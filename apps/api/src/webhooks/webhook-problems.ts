import { ReceiverRefusedError, WebhookKeyMissingError } from '@itsm/application';
import { problem, ProblemException } from '../common/problem-details';

/** The webhook path's own refusals as problems: a refused receiver names `url` and its rule. */
export function webhookProblem(error: unknown): unknown {
  if (error instanceof ReceiverRefusedError) {
    return new ProblemException(problem(422, error.code, error.message, { errors: [{ field: 'url', rule: error.rule, message: error.message }] }));
  }
  if (error instanceof WebhookKeyMissingError) return new ProblemException(problem(503, error.code, error.message, { title: 'Service Unavailable' }));
  return error;
}

/** An id in a path that cannot be one answers as an unknown one. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
