import { randomUUID } from 'node:crypto';
import { TicketService } from '@itsm/application';
import type { TicketCommand } from '@itsm/domain';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { SqliteReadStore } from '@itsm/read-store-sqlite';
import { LBB, MovableClock, printing, slaPolicy } from '@itsm/test-kit';
import { Projector, ReportQueries, reportsProjection } from '../src';
import { raise, resolve, seedCatalogue } from './reports-fixture';

/**
 * Ticket ids are per tenant: CoL and LBB each have a T1, with an outage and a major incident MIR1
 * each. Every read model keeps them apart: neither overwrites nor merges with the other.
 */
describe('report read models when two tenants use the same ticket id', () => {
  let events: SqliteEventStore;
  let reads: SqliteReadStore;
  let q: ReportQueries;

  beforeAll(async () => {
    events = new SqliteEventStore({ filename: ':memory:' });
    reads = new SqliteReadStore(':memory:');
    await seedCatalogue(events);
    const at = '2023-01-01T00:00:00.000Z';
    await events.append('tenant-LBB', [{ id: randomUUID(), type: 'TenantRegistered', data: { ...LBB, occurredAt: at } }], { expectedRevision: 'no_stream' });
    await events.append('service-printing', [{ id: randomUUID(), type: 'ServiceRevised', data: { ...printing, tenantIds: ['CoL', 'LBB'], occurredAt: at } }], {
      expectedRevision: 'any',
    });
    await events.append('sla-policy-LBB', [{ id: randomUUID(), type: 'SlaPolicyVersionDefined', data: { ...slaPolicy('LBB'), occurredAt: at } }], {
      expectedRevision: 'no_stream',
    });

    const clock = new MovableClock(0);
    const tickets = new TicketService(events, clock);
    const run = async (tenantId: string, command: object, occurredAt: string) => {
      clock.set(occurredAt);
      const commandId = randomUUID();
      const c = { ...command, occurredAt } as TicketCommand;
      await tickets.execute(tenantId, 'T1', c.type === 'RaiseTicket' ? { ...c, tenantId } : c, {
        metadata: { commandId, actor: 'test', tenantId, correlationId: commandId, causationId: commandId, requestHash: commandId },
      });
    };
    // CoL's T1: a P1 with a 19-minute outage and major incident MIR1, fixed in 90 minutes.
    await run('CoL', raise('T1', 'P1'), '2023-07-03T08:00:00Z');
    await run('CoL', { type: 'AssignTicket', groupId: 'desktop', supplierId: 'konica' }, '2023-07-03T08:05:00Z');
    await run('CoL', { type: 'RecordOutage', from: '2023-07-03T08:00:00Z', to: '2023-07-03T08:19:00Z' }, '2023-07-03T08:30:00Z');
    await run('CoL', { type: 'DeclareMajorIncident', reference: 'MIR1', tenantsAffected: ['CoL'], trigger: 'several_p1s' }, '2023-07-03T08:31:00Z');
    await run('CoL', { ...(resolve() as object), rootCause: 'CoL toner' }, '2023-07-03T09:30:00Z');
    // LBB's T1, later: a P2 with a 30-minute outage and its own MIR1, still open.
    await run('LBB', raise('T1', 'P2'), '2023-07-10T09:00:00Z');
    await run('LBB', { type: 'RecordOutage', from: '2023-07-10T09:00:00Z', to: '2023-07-10T09:30:00Z' }, '2023-07-10T09:40:00Z');
    await run('LBB', { type: 'DeclareMajorIncident', reference: 'MIR1', tenantsAffected: ['LBB'], trigger: 'several_p1s' }, '2023-07-10T09:41:00Z');

    const projector = new Projector(events, reads, reportsProjection(), { batchSize: 3 });
    await projector.init();
    await projector.catchUp();
    q = new ReportQueries(reads, (c) => projector.collection(c));
  });
  afterAll(async () => {
    await events.close();
    await reads.close();
  });

  it('each tenant lists its own T1', async () => {
    const col = await q.tickets({ tenantId: 'CoL' });
    const lbb = await q.tickets({ tenantId: 'LBB' });
    expect(col.items.map((t) => [t.id, t.tenantId, t.priority, t.status])).toEqual([['T1', 'CoL', 'P1', 'resolved']]);
    expect(lbb.items.map((t) => [t.id, t.tenantId, t.priority, t.status])).toEqual([['T1', 'LBB', 'P2', 'new']]);
  });

  it("P1/P2 look-ups read each ticket's own fold", async () => {
    const [col] = await q.priorityIncidents({ tenantId: 'CoL', month: '2023-07', zone: 'Europe/London' });
    const [lbb] = await q.priorityIncidents({ tenantId: 'LBB', month: '2023-07', zone: 'Europe/London' });
    expect(col).toMatchObject({ id: 'T1', priority: 'P1', reason: 'CoL toner', outageMinutes: 19, resolvedWithinTarget: true, majorIncident: 'MIR1' });
    expect(lbb).toMatchObject({ id: 'T1', priority: 'P2', reason: null, outageMinutes: 30, resolvedWithinTarget: null, majorIncident: 'MIR1' });
  });

  it('both outages count towards the service, and each major incident register keeps its own MIR1', async () => {
    const availability = await q.serviceAvailability({ month: '2023-07', zone: 'Europe/London' });
    expect(availability.services.find((s) => s.serviceId === 'printing')).toMatchObject({ outageMinutes: 49 });
    expect((await q.majorIncidents({ tenantId: 'CoL' })).map((m) => [m.reference, m.ticketId, m.tenantId, m.priority])).toEqual([['MIR1', 'T1', 'CoL', 'P1']]);
    expect((await q.majorIncidents({ tenantId: 'LBB' })).map((m) => [m.reference, m.ticketId, m.tenantId, m.priority])).toEqual([['MIR1', 'T1', 'LBB', 'P2']]);
  });

  it('demand counts each tenant its own ticket', async () => {
    const demand = async (tenantId: string) =>
      (await q.demand({ tenantId, range: { from: '2023-07', to: '2023-07' }, granularity: 'month' })).map((r) => [r.priority, r.raised, r.resolved]);
    expect(await demand('CoL')).toEqual([['P1', 1, 1]]);
    expect(await demand('LBB')).toEqual([['P2', 1, 0]]);
  });
});
