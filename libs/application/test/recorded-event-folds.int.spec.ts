import { cityOfLondon2023, EVENT_SCHEMA_VERSION, slaPolicyStream, ticketStream, UnknownSchemaVersionError } from '@itsm/domain';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { systemCommand, type EventToAppend } from '@itsm/event-store';
import { fixedClock } from '@itsm/test-kit';
import { CatalogueRepository, CatalogueView, executeCatalogueCommand, SlaPolicyRepository, TicketService } from '../src';

const AT = '2023-06-01T09:00:00.000Z';
const NEWER = EVENT_SCHEMA_VERSION + 1;
let n = 0;
/** A fact as a newer writer would record it: at a schema version this code cannot read. */
const newer = (type: string, data: object): EventToAppend => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  type,
  data: { ...data, occurredAt: '2023-01-01T00:00:00.000Z' },
  metadata: { actor: 'seed', schemaVersion: NEWER },
});
const printing = { serviceId: 'printing', name: 'Printing', tenantIds: [], critical: false, ownership: 'it_owned', availabilityTargetPct: 99 };

/**
 * Every fold of a recorded stream goes through toDomainEvent, which reads the schema version the
 * event was recorded at: a fact written by newer code is refused, never folded as if it were current.
 */
describe('folds of recorded events read their schema version', () => {
  let store: SqliteEventStore;
  beforeEach(() => (store = new SqliteEventStore({ filename: ':memory:' })));
  afterEach(() => store.close());

  it('a catalogue entry (repository, view, and the command path through handleCommand)', async () => {
    await store.append('service-printing', [newer('ServiceRegistered', printing)], { expectedRevision: 'no_stream' });
    await expect(new CatalogueRepository(store).get('Service', 'printing')).rejects.toThrow(UnknownSchemaVersionError);
    await expect(new CatalogueView(store).value('Service', 'printing')).rejects.toThrow(UnknownSchemaVersionError);
    const revise = executeCatalogueCommand(
      store,
      { kind: 'Service', id: 'printing', action: 'revise', value: { ...printing, name: 'Print' } },
      systemCommand('c1', 'test', '*'),
      () => new Date(AT),
    );
    await expect(revise).rejects.toThrow(UnknownSchemaVersionError);
  });

  it("a tenant's SLA policy versions", async () => {
    await store.append(slaPolicyStream('CoL'), [newer('SlaPolicyVersionDefined', { ...cityOfLondon2023('CoL'), version: 1 })], {
      expectedRevision: 'no_stream',
    });
    await expect(new SlaPolicyRepository(store).load('CoL')).rejects.toThrow(UnknownSchemaVersionError);
  });

  it('a ticket', async () => {
    await store.append(ticketStream('CoL', 'INC-1'), [newer('IncidentRaised', { ticketId: 'INC-1', tenantId: 'CoL', kind: 'incident', priority: 'P3' })], {
      expectedRevision: 'no_stream',
    });
    await expect(new TicketService(store, fixedClock(AT)).load('CoL', 'INC-1')).rejects.toThrow(UnknownSchemaVersionError);
  });
});
