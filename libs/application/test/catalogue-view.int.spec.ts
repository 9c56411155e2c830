import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cityOfLondon2023, ticketStream, type Service } from '@itsm/domain';
import { IdempotencyKeyReusedError, systemCommand, type EventStore, type EventToAppend, type RecordedEvent } from '@itsm/event-store';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { fixedClock } from '@itsm/test-kit';
import { CatalogueView } from '../src/catalogue-view';
import { executeCatalogueCommand, TicketService, type TicketCommandInput } from '../src';

const AT = '2023-06-01T09:00:00.000Z';
let n = 0;
const fact = (type: string, data: object): EventToAppend => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  type,
  data: { ...data, occurredAt: '2023-01-01T00:00:00.000Z' },
  metadata: { actor: 'seed' },
});

async function seed(store: EventStore): Promise<void> {
  await store.append(
    'tenant-CoL',
    [
      fact('TenantRegistered', {
        tenantId: 'CoL',
        name: 'City of London',
        timeZone: 'Europe/London',
        priorityMatrix: [
          ['P1', 'P2', 'P3'],
          ['P2', 'P3', 'P4'],
          ['P3', 'P4', 'P4'],
        ],
        autoCloseDays: 5,
        reopenWindowDays: 10,
      }),
    ],
    { expectedRevision: 'no_stream' },
  );
  await store.append(
    'tenant-Other',
    [
      fact('TenantRegistered', {
        tenantId: 'Other',
        name: 'Another tenant',
        timeZone: 'Europe/London',
        priorityMatrix: [
          ['P1', 'P2', 'P3'],
          ['P2', 'P3', 'P4'],
          ['P3', 'P4', 'P4'],
        ],
        autoCloseDays: 5,
        reopenWindowDays: 10,
      }),
    ],
    { expectedRevision: 'no_stream' },
  );
  await store.append(
    'service-printing',
    [
      fact('ServiceRegistered', {
        serviceId: 'printing',
        name: 'Printing',
        tenantIds: ['CoL'],
        critical: false,
        ownership: 'it_owned',
        availabilityTargetPct: 99,
      }),
    ],
    { expectedRevision: 'no_stream' },
  );
  await store.append('sla-policy-CoL', [fact('SlaPolicyVersionDefined', { ...cityOfLondon2023('CoL'), version: 1 })], { expectedRevision: 'no_stream' });
}

/** The store, recording what is read and appended, in order. */
function recorded(store: EventStore): { store: EventStore; calls: string[] } {
  const calls: string[] = [];
  const wrapped = new Proxy(store, {
    get(target, key) {
      if (key === 'readStream') return (id: string, o?: object) => (calls.push(`read ${id}`), target.readStream(id, o));
      if (key === 'append') return (id: string, e: EventToAppend[], o: never) => (calls.push(`append ${id}`), target.append(id, e, o));
      const v = Reflect.get(target, key);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { store: wrapped, calls };
}

const raise = (ticketId: string): TicketCommandInput => ({
  type: 'RaiseTicket',
  ticketId,
  tenantId: 'CoL',
  kind: 'incident',
  priority: 'P3',
  serviceId: 'printing',
  title: 't',
  description: 'd',
  reporter: 'r',
  channel: 'phone',
});
const request = (commandId: string, requestHash = commandId) => ({ metadata: systemCommand(commandId, 'test', 'CoL', requestHash) });
const policyVersion = (version: number, effectiveFrom: string) => fact('SlaPolicyVersionDefined', { ...cityOfLondon2023('CoL'), version, effectiveFrom });

describe('raising a ticket with the catalogue held in memory', () => {
  let store: SqliteEventStore;
  beforeEach(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    await seed(store);
  });
  afterEach(() => store.close());

  it('reads no stream before appending: not the new ticket (no not-found), nor, once held, the catalogue and policy', async () => {
    const { store: watched, calls } = recorded(store);
    const tickets = new TicketService(watched, fixedClock(AT));
    await tickets.execute('CoL', 'INC1', raise('INC1'), request('c1'));
    calls.length = 0;
    const result = await tickets.execute('CoL', 'INC2', raise('INC2'), request('c2'));
    // Appended first; the one read after it checks the events recorded are this request's.
    expect(calls).toEqual([`append ${ticketStream('CoL', 'INC2')}`, `read ${ticketStream('CoL', 'INC2')}`]);
    expect(result).toMatchObject({ replayed: false, events: [{ type: 'IncidentRaised', revision: '0' }] });
  });

  it('a retry under the same key is answered as the first time; another body under it is refused; a used id is a conflict', async () => {
    const tickets = new TicketService(store, fixedClock(AT));
    const first = await tickets.execute('CoL', 'INC1', raise('INC1'), request('k1'));
    const again = await tickets.execute('CoL', 'INC1', raise('INC1'), request('k1'));
    expect(again).toEqual({ ...first, replayed: true });
    await expect(tickets.execute('CoL', 'INC1', raise('INC1'), request('k1', 'another body'))).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    await expect(tickets.execute('CoL', 'INC1', raise('INC1'), request('k2'))).rejects.toMatchObject({ code: 'TICKET.ALREADY_RAISED' });
    expect((await tickets.load('CoL', 'INC1')).events).toHaveLength(1);
  });

  it('a catalogue change made through this process is seen by the next command (read-your-writes)', async () => {
    const clock = fixedClock(AT);
    const tickets = new TicketService(store, clock);
    await tickets.execute('CoL', 'INC1', raise('INC1'), request('c1'));
    // printing no longer serves CoL: a raise naming it must now be refused.
    const printing: Service = {
      serviceId: 'printing',
      name: 'Printing',
      tenantIds: ['Other'],
      critical: false,
      ownership: 'it_owned',
      availabilityTargetPct: 99,
    };
    await executeCatalogueCommand(store, { kind: 'Service', id: 'printing', action: 'revise', value: printing }, systemCommand('revise', 'test', '*'), () =>
      clock.now(),
    );
    await expect(tickets.execute('CoL', 'INC2', raise('INC2'), request('c2'))).rejects.toThrow('Service printing does not serve tenant CoL');
    expect((await tickets.load('CoL', 'INC1')).ticket.serviceId).toBe('printing');
  });

  it('a policy version defined since the last command applies to the next raise', async () => {
    const tickets = new TicketService(store, fixedClock(AT));
    await tickets.execute('CoL', 'INC1', raise('INC1'), request('c1'));
    await store.append('sla-policy-CoL', [policyVersion(2, '2023-05-01T00:00:00.000Z')], { expectedRevision: 0n });
    await tickets.execute('CoL', 'INC2', raise('INC2'), request('c2'));
    expect((await tickets.load('CoL', 'INC1')).ticket.slaPolicyVersion).toBe(1);
    expect((await tickets.load('CoL', 'INC2')).ticket.slaPolicyVersion).toBe(2);
  });
});

describe('another process writing the same log', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'catalogue-view-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a policy version it defined before a command began is in force for that command', async () => {
    const here = new SqliteEventStore({ filename: join(dir, 'log.sqlite') });
    const there = new SqliteEventStore({ filename: join(dir, 'log.sqlite') });
    try {
      await seed(here);
      const tickets = new TicketService(here, fixedClock(AT));
      await tickets.execute('CoL', 'INC1', raise('INC1'), request('c1'));
      await there.append('sla-policy-CoL', [policyVersion(2, '2023-05-01T00:00:00.000Z')], { expectedRevision: 0n });
      await tickets.execute('CoL', 'INC2', raise('INC2'), request('c2'));
      expect((await tickets.load('CoL', 'INC2')).ticket.slaPolicyVersion).toBe(2);
    } finally {
      await there.close();
      await here.close();
    }
  });
});

