import {
  StreamNotFoundError as KurrentStreamNotFound,
  WrongExpectedVersionError as KurrentWrongExpectedVersion,
} from '@kurrent/kurrentdb-client';
import { StreamNotFoundError, WrongExpectedVersionError } from '../src';
import {
  mapKurrentError,
  toKurrentPosition,
  toPortPosition,
  toRecordedEvent,
  toStreamState,
} from '../src/kurrentdb/kurrentdb-mapping';

describe('KurrentDB adapter mapping (no server needed)', () => {
  it('maps the port position to {commit, prepare} and back', () => {
    expect(toKurrentPosition(1234n)).toEqual({ commit: 1234n, prepare: 1234n });
    expect(toPortPosition({ commit: 987n, prepare: 987n })).toBe(987n);
    expect(() => toPortPosition(undefined)).toThrow(/without a position/);
  });

  it.each([['any'], ['no_stream'], ['stream_exists'], [5n]] as const)('passes expected revision %p as streamState', (r) => {
    expect(toStreamState(r)).toBe(r);
  });

  it('maps a wrong-expected-version error with the expected and actual revision', () => {
    const err = new KurrentWrongExpectedVersion(undefined, { streamName: 'incident-1', expected: 3n, current: 7n } as never);
    const mapped = mapKurrentError(err, 'incident-1', 3n) as WrongExpectedVersionError;
    expect(mapped).toBeInstanceOf(WrongExpectedVersionError);
    expect(mapped.streamId).toBe('incident-1');
    expect(mapped.expected).toBe(3n);
    expect(mapped.actual).toBe(7n);
  });

  it("maps a missing stream's actual revision to 'no_stream'", () => {
    const err = new KurrentWrongExpectedVersion(undefined, { streamName: 'incident-1', expected: 0n, current: 'no_stream' } as never);
    expect((mapKurrentError(err, 'incident-1', 0n) as WrongExpectedVersionError).actual).toBe('no_stream');
  });

  it('maps stream-not-found and passes other errors through', () => {
    expect(mapKurrentError(new KurrentStreamNotFound(undefined, 'incident-2'), 'incident-2')).toBeInstanceOf(StreamNotFoundError);
    const other = new Error('network');
    expect(mapKurrentError(other, 'x')).toBe(other);
  });

  it('maps a recorded event, decoding JSON and binary metadata', () => {
    const created = new Date('2023-07-03T09:00:00Z');
    const base = { streamId: 'incident-1', id: 'c0ffee00-0000-4000-8000-000000000000', revision: 4n, type: 'IncidentRaised', created };
    const json = toRecordedEvent({ ...base, isJson: true, data: { a: 1 }, metadata: { actor: 'x' }, position: { commit: 10n, prepare: 10n } } as never);
    expect(json).toEqual({ ...base, position: 10n, data: { a: 1 }, metadata: { actor: 'x' }, recordedAt: created, created: undefined });
    const binary = toRecordedEvent(
      { ...base, isJson: true, data: { a: 1 }, metadata: Buffer.from('{"actor":"y"}'), position: { commit: 11n, prepare: 11n } } as never,
    );
    expect(binary.metadata).toEqual({ actor: 'y' });
  });
});
