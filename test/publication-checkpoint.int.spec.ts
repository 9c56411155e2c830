import type { Response } from 'express';
import { executeCatalogueCommand } from '@itsm/application';
import { asLogPosition, systemCommand, type LogPosition } from '@itsm/event-store';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { Projector, ReportQueries, reportsProjection } from '@itsm/projections';
import { SqliteReadStore } from '@itsm/read-store-sqlite';
import { CoL, fixedClock } from '@itsm/test-kit';
import { PublicationSnapshots } from '../apps/api/src/publications/publication-snapshots';
import { Publications } from '../apps/api/src/publications/publications.service';
import type { ReportSource } from '../apps/api/src/reports/report-source';

/**
 * A publication's figures must all stand at the position it records. Built from the live read
 * models, they do only if the projector did not commit meanwhile: the service checks the checkpoint
 * once built, builds again if it moved, and after three tries builds from a replay of the log at the
 * last checkpoint it saw. Here the projector "moves" on every look.
 */
const NOW = new Date('2023-08-02T09:00:00Z');
let events: SqliteEventStore;
let reads: SqliteReadStore;
let queries: ReportQueries;
let positions: LogPosition[];

beforeAll(async () => {
  events = new SqliteEventStore({ filename: ':memory:' });
  reads = new SqliteReadStore(':memory:');
  const projector = new Projector(events, reads, reportsProjection());
  await projector.init();
  queries = new ReportQueries(reads, (c) => projector.collection(c));
  positions = [];
  for (const name of ['City of London', 'City of London Corporation', 'The City', 'City']) {
    const result = await executeCatalogueCommand(
      events,
      { kind: 'Tenant', id: 'CoL', action: positions.length ? 'revise' : 'register', value: { ...CoL, name } },
      systemCommand(`tenant/${name}`, 'admin', 'CoL'),
      () => NOW,
    );
    positions.push(asLogPosition(result.position));
  }
});
afterAll(async () => {
  await reads.close();
  await events.close();
});

/** The service with a report source and a projector the test scripts: `checkpoints` are what the projector says after each build. */
function publications(checkpoints: LogPosition[]) {
  const asked: string[] = [];
  let live = 0;
  const source = {
    at: async (q: { asOfPosition?: string }) => {
      if (q.asOfPosition !== undefined) {
        asked.push(`replay ${q.asOfPosition}`);
        return { reports: queries, now: new Date(0), position: asLogPosition(BigInt(q.asOfPosition)) };
      }
      asked.push(`live ${positions[live]}`);
      return { reports: queries, now: NOW, position: positions[live++] };
    },
  } as unknown as ReportSource;
  let looked = 0;
  const projector = {
    refresh: async () => undefined,
    get checkpoint() {
      return checkpoints[looked++];
    },
  } as unknown as Projector;
  const service = new Publications(events, fixedClock(NOW), source, projector, new PublicationSnapshots(reads));
  const res = { setHeader: () => undefined, removeHeader: () => undefined } as unknown as Response;
  const request = (key: string) => ({
    principal: { sub: 'clerk', roles: ['reporter' as const], tenants: ['CoL'] },
    commandId: key,
    correlationId: key,
    requestHash: key,
  });
  const publish = (key: string) =>
    service.publish({ kind: 'tenant', tenantId: 'CoL' }, { report: 'service-delivery-summary', month: '2023-07' }, request(key), res);
  return { publish, asked };
}

it('a projector standing still: one build from the live read models, at its checkpoint', async () => {
  const { publish, asked } = publications([positions[0]!]);
  const { entry } = await publish('still');
  expect(asked).toEqual([`live ${positions[0]}`]);
  expect(entry.position).toBe(positions[0]!.toString());
  expect(entry.asOf).toBe(NOW.toISOString());
});

it('a projector that moved while the figures were built: built again; still moving after three tries, from a replay at the last checkpoint seen', async () => {
  const { publish, asked } = publications([positions[1]!, positions[2]!, positions[3]!]);
  const { entry } = await publish('moving');
  expect(asked).toEqual([`live ${positions[0]}`, `live ${positions[1]}`, `live ${positions[2]}`, `replay ${positions[2]}`]);
  expect(entry.position).toBe(positions[2]!.toString());
  // The publication's "now" is its own, not the replay's.
  expect(entry.asOf).toBe(NOW.toISOString());
});

it('moved once, then still: the second build is kept', async () => {
  const { publish, asked } = publications([positions[1]!, positions[1]!]);
  const { entry } = await publish('once');
  expect(asked).toEqual([`live ${positions[0]}`, `live ${positions[1]}`]);
  expect(entry.position).toBe(positions[1]!.toString());
});
