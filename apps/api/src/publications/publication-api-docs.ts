import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { ProblemDetails } from '../common/problem-details';

/** OpenAPI words the tenant's and the group's publication routes share. */
export const UNKNOWN = 'No such publication: an id never used and another tenant’s answer the same 404 (PUBLICATION.NOT_FOUND)';
export const DRIFT =
  "Each figure whose value today differs from the published one (by its stable path, e.g. metrics[incident.P2.resolution].actual), with both values and the facts recorded since the publication that moved it: facts on tickets the figure lists (then or now), facts on tickets with a fact dated in the months it counts, changes to the tenant's policy or settings. An unchanged publication answers []. X-Log-Position: where today's figures stand.";

const refusal = (status: number, description: string) => ApiResponse({ status, description, type: ProblemDetails });

/** A publish request's documentation: its Idempotency-Key, the 201 and every refusal. */
export const ApiPublish = (summary: string) =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key records nothing new and answers the same publication' }),
    ApiResponse({
      status: 201,
      description: '{publicationId, position, headGlobalHash, digest, eventCount, figures, asOf, …}; Location names the publication',
    }),
    refusal(400, 'Malformed body: a field of the wrong type, an unknown field (errors[] names it)'),
    refusal(404, 'Unknown tenant (TENANT.NOT_FOUND) or group (TENANT_GROUP.NOT_FOUND)'),
    refusal(
      422,
      'report or month refused (PUBLICATION.UNKNOWN_REPORT, PUBLICATION.INVALID_MONTH, PUBLICATION.MONTH_NOT_BEGUN; errors[] names the field), or the Idempotency-Key reused for another request',
    ),
    refusal(503, 'Replays busy, or the read models have applied no event yet: Retry-After'),
  );