describe('CatalogueView', () => {
  it('a fold read while the follower passed a later event of its stream is used once, not held stale', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    await seed(store);
    // The miss's read sees the stream as it was, then waits, as a slow read would.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = new Proxy(store, {
      get(target, key) {
        if (key === 'readStream') {
          return (id: string, o?: object) =>
            (async function* () {
              const seen: RecordedEvent[] = [];
              for await (const e of target.readStream(id, o)) seen.push(e);
              if (id === 'service-printing') await gate;
              yield* seen;
            })();
        }
        const v = Reflect.get(target, key);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const view = new CatalogueView(slow);
    await view.catchUp();
    const miss = view.value<Service>('Service', 'printing');
    await new Promise((r) => setImmediate(r));
    await store.append(
      'service-printing',
      [
        fact('ServiceRevised', {
          serviceId: 'printing',
          name: 'Printing v2',
          tenantIds: ['CoL'],
          critical: false,
          ownership: 'it_owned',
          availabilityTargetPct: 99,
        }),
      ],
      { expectedRevision: 0n },
    );
    await view.catchUp(); // passes the revision while the miss is still reading
    release();
    expect((await miss)?.name).toBe('Printing');
    await view.catchUp();
    expect((await view.value<Service>('Service', 'printing'))?.name).toBe('Printing v2');
    await store.close();
  });

  it('keeps a held entry current from the log, and holds an empty stream until its first event', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    await seed(store);
    const { store: watched, calls } = recorded(store);
    const view = new CatalogueView(watched);
    await view.catchUp();
    expect((await view.value<Service>('Service', 'printing'))?.name).toBe('Printing');
    expect(await view.value<Service>('Service', 'crm')).toBeUndefined();
    await store.append(
      'service-printing',
      [
        fact('ServiceRevised', {
          serviceId: 'printing',
          name: 'Printing v2',
          tenantIds: ['CoL'],
          critical: false,
          ownership: 'it_owned',
          availabilityTargetPct: 99,
        }),
      ],
      { expectedRevision: 0n },
    );
    await store.append(
      'service-crm',
      [fact('ServiceRegistered', { serviceId: 'crm', name: 'CRM', tenantIds: ['CoL'], critical: true, ownership: 'it_owned', availabilityTargetPct: 99 })],
      { expectedRevision: 'no_stream' },
    );
    calls.length = 0;
    await view.catchUp();
    expect((await view.value<Service>('Service', 'printing'))?.name).toBe('Printing v2');
    expect((await view.value<Service>('Service', 'crm'))?.name).toBe('CRM');
    expect(calls).toEqual([]); // both from the log, neither stream read again
    await store.close();
  });
});
