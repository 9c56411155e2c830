import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { catalogueStream, sharedIct2019, ticketStream } from '@itsm/domain';
import { readWhole } from '@itsm/event-store';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { importServiceNowLog } from '@itsm/migration';
import { loadCatalogue } from '@itsm/simulation';
import { tenant as kitTenant } from '@itsm/test-kit';

const IMPORT_RUNS = new Date('2025-06-02T08:00:00Z');
const tenant = kitTenant('SNL', { name: 'Lanes' });
const [header, template] = readFileSync(join(__dirname, 'fixtures', 'servicenow-sample.csv'), 'utf8').split('\n');

/** A row of the sample's first incident with another number, state, sys_mod_count and update time. */
function row(number: string, state: string, sysModCount: number, updatedAt: string, group = 'Group 56'): string {
  const cells = template!.split(',');
  cells[0] = number;
  cells[1] = state;
  cells[5] = String(sysModCount);
  cells[13] = updatedAt;
  cells[23] = group;
  return cells.join(',');
}

/**
 * More incidents than the import runs side by side, each refused a command dated after the import
 * runs: the short ones are refused sooner than the long ones before them, yet the problems come
 * in file order and the first ones are those kept.
 */
function file(incidents: number): string {
  const lines = [header];
  for (let i = 1; i <= incidents; i++) {
    const number = `INC9${String(i).padStart(6, '0')}`;
    const updates = i % 2 ? 1 : 12; // odd incidents reach their refusal after one command, even ones after many
    lines.push(row(number, 'New', 0, '01-03-2016 09:00', '?'));
    for (let k = 1; k <= updates; k++)
      lines.push(
        row(number, 'Active', k, `01-03-2016 ${String(9 + Math.floor(k / 6)).padStart(2, '0')}:${String((k * 10) % 60).padStart(2, '0')}`, `Group ${k}`),
      );
    lines.push(row(number, 'Active', updates + 1, '01-03-2030 09:00', 'Group 99'));
  }
  return `${lines.join('\n')}\n`;
}

describe('import of many incidents at once', () => {
  it('reports problems in file order, keeps the first ones, and lands every incident as alone', async () => {
    const store = new SqliteEventStore({ filename: ':memory:', now: () => IMPORT_RUNS });
    await loadCatalogue(
      store,
      { tenants: [tenant], suppliers: [], services: [], groups: [], policies: [sharedIct2019('SNL', '2010-01-01T00:00:00Z')] },
      new Date('2010-01-01T00:00:00Z'),
    );
    const csv = file(80);
    const summary = await importServiceNowLog(store, () => Readable.from([csv]), {
      tenantId: 'SNL',
      sourceName: 'lanes.csv',
      now: () => IMPORT_RUNS,
      maxProblems: 10,
    });
    expect(summary.incidents).toBe(80);
    expect(summary.commands.refused).toBe(80);
    expect(summary.commandsRefused).toEqual({ 'TICKET.OCCURRED_IN_FUTURE': 80 });
    const lines = summary.problems.map((p) => p.line);
    expect(lines).toHaveLength(10);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(summary.problems.map((p) => p.number)).toEqual(Array.from({ length: 10 }, (_, i) => `INC9${String(i + 1).padStart(6, '0')}`));
    // An even incident: raised, then one assignment per update until the refused one.
    const even = await readWhole(store, ticketStream('SNL', 'INC9000002'));
    expect(even.filter((e) => e.type === 'IncidentAssigned').map((e) => e.data.groupId)).toEqual(Array.from({ length: 12 }, (_, k) => `sn-group-${k + 1}`));
    // Each group registered once, dated by the first incident naming it.
    const group1 = await readWhole(store, catalogueStream.ResolverGroup('sn-group-1'));
    expect(group1.length).toBe(1);
    await store.close();
  });
});
