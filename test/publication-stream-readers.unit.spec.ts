import { reportsProjection, type ProjectionContext } from '@itsm/projections';
import { publicationStream, type FiguresPublishedData } from '@itsm/domain';
import { asLogPosition, type RecordedEvent } from '@itsm/event-store';

/**
 * Publications (`publications-<tenantId>`, `grouppublications-<groupId>`) change no figure: the
 * reports projection passes them by, and writes not even its clock document, since a publication
 * carries no business time (`asOf`, never `occurredAt`) that could move the log's own time.
 */
describe('the reports projection passes publications by', () => {
  const data: FiguresPublishedData = {
    publicationId: '6f0c1a52-0000-4000-8000-000000000001',
    report: 'service-delivery-summary',
    parameters: { month: '2023-07', zone: 'Europe/London' },
    subject: { kind: 'tenant', tenantId: 'CoL' },
    position: '40',
    eventCount: 40,
    headGlobalHash: 'a'.repeat(64),
    figures: 400,
    digest: 'b'.repeat(64),
    asOf: '2023-09-15T09:00:00.000Z',
  };
  const event = (streamId: string): RecordedEvent => ({
    id: '00000000-0000-8000-8000-000000000001',
    streamId,
    revision: 0n,
    position: asLogPosition(41n),
    type: 'FiguresPublished',
    data: data as never,
    metadata: { tenantId: 'CoL' },
    recordedAt: new Date(data.asOf),
  });

  it.each([
    publicationStream({ kind: 'tenant', tenantId: 'CoL' }),
    publicationStream({ kind: 'group', groupId: 'city', name: 'City', tenantIds: ['CoL', 'CoLP'], revision: '0' }),
  ])('%s: no document written', async (streamId) => {
    const writes: string[] = [];
    const ctx: ProjectionContext = {
      get: async () => undefined,
      findAll: async () => [],
      put: (collection) => void writes.push(collection),
      delete: (collection) => void writes.push(`delete ${collection}`),
    };
    await reportsProjection().apply(event(streamId), ctx);
    expect(writes).toEqual([]);
  });
});
