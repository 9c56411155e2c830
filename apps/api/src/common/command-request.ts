import { createHash, randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { CommandMetadata, CommandResult } from '@itsm/event-store';
import type { Principal } from '@itsm/auth';
import { etagOf, parseIfMatch } from './etag';
import { problem, ProblemException } from './problem-details';

/** What the HTTP request says about a command beyond its body: who, which key, which revision. */
export interface CommandRequest {
  principal: Principal;
  commandId: string;
  correlationId: string;
  requestHash: string;
  ifMatch?: bigint;
}

export function commandRequest(req: Request & { principal: Principal }, body: { commandId?: string }): CommandRequest {
  const header = req.header('idempotency-key');
  if (header !== undefined && body.commandId !== undefined && header !== body.commandId) {
    throw new ProblemException(
      problem(400, 'REQUEST.IDEMPOTENCY_KEY_MISMATCH', 'Idempotency-Key and commandId differ; give one, or the same', {
        errors: [{ field: 'commandId', rule: 'equalsIdempotencyKey', message: 'commandId must equal the Idempotency-Key header' }],
      }),
    );
  }
  if (header !== undefined && (header.length === 0 || header.length > 200)) {
    throw new ProblemException(
      problem(400, 'REQUEST.INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 200 characters', {
        errors: [{ field: 'Idempotency-Key', rule: 'length', message: 'Idempotency-Key must be 1 to 200 characters' }],
      }),
    );
  }
  const commandId = header ?? body.commandId ?? randomUUID();
  const { commandId: _key, ...rest } = body;
  const requestHash = createHash('sha256')
    .update(`${req.method} ${req.path}\n${canonicalJson(rest)}`)
    .digest('hex');
  const correlation = req.header('x-correlation-id');
  return {
    principal: req.principal,
    commandId,
    correlationId: correlation && correlation.length <= 200 ? correlation : commandId,
    requestHash,
    ifMatch: parseIfMatch(req.header('if-match')),
  };
}

/** JSON with keys sorted, so that the same request always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The metadata every event of this command carries. */
export function commandMetadata(request: CommandRequest, tenantId: string): CommandMetadata {
  return {
    commandId: request.commandId,
    actor: request.principal.sub,
    tenantId,
    correlationId: request.correlationId,
    causationId: request.commandId,
    requestHash: request.requestHash,
  };
}

/** Sets what every command answer carries: the new revision as ETag, and whether it was a replay. */
export function setCommandHeaders(res: Response, result: CommandResult): void {
  res.setHeader('ETag', etagOf(result.revision));
  if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
}
