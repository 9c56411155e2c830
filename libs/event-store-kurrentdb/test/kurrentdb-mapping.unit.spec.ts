import { asLogPosition } from '@itsm/event-store';
import { isSystemStream, toKurrentPosition, toPortPosition, toRecordedEvent, toStreamState } from '../src/kurrentdb-mapping';

describe('KurrentDB adapter mapping (no server needed)', () => {
  it('maps the port position to {commit, prepare} and back', () => {
    expect(toKurrentPosition(asLogPosition(1234n))).toEqual({ commit: 1234n, prepare: 1234n });
    expect(toPortPosition({ commit: 987n, prepare: 987n })).toBe(987n);
    expect(() => toPortPosition(undefined)).toThrow(/without a position/);
  });

  it.each([['any'], ['no_stream'], ['stream_exists'], [5n]] as const)('passes expected revision %p as streamState', (r) => {
    expect(toStreamState(r)).toBe(r);
  });

  it('tells the server’s own streams apart', () => {
    expect(isSystemStream('$settings')).toBe(true);
    expect(isSystemStream('$$incident-1')).toBe(true);
    expect(isSystemStream('incident-1')).toBe(false);
  });

  it('maps a recorded event, decoding JSON and binary metadata', () => {
    const created = new Date('2023-07-03T09:00:00Z');
    const base = { streamId: 'incident-1', id: 'c0ffee00-0000-4000-8000-000000000000', revision: 4n, type: 'IncidentRaised', created };
    const json = toRecordedEvent({ ...base, isJson: true, data: { a: 1 }, metadata: { actor: 'x' }, position: { commit: 10n, prepare: 10n } } as never);
    expect(json).toEqual({
      id: base.id,
      streamId: 'incident-1',
      revision: 4n,
      type: 'IncidentRaised',
      position: 10n,
      data: { a: 1 },
      metadata: { actor: 'x' },
      recordedAt: created,
    });
    const binary = toRecordedEvent({
      ...base,
      isJson: true,
      data: { a: 1 },
      metadata: Buffer.from('{"actor":"y"}'),
      position: { commit: 11n, prepare: 11n },
    } as never);
    expect(binary.metadata).toEqual({ actor: 'y' });
    expect(
      toRecordedEvent({ ...base, isJson: true, data: { a: 1 }, metadata: new Uint8Array(), position: { commit: 12n, prepare: 12n } } as never).metadata,
    ).toEqual({});
  });
});
