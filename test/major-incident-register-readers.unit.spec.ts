import { reportsProjection, type ProjectionContext } from '@itsm/projections';
import { majorIncidentRegisterStream, parseTicketStream } from '@itsm/domain';
import { asLogPosition, type RecordedEvent } from '@itsm/event-store';

/**
 * The major incident registers (`major-incidents-<tenantId>`) are a stream kind of their own: the
 * reports projection, which knows ticket, catalogue and policy streams, passes them by. (Its clock
 * document follows every event's occurredAt, a register's too: a reservation is dated as the
 * declaration it serves, which the ticket's MajorIncidentDeclared then carries as well.)
 */
describe('readers of the log pass the registers by', () => {
  const reservation: RecordedEvent = {
    id: '00000000-0000-8000-8000-000000000001',
    streamId: majorIncidentRegisterStream('CoL'),
    revision: 0n,
    position: asLogPosition(1n),
    type: 'MajorIncidentReferenceReserved',
    data: { reference: 'MIR200', ticketTenantId: 'CoL', ticketId: 'T1', occurredAt: '2023-07-10T09:00:00.000Z', heldUntil: '2023-07-10T09:05:00.000Z' },
    metadata: { tenantId: 'CoL' },
    recordedAt: new Date('2023-07-10T09:00:00.000Z'),
  };

  it('is no ticket stream', () => expect(parseTicketStream(reservation.streamId)).toBeUndefined());

  it('the reports projection writes no report document for a register event', async () => {
    const writes: string[] = [];
    const ctx: ProjectionContext = {
      get: async () => undefined,
      findAll: async () => [],
      put: (collection) => void writes.push(collection),
      delete: (collection) => void writes.push(`delete ${collection}`),
    };
    await reportsProjection().apply(reservation, ctx);
    expect(writes.filter((c) => c !== 'meta')).toEqual([]);
  });
});
