import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { ProblemDetails } from './problem-details';

const problemResponse = (status: number, description: string) =>
  ApiResponse({
    status,
    description,
    type: ProblemDetails,
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
  });

/** Documents the error shapes every authenticated endpoint can answer with. */
export const ApiAuthenticated = () =>
  applyDecorators(
    ApiBearerAuth(),
    problemResponse(401, 'Missing, invalid or expired bearer token'),
    problemResponse(403, 'The token lacks the role, or the tenant in the path'),
  );

/** Documents one command endpoint: headers, success and every problem it can return. */
export const ApiCommand = (summary: string, okStatus = 200) =>
  applyDecorators(
    ApiOperation({ summary }),
    ApiAuthenticated(),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key appends nothing and returns the first result' }),
    ApiHeader({ name: 'If-Match', required: false, description: 'The revision (ETag) the caller saw; a stale one gets 412' }),
    ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Recorded in the events metadata' }),
    ApiResponse({ status: okStatus, description: 'Recorded. ETag carries the new revision.' }),
    problemResponse(400, 'Malformed body: unknown field, wrong type, rule broken (errors[] names field and rule)'),
    problemResponse(404, 'Unknown ticket or tenant'),
    problemResponse(409, "Not allowed in the ticket's current state (code says which rule)"),
    problemResponse(412, 'If-Match revision is stale; currentRevision says the current one'),
    problemResponse(422, 'Well-formed but refused by a domain rule (errors[] names field and rule)'),
  );
