import type { ArgumentsHost } from '@nestjs/common';
import { AppendTooLargeError, EventStoreUnavailableError, InvalidPositionError, StreamDeletedError, WrongExpectedVersionError } from '@itsm/event-store';
import { UnknownSchemaVersionError } from '@itsm/domain';
import { ProblemDetailsFilter } from '../src/common/problem-details.filter';

/** The filter's answer, as the client would see it: status, headers and the parsed body. */
function answer(error: unknown, url = '/v1/tenants/CoL/tickets/INC1/respond') {
  const sent = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const res = {
    setHeader(name: string, value: string) {
      sent.headers[name.toLowerCase()] = String(value);
      return res;
    },
    status(code: number) {
      sent.status = code;
      return res;
    },
    type(type: string) {
      sent.headers['content-type'] = type;
      return res;
    },
    send(text: string) {
      sent.body = JSON.parse(text);
      return res;
    },
  };
  const req = { method: 'POST', url, originalUrl: url };
  const host = { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(error, host);
  return sent;
}

describe('ProblemDetailsFilter: event store failures as RFC 9457 answers', () => {
  const silenceNestLogger = () => jest.spyOn(process.stderr, 'write').mockImplementation(() => true);

  it('an event from a newer release → 503 EVENT.UNKNOWN_SCHEMA_VERSION, never a 500', () => {
    silenceNestLogger();
    const { status, body } = answer(new UnknownSchemaVersionError('IncidentRaised', 9, 1));
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: 503, code: 'EVENT.UNKNOWN_SCHEMA_VERSION', title: 'Service Unavailable' });
  });

  it('a deleted stream → 409 EVENT_STORE.STREAM_DELETED', () => {
    const { status, headers, body } = answer(new StreamDeletedError('incident-INC1'));
    expect(status).toBe(409);
    expect(headers['content-type']).toBe('application/problem+json');
    expect(headers['retry-after']).toBeUndefined();
    expect(body).toMatchObject({
      type: 'urn:itsm:problem:event_store.stream_deleted',
      title: 'Conflict',
      status: 409,
      code: 'EVENT_STORE.STREAM_DELETED',
      instance: '/v1/tenants/CoL/tickets/INC1/respond',
    });
    expect((body as { detail: string }).detail).toContain('incident-INC1');
  });

  it('an append over the store’s size limit → 413 EVENT_STORE.APPEND_TOO_LARGE naming the limit', () => {
    const { status, body } = answer(new AppendTooLargeError('incident-INC1', 1_048_576));
    expect(status).toBe(413);
    expect(body).toMatchObject({ status: 413, title: 'Content Too Large', code: 'EVENT_STORE.APPEND_TOO_LARGE' });
    expect((body as { detail: string }).detail).toContain('1048576 bytes');
  });

  it.each([
    ['not_leader', '1'],
    ['deadline_exceeded', '1'],
    ['unavailable', '3'],
    ['access_denied', '5'],
  ] as const)('an unavailable store (%s) → 503 EVENT_STORE.UNAVAILABLE with Retry-After: %s', (reason, retryAfter) => {
    const stderr = silenceNestLogger();
    const { status, headers, body } = answer(new EventStoreUnavailableError(reason, 'node1 refused: secret detail'));
    stderr.mockRestore();
    expect(status).toBe(503);
    expect(headers['retry-after']).toBe(retryAfter);
    expect(headers['content-type']).toBe('application/problem+json');
    expect(body).toMatchObject({ status: 503, title: 'Service Unavailable', code: 'EVENT_STORE.UNAVAILABLE' });
    const detail = (body as { detail: string }).detail;
    expect(detail).toContain(reason);
    expect(detail).toContain('Idempotency-Key');
    expect(detail).not.toContain('secret detail'); // the server's own words stay in the log
  });

  it('a position that is no event’s → 400 EVENT_STORE.INVALID_POSITION', () => {
    const { status, body } = answer(new InvalidPositionError('12345'));
    expect(status).toBe(400);
    expect(body).toMatchObject({ status: 400, code: 'EVENT_STORE.INVALID_POSITION', errors: [{ field: 'position', rule: 'EVENT_STORE.INVALID_POSITION' }] });
  });

  it('the embedded store busy beyond its timeout → 503 STORE.BUSY with Retry-After: 1', () => {
    const stderr = silenceNestLogger();
    const { status, headers, body } = answer(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
    stderr.mockRestore();
    expect(status).toBe(503);
    expect(headers['retry-after']).toBe('1');
    expect(body).toMatchObject({ code: 'STORE.BUSY' });
  });

  it('leaves the other answers as they were: a conflict is 409 with the current revision, no Retry-After', () => {
    const { status, headers, body } = answer(new WrongExpectedVersionError('incident-INC1', 3n, 5n));
    expect(status).toBe(409);
    expect(headers['retry-after']).toBeUndefined();
    expect(body).toMatchObject({ code: 'EVENT_STORE.WRONG_EXPECTED_VERSION', currentRevision: '5' });
    const unknown = (() => {
      const stderr = silenceNestLogger();
      try {
        return answer(new Error('boom'));
      } finally {
        stderr.mockRestore();
      }
    })();
    expect(unknown.status).toBe(500);
    expect(unknown.headers['retry-after']).toBeUndefined();
  });
});
