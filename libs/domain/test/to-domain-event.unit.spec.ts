import { EVENT_SCHEMA_VERSION, EVENT_UPCASTERS, toDomainEvent, UnknownSchemaVersionError, type Upcaster } from '../src';

const responded = { type: 'IncidentResponded', data: { respondedBy: 'desk', occurredAt: '2023-07-03T09:00:00.000Z' } };

describe('toDomainEvent: recorded events become domain events in one place', () => {
  it('an event at the current schema version is the event as recorded (no upcaster yet)', () => {
    expect(EVENT_UPCASTERS).toEqual([]);
    expect(toDomainEvent({ ...responded, metadata: { schemaVersion: EVENT_SCHEMA_VERSION, actor: 'x' } })).toEqual(responded);
  });

  it('an event recorded without a version is read as version 1, the first one written', () => {
    expect(toDomainEvent(responded)).toEqual(responded);
    expect(toDomainEvent({ ...responded, metadata: {} })).toEqual(responded);
  });

  describe('with a v0 → v1 upcaster registered', () => {
    // A pretend schema change: version 0 called the responder `by`; version 1 calls it `respondedBy`.
    const renameBy: Upcaster = {
      fromVersion: 0,
      type: 'IncidentResponded',
      upcast: ({ type, data }) => {
        const { by, ...rest } = data as { by: string };
        return { type, data: { ...rest, respondedBy: by } };
      },
    };
    const options = { upcasters: [renameBy], currentVersion: 1 };

    it('brings a version-0 fact to the current shape', () => {
      const v0 = { type: 'IncidentResponded', data: { by: 'desk', occurredAt: '2023-07-03T09:00:00.000Z' }, metadata: { schemaVersion: 0 } };
      expect(toDomainEvent(v0, options)).toEqual(responded);
    });
    it('leaves a version-1 fact, and other types at version 0, as they were', () => {
      expect(toDomainEvent({ ...responded, metadata: { schemaVersion: 1 } }, options)).toEqual(responded);
      const closed = { type: 'IncidentClosed', data: { automatic: true, occurredAt: '2023-07-03T09:00:00.000Z' } };
      expect(toDomainEvent({ ...closed, metadata: { schemaVersion: 0 } }, options)).toEqual(closed);
    });
    it('applies the steps in order, each to the type the step before produced', () => {
      const renameType: Upcaster = { fromVersion: 1, type: 'IncidentResponded', upcast: (e) => ({ type: 'TicketResponded', data: e.data }) };
      const v0 = { type: 'IncidentResponded', data: { by: 'desk', occurredAt: '2023-07-03T09:00:00.000Z' }, metadata: { schemaVersion: 0 } };
      expect(toDomainEvent(v0, { upcasters: [renameType, renameBy], currentVersion: 2 })).toEqual({ type: 'TicketResponded', data: responded.data });
    });
  });

  it.each([EVENT_SCHEMA_VERSION + 1, 99, -1, 1.5, '1', null])('refuses a fact recorded at schema version %j, naming it', (schemaVersion) => {
    const read = () => toDomainEvent({ ...responded, metadata: { schemaVersion } });
    expect(read).toThrow(UnknownSchemaVersionError);
    expect(read).toThrow(`IncidentResponded was recorded at schema version ${JSON.stringify(schemaVersion)}`);
  });
});
