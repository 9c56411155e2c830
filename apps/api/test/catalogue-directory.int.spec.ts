import { EVENT_SCHEMA_VERSION, UnknownSchemaVersionError } from '@itsm/domain';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import type { EventToAppend } from '@itsm/event-store';
import { CatalogueDirectory } from '../src/catalogue/catalogue-directory';

let n = 0;
const fact = (type: string, data: object, schemaVersion = EVENT_SCHEMA_VERSION): EventToAppend => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  type,
  data: { ...data, occurredAt: '2023-01-01T00:00:00.000Z' },
  metadata: { actor: 'seed', schemaVersion },
});
const service = (serviceId: string) => ({ serviceId, name: serviceId, tenantIds: [], critical: false, ownership: 'it_owned', availabilityTargetPct: 99 });

describe('the catalogue directory', () => {
  let store: SqliteEventStore;
  beforeEach(() => (store = new SqliteEventStore({ filename: ':memory:' })));
  afterEach(() => store.close());

  it('lists the entries of catalogue streams, by the stream parser: a name whose id breaks the id rule is no entry', async () => {
    await store.append('service-printing', [fact('ServiceRegistered', service('printing'))], { expectedRevision: 'no_stream' });
    await store.append('service-a.b', [fact('ServiceRegistered', service('a.b'))], { expectedRevision: 'no_stream' });
    await store.append('tenantgroup-city', [fact('TenantGroupRegistered', { groupId: 'city', name: 'City', tenantIds: [] })], {
      expectedRevision: 'no_stream',
    });
    const directory = new CatalogueDirectory(store);
    expect((await directory.withRevisions('Service')).map((e) => e.id)).toEqual(['printing']);
    expect((await directory.all('TenantGroup')).map((g) => (g as { groupId: string }).groupId)).toEqual(['city']);
  });

  it('reads each fact at the schema version it was recorded at (a newer one is refused)', async () => {
    await store.append('service-printing', [fact('ServiceRegistered', service('printing'), EVENT_SCHEMA_VERSION + 1)], { expectedRevision: 'no_stream' });
    await expect(new CatalogueDirectory(store).all('Service')).rejects.toThrow(UnknownSchemaVersionError);
  });
});
