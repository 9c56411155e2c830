import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldProblem {
  @ApiProperty({ example: 'priority' }) field: string;
  @ApiProperty({ example: 'isIn', description: 'the rule broken: a validator name or a domain error code' }) rule: string;
  @ApiProperty({ example: 'priority must be one of the following values: P1, P2, P3, P4' }) message: string;
}

/** RFC 9457 problem details: every error this API returns has this shape. */
export class ProblemDetails {
  @ApiProperty({ example: 'urn:itsm:problem:ticket.closed' }) type: string;
  @ApiProperty({ example: 'Conflict' }) title: string;
  @ApiProperty({ example: 409 }) status: number;
  @ApiProperty({ example: 'The ticket is closed; only a reopen inside the reopen window is allowed' }) detail: string;
  @ApiProperty({ example: 'TICKET.CLOSED', description: 'stable machine-readable code' }) code: string;
  @ApiProperty({ example: '/v1/tenants/CoL/tickets/INC1/respond' }) instance: string;
  @ApiPropertyOptional({ type: [FieldProblem] }) errors?: FieldProblem[];
  @ApiPropertyOptional({ example: '4', description: 'the stream revision now, on 409/412 conflicts' }) currentRevision?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

export function problem(status: number, code: string, detail: string, extra: Partial<ProblemDetails> = {}): Omit<ProblemDetails, 'instance'> {
  return { type: `urn:itsm:problem:${code.toLowerCase()}`, title: TITLES[status] ?? 'Error', status, detail, code, ...extra };
}

/** Thrown by guards, pipes and controllers to answer with a given problem. */
export class ProblemException extends Error {
  constructor(readonly body: Omit<ProblemDetails, 'instance'>) {
    super(body.detail);
  }
}
