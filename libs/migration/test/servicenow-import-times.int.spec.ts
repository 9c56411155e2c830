import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { TicketService } from '@itsm/application';
import { parseTicketStream, sharedIct2019, ticketStream } from '@itsm/domain';
import { readWhole, recordedAtOf } from '@itsm/event-store';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { importServiceNowLog, type ServiceNowImportOptions } from '@itsm/migration';
import { ReportReplays } from '@itsm/projections';
import { loadCatalogue } from '@itsm/simulation';
import { tenant as kitTenant } from '@itsm/test-kit';

/**
 * Shaped like the public export: every row of an incident repeats the incident's FINAL resolved_at,
 * closed_at, closed_code and resolved_by. INC0010001 is resolved, reopened and resolved again;
 * INC0010002 is reopened twice; INC0010003 is closed, then reopened and closed again; INC0010004–6
 * are never reopened (INC0010005 is saved Resolved twice; INC0010006's resolved_at is after its close).
 */
const FIXTURE = join(__dirname, 'fixtures', 'servicenow-reopened.csv');
const tenant = kitTenant('SNR', { name: 'ServiceNow migrant' });
/** The tenant was set up in this system in 2015; the 2016 history is imported in 2025. */
const SET_UP = new Date('2015-01-01T00:00:00Z');
const IMPORT_RUNS = new Date('2025-06-02T08:00:00Z');

async function storeWithPolicyFrom(effectiveFrom: string | null) {
  // The store's own clock is pinned too: no test reads the wall clock.
  let storeNow = SET_UP;
  const store = new SqliteEventStore({ filename: ':memory:', now: () => storeNow });
  await loadCatalogue(
    store,
    { tenants: [tenant], suppliers: [], services: [], groups: [], policies: effectiveFrom ? [sharedIct2019('SNR', effectiveFrom)] : [] },
    SET_UP,
  );
  storeNow = IMPORT_RUNS;
  return store;
}
const run = (store: SqliteEventStore, options: Partial<ServiceNowImportOptions> = {}) =>
  importServiceNowLog(store, () => createReadStream(FIXTURE), { tenantId: 'SNR', sourceName: 'servicenow-reopened.csv', now: () => IMPORT_RUNS, ...options });
const facts = async (store: SqliteEventStore, id: string) =>
  (await readWhole(store, ticketStream('SNR', id))).filter((e) => !e.type.startsWith('Sla')).map((e) => [e.type, String(e.data.occurredAt).slice(0, 16)]);

