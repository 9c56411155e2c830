import type { NextFunction, Request, Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { problem, ProblemException } from './problem-details';

/** The largest JSON body the API reads, after any Content-Encoding is undone (so a gzip bomb is refused too). */
export const JSON_BODY_LIMIT = '256kb';
/** Deeper than any body the API takes (an SLA policy is 5 levels): deeper nesting is refused before it reaches a parser or validator. */
export const MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** How deeply the JSON text nests arrays and objects (brackets inside strings are text). One pass, no parsing. */
export function jsonDepthExceeds(body: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}

/** body-parser's verify hook: refuses JSON nested deeper than MAX_JSON_DEPTH (JSON.parse and class-transformer recurse). */
export function verifyJsonDepth(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  if (jsonDepthExceeds(body, MAX_JSON_DEPTH)) {
    throw Object.assign(new Error(`The JSON body nests arrays and objects more than ${MAX_JSON_DEPTH} deep`), { status: 400, type: 'entity.too.deep' });
  }
}

/**
 * Keys no body of this API uses and that reach object machinery when a body is turned into classes
 * (class-transformer reads `constructor` of a nested object and crashes): refused at any depth.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A body naming a forbidden key. Its `type` lives on the prototype: body-parser strips an error's own properties. */
class ForbiddenJsonKeyError extends Error {
  declare readonly type: string;
}
Object.defineProperty(ForbiddenJsonKeyError.prototype, 'type', { value: 'entity.forbidden.key', writable: true });

/** body-parser's JSON reviver: refuses forbidden keys wherever they are nested. */
export function refuseForbiddenKeys(this: unknown, key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) throw new ForbiddenJsonKeyError(`The JSON body names the key "${key}", which no field of this API has`);
  return value;
}

/** What body-parser (and raw-body, zlib under it) report, by its `type`. */
interface BodyError {
  type?: string;
  status?: number;
  statusCode?: number;
  code?: string;
  errno?: number;
  expose?: boolean;
  limit?: number;
  encoding?: string;
  charset?: string;
}

const bodyProblem = (status: number, code: string, field: string, rule: string, message: string) =>
  new ProblemException(problem(status, code, message, { errors: [{ field, rule, message }], ...(status === 413 ? { title: 'Content Too Large' } : {}) }));

/** A request body the API cannot read, as a problem naming the field (body, Content-Encoding, Content-Type) and rule. */
export function requestBodyProblem(error: unknown): ProblemException | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as BodyError;
  switch (e.type) {
    case 'entity.too.large':
      return bodyProblem(
        413,
        'REQUEST.TOO_LARGE',
        'body',
        'maxSize',
        `The request body is larger than ${JSON_BODY_LIMIT} (after decompression); nothing was recorded`,
      );
    case 'entity.too.deep':
      return bodyProblem(400, 'REQUEST.TOO_DEEP', 'body', 'maxDepth', `The JSON body nests arrays and objects more than ${MAX_JSON_DEPTH} deep`);
    case 'entity.forbidden.key':
      return bodyProblem(400, 'REQUEST.FORBIDDEN_KEY', 'body', 'forbiddenKey', (error as Error).message);
    case 'entity.parse.failed':
      return bodyProblem(400, 'HTTP.BAD_REQUEST', 'body', 'json', 'The request body is not valid JSON');
    case 'encoding.unsupported':
      return bodyProblem(
        415,
        'REQUEST.UNSUPPORTED_ENCODING',
        'Content-Encoding',
        'supportedEncoding',
        `Content-Encoding ${e.encoding ?? ''} is not supported: send identity, gzip, deflate or br`.replace('  ', ' '),
      );
    case 'charset.unsupported':
      return bodyProblem(415, 'REQUEST.UNSUPPORTED_CHARSET', 'Content-Type', 'charset', `charset ${e.charset ?? ''} is not supported: send UTF-8`);
    case 'request.size.invalid':
      return bodyProblem(400, 'REQUEST.INVALID_LENGTH', 'Content-Length', 'matchesBody', 'The request body is not as long as Content-Length says');
    case 'request.aborted':
      return bodyProblem(400, 'REQUEST.ABORTED', 'body', 'complete', 'The request body ended before it was complete');
    case 'stream.encoding.set':
    case 'stream.not.readable':
      return undefined;
  }
  const status = e.status ?? e.statusCode;
  // A compressed body that does not decompress: zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR; brotli's
  // ERR__ERROR_FORMAT_*), which body-parser passes on as a 400 with no type of its own.
  if (status === 400 && e.type === undefined && typeof e.errno === 'number') {
    return bodyProblem(400, 'REQUEST.BAD_ENCODING', 'Content-Encoding', 'decodable', 'The request body does not decompress as its Content-Encoding says');
  }
  // Any other refusal body-parser meant for the client (http-errors' expose): its status, as a problem.
  if (typeof status === 'number' && status >= 400 && status < 500 && e.expose === true) {
    return bodyProblem(status, 'REQUEST.UNREADABLE_BODY', 'body', 'readable', 'The request body could not be read');
  }
  return undefined;
}

/**
 * Express error middleware right after the body parser: its errors become problems before Nest's
 * own mapping (which would turn them into a bare 400, or a 500 for anything but a syntax error).
 */
export function requestBodyErrors(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  next(requestBodyProblem(error) ?? error);
}
