import { executeCatalogueCommand } from '@itsm/application';
import { catalogueStream } from '@itsm/domain';
import { readWhole, systemCommand } from '@itsm/event-store';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { SqliteReadStore } from '@itsm/read-store-sqlite';
import { appendHistory, demoCatalogue, generateHistory, loadCatalogue } from '@itsm/simulation';
import { Projector, ReportQueries, readModelsDigest, reportsProjection } from '../src';

/**
 * The reports projection does not know tenant groups: their streams (`tenantgroup-<id>`) must leave
 * every read model as it was. Two logs, one with groups registered and revised after the tickets
 * (dated no later than the catalogue, so the log's own time is the same), build identical read models.
 */
async function build(withGroups: boolean) {
  const events = new SqliteEventStore({ filename: ':memory:' });
  const catalogue = demoCatalogue();
  const at = new Date('2023-01-01T00:00:00Z');
  await loadCatalogue(events, catalogue, at);
  await appendHistory(events, generateHistory(catalogue, { seed: 5, tickets: 400, from: '2023-01-02T00:00:00Z', days: 60 }), { seed: 5 });
  if (withGroups) {
    const group = (id: string, action: 'register' | 'revise', tenantIds: string[]) =>
      executeCatalogueCommand(
        events,
        { kind: 'TenantGroup', id, action, value: { groupId: id, name: id, tenantIds } },
        systemCommand(`test/${id}/${action}/${tenantIds.join()}`, 'test', '*'),
        () => at,
      );
    await group('city', 'register', ['CoL', 'CoLP']);
    await group('boroughs', 'register', ['LBB', 'LBL', 'LBS']);
    await group('boroughs', 'revise', ['LBB', 'LBL']);
    expect((await readWhole(events, catalogueStream.TenantGroup('boroughs'))).map((e) => e.type)).toEqual(['TenantGroupRegistered', 'TenantGroupRevised']);
  }
  const reads = new SqliteReadStore(':memory:');
  const projector = new Projector(events, reads, reportsProjection(), { batchSize: 500 });
  await projector.init();
  await projector.catchUp();
  const digest = await readModelsDigest(reads, reportsProjection(), (c) => projector.collection(c));
  const names = await new ReportQueries(reads, (c) => projector.collection(c)).catalogueNames();
  await reads.close();
  await events.close();
  return { digest, names: [...names.keys()].sort() };
}

it('the reports projection ignores tenant group streams: the same read models with or without them', async () => {
  const [without, withGroups] = [await build(false), await build(true)];
  expect(withGroups.digest).toEqual(without.digest);
  expect(withGroups.names.filter((k) => k.startsWith('tenant:'))).toEqual(['tenant:CoL', 'tenant:CoLP', 'tenant:LBB', 'tenant:LBL', 'tenant:LBS']);
}, 120_000);