describe('import of a ServiceNow log: each resolution and close at its own row', () => {
  let store: SqliteEventStore;
  beforeAll(async () => {
    store = await storeWithPolicyFrom('2010-01-01T00:00:00Z');
    await run(store);
  });
  afterAll(() => store.close());

  it('a resolved, reopened and resolved again incident: the first resolution at the row that resolved it, not at the final resolved_at', async () => {
    expect(await facts(store, 'INC0010001')).toEqual([
      ['IncidentRaised', '2016-03-01T09:00'],
      ['IncidentAssigned', '2016-03-01T09:30'],
      ['IncidentResponded', '2016-03-01T09:30'],
      ['IncidentResolved', '2016-03-01T11:00'],
      ['IncidentReopened', '2016-03-02T10:00'],
      ['IncidentResolved', '2016-03-02T15:00'], // the final resolved_at
      ['IncidentClosed', '2016-03-07T15:00'],
    ]);
  });

  it('reopened twice: every earlier resolution at its row; the final one at resolved_at, which agrees with its row', async () => {
    expect(await facts(store, 'INC0010002')).toEqual([
      ['IncidentRaised', '2016-03-03T08:00'],
      ['IncidentAssigned', '2016-03-03T08:15'],
      ['IncidentResponded', '2016-03-03T08:15'],
      ['IncidentPutOnHold', '2016-03-03T09:00'],
      ['IncidentResolved', '2016-03-03T10:00'],
      ['IncidentReopened', '2016-03-03T14:00'],
      ['IncidentResolved', '2016-03-03T17:00'],
      ['IncidentReopened', '2016-03-04T09:00'],
      ['IncidentResolved', '2016-03-04T16:40'], // resolved_at 16:40, between the row before (09:00) and the row that resolved it (16:45)
      ['IncidentClosed', '2016-03-09T16:45'],
    ]);
  });

  it('closed, then reopened inside the window: the first close at its row, not at the final closed_at', async () => {
    expect(await facts(store, 'INC0010003')).toEqual([
      ['IncidentRaised', '2016-03-04T10:00'],
      ['IncidentAssigned', '2016-03-04T10:05'],
      ['IncidentResponded', '2016-03-04T10:05'],
      ['IncidentResolved', '2016-03-04T12:00'],
      ['IncidentClosed', '2016-03-09T12:00'],
      ['IncidentReopened', '2016-03-11T09:00'],
      ['IncidentResolved', '2016-03-11T11:00'],
      ['IncidentClosed', '2016-03-16T11:00'],
    ]);
  });

  it('never reopened: resolved at resolved_at while the rows agree (up to the close), else at the row that resolved it', async () => {
    expect(await facts(store, 'INC0010004')).toEqual([
      ['IncidentRaised', '2016-03-07T09:00'],
      ['IncidentAssigned', '2016-03-07T09:10'],
      ['IncidentResponded', '2016-03-07T09:10'],
      ['IncidentResolved', '2016-03-07T09:58'], // resolved_at: the row at 10:00 records it
      ['IncidentClosed', '2016-03-12T10:00'],
    ]);
    expect(await facts(store, 'INC0010005')).toEqual([
      ['IncidentRaised', '2016-03-08T09:00'],
      ['IncidentAssigned', '2016-03-08T09:20'],
      ['IncidentResponded', '2016-03-08T09:20'],
      ['IncidentResolved', '2016-03-08T13:00'], // Resolved from 11:00, saved Resolved again at 13:00, its resolved_at (as INC0000045 of the public log)
      ['IncidentClosed', '2016-03-13T13:00'],
    ]);
    expect(await facts(store, 'INC0010006')).toEqual([
      ['IncidentRaised', '2016-03-09T09:00'],
      ['IncidentAssigned', '2016-03-09T09:30'],
      ['IncidentResponded', '2016-03-09T09:30'],
      ['IncidentResolved', '2016-03-09T10:00'], // resolved_at (14 March 12:00) is after it was closed: the row's time
      ['IncidentClosed', '2016-03-14T10:00'],
    ]);
  });

  it('the resolution clock runs only while the incident was open: INC0010002 between each reopen and its resolution', async () => {
    const explained = await new TicketService(store, { now: () => IMPORT_RUNS }).explainSla('SNR', 'INC0010002');
    // Shared ICT 2019, P3: 2 working days (16 h, 09:00–17:00), resumed on reopen. Open 08:00→10:00 on 3 March
    // (before hours, then on hold awaiting the customer: 0), 14:00→17:00 (3 h), 4 March 09:00→16:40 (7 h 40).
    // Dated at the final resolved_at, the first resolution left it open on hold until 4 March and the clock at 0.
    expect(explained.clocks.filter((c) => c.metric === 'resolution').map((c) => [c.cycle, c.elapsedMinutes, c.state, c.running])).toEqual([
      [
        0,
        640,
        'met',
        [
          { from: '2016-03-03T08:00:00.000Z', to: '2016-03-03T09:00:00.000Z' },
          { from: '2016-03-03T14:00:00.000Z', to: '2016-03-03T17:00:00.000Z' },
          { from: '2016-03-04T09:00:00.000Z', to: '2016-03-04T16:40:00.000Z' },
        ],
      ],
    ]);
  });
});

