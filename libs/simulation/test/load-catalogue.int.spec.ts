import { executeCatalogueCommand } from '@itsm/application';
import { catalogueStream, DomainError } from '@itsm/domain';
import { readWhole, systemCommand, type EventStore } from '@itsm/event-store';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { demoCatalogue, loadCatalogue, type Catalogue } from '../src';

const AT = new Date('2023-01-01T00:00:00Z');
let store: SqliteEventStore;
beforeEach(() => (store = new SqliteEventStore({ filename: ':memory:' })));
afterEach(() => store.close());

const count = async (s: EventStore) => {
  let n = 0;
  for await (const event of s.readAll()) if (event) n++;
  return n;
};
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => (e instanceof DomainError ? { code: e.code, field: e.field } : e),
  );

describe('the demo loader registers through the catalogue decider', () => {
  it('loads the demo catalogue once: a second load appends nothing', async () => {
    await loadCatalogue(store, demoCatalogue(), AT);
    const loaded = await count(store);
    expect(loaded).toBeGreaterThan(0);
    await loadCatalogue(store, demoCatalogue(), AT);
    expect(await count(store)).toBe(loaded);
  });

  it('refuses an entry that breaks a rule, naming the field, and records nothing for it', async () => {
    const catalogue = demoCatalogue();
    const broken: Catalogue = { ...catalogue, groups: [{ ...catalogue.groups[0]!, groupId: 'ghost-desk', tenantIds: ['NOPE'] }] };
    expect(await refusal(loadCatalogue(store, broken, AT))).toEqual({ code: 'CATALOGUE.UNKNOWN_TENANT', field: 'tenantIds' });
    expect(await readWhole(store, catalogueStream.ResolverGroup('ghost-desk'))).toEqual([]);
  });

  it('judges names against the log, not the file: a tenant registered before counts as known', async () => {
    const catalogue = demoCatalogue();
    await loadCatalogue(store, { ...catalogue, services: [], groups: [], policies: [] }, AT);
    const groupsOnly = { ...catalogue, tenants: [], suppliers: [], services: [], policies: [] };
    await loadCatalogue(store, groupsOnly, AT);
    const [group] = catalogue.groups;
    expect((await readWhole(store, catalogueStream.ResolverGroup(group!.groupId))).map((e) => e.type)).toEqual(['ResolverGroupRegistered']);
  });
});

describe('ensure (loaders and importers) keeps the catalogue rules', () => {
  const ensure = (kind: 'ResolverGroup' | 'Service', value: object) =>
    executeCatalogueCommand(
      store,
      { kind, id: (value as { groupId?: string; serviceId?: string }).groupId ?? (value as { serviceId: string }).serviceId, action: 'ensure', value },
      systemCommand(`test/${kind}`, 'test', '*'),
      () => AT,
    );

  it('refuses a group serving an unregistered tenant', async () => {
    expect(await refusal(ensure('ResolverGroup', { groupId: 'g', name: 'G', tenantIds: ['NOPE'], serviceDesk: false }))).toEqual({
      code: 'CATALOGUE.UNKNOWN_TENANT',
      field: 'tenantIds',
    });
    expect(await count(store)).toBe(0);
  });

  it('refuses a service behind an unregistered supplier', async () => {
    await loadCatalogue(store, { ...demoCatalogue(), suppliers: [], services: [], groups: [], policies: [] }, AT);
    const service = { serviceId: 's', name: 'S', tenantIds: ['CoL'], critical: false, ownership: 'it_owned', supplierId: 'nobody', availabilityTargetPct: 99 };
    expect(await refusal(ensure('Service', service))).toEqual({ code: 'SERVICE.UNKNOWN_SUPPLIER', field: 'supplierId' });
  });
});