describe('import of a ServiceNow log: the SLA policy in force', () => {
  it('refuses a history that starts before any SLA policy of the tenant, naming both dates, and writes nothing', async () => {
    const store = await storeWithPolicyFrom('2016-03-05T00:00:00Z');
    const head = await store.headPosition();
    await expect(run(store)).rejects.toThrow(
      "SNR's history starts on 2016-03-01 09:00 (Europe/London; INC0010001 opened), before its earliest SLA policy (in force from 2016-03-05T00:00:00.000Z): define a policy in force by then, or import with --no-sla (incidents raised before any policy then carry no SLA)",
    );
    expect(await store.headPosition()).toBe(head);
    await store.close();
  });

  it('refuses when the tenant has no SLA policy at all', async () => {
    const store = await storeWithPolicyFrom(null);
    await expect(run(store)).rejects.toThrow(
      'SNR has no SLA policy: define one in force by 2016-03-01 09:00 (Europe/London; INC0010001 opened), or import with --no-sla',
    );
    await store.close();
  });

  it('with noSla, imports it: the incidents raised before the policy carry none, the later ones pin it; the summary says which', async () => {
    const store = await storeWithPolicyFrom('2016-03-05T00:00:00Z');
    const summary = await run(store, { noSla: true });
    expect(summary.sla).toEqual({
      required: false,
      historyStartsAt: '2016-03-01T09:00:00.000Z',
      firstIncident: 'INC0010001',
      earliestPolicyFrom: '2016-03-05T00:00:00.000Z',
      incidentsWithoutPolicy: 3,
    });
    const raised = async (id: string) => (await readWhole(store, ticketStream('SNR', id)))[0]?.data;
    expect(await raised('INC0010003')).not.toHaveProperty('slaPolicyVersion');
    expect(await raised('INC0010004')).toMatchObject({ slaPolicyVersion: 1 });
    expect(summary).toMatchObject({ incidents: 6, commands: { refused: 0 } });
    await store.close();
  });

  it('a history the policy covers: the summary says every incident is measured', async () => {
    const store = await storeWithPolicyFrom('2016-03-01T09:00:00Z'); // in force from the first incident's minute
    const summary = await run(store);
    expect(summary.sla).toEqual({
      required: true,
      historyStartsAt: '2016-03-01T09:00:00.000Z',
      firstIncident: 'INC0010001',
      earliestPolicyFrom: '2016-03-01T09:00:00.000Z',
      incidentsWithoutPolicy: 0,
    });
    await store.close();
  });
});

describe('import of a ServiceNow log: recorded when the import ran', () => {
  let store: SqliteEventStore;
  let before: Awaited<ReturnType<SqliteEventStore['headPosition']>>;
  beforeAll(async () => {
    store = await storeWithPolicyFrom('2010-01-01T00:00:00Z');
    before = await store.headPosition();
    await run(store);
  });
  afterAll(() => store.close());

  it("every imported event keeps its source time as occurredAt and the import's time as recordedAt", async () => {
    const imported = [];
    for await (const e of store.readAll()) if (e.metadata.actor === 'import:servicenow') imported.push(e);
    expect(imported.length).toBeGreaterThan(30);
    expect(new Set(imported.map((e) => recordedAtOf(e).toISOString()))).toEqual(new Set([IMPORT_RUNS.toISOString()]));
    expect(new Set(imported.map((e) => e.recordedAt.toISOString()))).toEqual(new Set([IMPORT_RUNS.toISOString()]));
    const tickets = imported.filter((e) => parseTicketStream(e.streamId)?.tenantId === 'SNR');
    expect(tickets.length).toBeGreaterThan(30);
    expect(tickets.every((e) => String(e.data.occurredAt).startsWith('2016-03'))).toBe(true);
  });

  it('asked as the system knew it in 2016, the ticket did not exist; as of the import, it did', async () => {
    const tickets = new TicketService(store, { now: () => IMPORT_RUNS });
    await expect(tickets.load('SNR', 'INC0010001', { asOfRecorded: Date.parse('2016-12-31T23:59:59Z') })).rejects.toMatchObject({ code: 'TICKET.NOT_FOUND' });
    expect((await tickets.load('SNR', 'INC0010001', { asOfRecorded: IMPORT_RUNS.getTime() })).ticket.status).toBe('closed');
    const history = await tickets.history('SNR', 'INC0010001');
    expect(history.map((h) => [h.occurredAt.slice(0, 16), h.recordedAt])).toContainEqual(['2016-03-01T11:00', IMPORT_RUNS.toISOString()]);
  });

  it('a fact dated after the import runs is refused, as the API refuses one dated in the future', async () => {
    const early = await storeWithPolicyFrom('2010-01-01T00:00:00Z');
    const summary = await run(early, { now: () => new Date('2016-03-05T00:00:00Z') });
    // The closes of INC0010001 and INC0010002; INC0010003's close, reopen, resolution and close; the raises of INC0010004–6.
    expect(summary.commandsRefused).toEqual({ 'TICKET.OCCURRED_IN_FUTURE': 9 });
    expect((await facts(early, 'INC0010001')).at(-1)).toEqual(['IncidentResolved', '2016-03-02T15:00']); // its close (7 March) refused
    expect(await facts(early, 'INC0010004')).toEqual([]); // raised 7 March
    await early.close();
  });

  it('a report asked asOfRecorded in 2016 replays nothing the import wrote', async () => {
    const replays = new ReportReplays(store);
    expect(await replays.positionAtRecorded(new Date('2016-12-31T23:59:59Z'))).toBe(before); // the tenant and its policy only
    expect(await replays.positionAtRecorded(IMPORT_RUNS)).toBe(await store.headPosition());
  });
});
