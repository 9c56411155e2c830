import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deterministicUuid, type EventStore } from '@itsm/event-store';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { SqliteReadStore } from '@itsm/read-store-sqlite';
import type { ReadStore } from '@itsm/read-store';
import {
  HttpWebhookSender,
  LEDGER,
  SecretBox,
  systemResolve,
  verifyWebhookSignature,
  WebhookCommands,
  WebhookDeliveryProcessor,
  type DeliveryDoc,
  type WebhookPayload,
} from '../src';
import { waitFor, WebhookReceiver } from './support/webhook-receiver';

/**
 * The delivery processor against a real HTTP receiver on loopback that fails, times out and
 * recovers, while the processor is killed (stopped without recording what it had in flight) and a
 * new one started on the same stores, as a killed projector process would be restarted.
 */
const T0 = Date.parse('2023-07-03T09:00:00Z');
const SECRET_A = 'col-receiver-shared-secret';
const SECRET_B = 'lbb-receiver-shared-secret';
const policy = { allowPrivate: true, resolve: systemResolve };
const box = new SecretBox('a-test-key-of-at-least-thirty-two-characters');

let dir: string;
let receiver: WebhookReceiver;
let clock: number;
const opened: Array<{ events: EventStore; reads: ReadStore }> = [];
const errors: unknown[] = [];

function openStores() {
  const stores = { events: new SqliteEventStore({ filename: join(dir, 'events.sqlite') }), reads: new SqliteReadStore(join(dir, 'reads.sqlite')) };
  opened.push(stores);
  return stores;
}

/** A processor whose clock the test owns: waiting for a retry moves the clock instead of waiting. */
function processor(stores: { events: EventStore; reads: ReadStore }) {
  return new WebhookDeliveryProcessor(stores.events, stores.reads, {
    secrets: box,
    sender: new HttpWebhookSender(policy, 300),
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    maxAttempts: 3,
    retry: { initialMs: 1_000, maxMs: 60_000 },
    onError: (e) => errors.push(e),
  });
}

let n = 0;
/** Appends one ticket fact as the command path records it; answers its event id. */
async function fact(store: EventStore, tenant: string, ticket: string, type: string, data: object = {}): Promise<string> {
  const id = deterministicUuid(`fact/${++n}`);
  await store.append(
    `incident-${tenant}.${ticket}`,
    [{ id, type, data: { occurredAt: new Date(T0 + n * 60_000).toISOString(), ...data }, metadata: { tenantId: tenant } }],
    { expectedRevision: 'any' },
  );
  return id;
}

const meta = (commandId: string, tenantId: string) => ({
  commandId,
  actor: 'admin',
  tenantId,
  correlationId: commandId,
  causationId: commandId,
  requestHash: commandId,
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'itsm-webhooks-'));
  receiver = new WebhookReceiver();
  await receiver.start();
  clock = T0;
  errors.length = 0;
});

afterEach(async () => {
  await receiver.stop();
  for (const s of opened.splice(0)) {
    await s.events.close();
    await s.reads.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

it('delivers every matching event, signed and in log order, through failures, timeouts, a parked delivery and a kill', async () => {
  const first = openStores();
  const commands = new WebhookCommands(first.events, box, policy, () => new Date(clock));
  const before = await fact(first.events, 'CoL', 'T0', 'IncidentRaised'); // before any webhook: never sent
  const { webhookId: hookA } = await commands.register(
    'CoL',
    { url: `${receiver.url}/a`, events: ['IncidentRaised', 'SlaBreached', 'SlaWarningRaised'], secret: SECRET_A },
    meta('reg-a', 'CoL'),
  );
  const { webhookId: hookB } = await commands.register('LBB', { url: `${receiver.url}/b`, events: ['IncidentRaised'], secret: SECRET_B }, meta('reg-b', 'LBB'));

  // E1 fails, times out, then succeeds; E3 fails three times and is parked; E4 is held until the kill.
  const e1 = await fact(first.events, 'CoL', 'T1', 'IncidentRaised');
  receiver.script(e1, [500, 'hang', 200]);
  await fact(first.events, 'CoL', 'T1', 'IncidentResponded'); // not asked for
  const lbb1 = await fact(first.events, 'LBB', 'T1', 'IncidentRaised');
  const e2 = await fact(first.events, 'CoL', 'T1', 'SlaBreached', { key: 'resolution/1/P1/100' });
  const e3 = await fact(first.events, 'CoL', 'T2', 'IncidentRaised');
  receiver.script(e3, [503, 503, 503, 200]);
  const e4 = await fact(first.events, 'CoL', 'T3', 'IncidentRaised');
  receiver.script(e4, ['hold', 200]);

  const p1 = processor(first);
  await p1.init();
  p1.start();
  await waitFor(() => receiver.holding === 1, 'E4 in flight at the receiver');
  expect(receiver.for(e2, '/a').map((r) => r.answered)).toEqual([200]);

  // Killed while E4 is in flight: the receiver answers 200 after the process is gone.
  await p1.abandon();
  receiver.release(200);
  await waitFor(() => receiver.for(e4)[0]?.answered === 200, 'E4 answered after the kill');

  // The log moves on while no processor runs.
  const e5 = await fact(first.events, 'CoL', 'T3', 'SlaWarningRaised', { key: 'resolution/1/P1/75' });
  const e6 = await fact(first.events, 'CoL', 'T3', 'SlaEventRetracted', { key: 'resolution/1/P1/75', retractedOccurredAt: '2023-07-03T10:00:00.000Z' });
  await fact(first.events, 'CoL', 'T3', 'SlaEventRetracted', { key: 'response/1/P1/75' }); // withdraws a warning: asked for, so sent
  const lbb2 = await fact(first.events, 'LBB', 'T2', 'IncidentRaised');

  // A new process on the same stores.
  const second = openStores();
  const p2 = processor(second);
  await p2.init();
  p2.start();
  const ledger = async () => (await second.reads.find<DeliveryDoc>(LEDGER.deliveries, { limit: 1000 })).items;
  await waitFor(async () => (await ledger()).find((d) => d.eventId === e3)?.status === 'failed', 'E3 parked');
  await waitFor(async () => (await ledger()).filter((d) => d.status !== 'delivered').length === 1, 'all but E3 delivered');

  // An admin retries the parked delivery.
  await new WebhookCommands(second.events, box, policy, () => new Date(clock)).requestRetry('CoL', hookA, e3, meta('retry-e3', 'CoL'));
  await waitFor(async () => (await ledger()).every((d) => d.status === 'delivered'), 'E3 delivered after the retry');
  await p2.stop();

  const rows = await ledger();
  const forA = rows.filter((d) => d.webhookId === hookA).sort((a, b) => a.seq - b.seq);
  const retractionOfResponse = forA.at(-1)?.eventId;
  const expectedA = [e1, e2, e3, e4, e5, e6, retractionOfResponse];
  expect(forA.map((d) => d.eventId)).toEqual(expectedA);
  expect(rows.filter((d) => d.webhookId === hookB).map((d) => d.eventId)).toEqual([lbb1, lbb2]);

  // Nothing before the registration, nothing not asked for, no other tenant's event.
  const atA = receiver.requests.filter((r) => r.path === '/a');
  const atB = receiver.requests.filter((r) => r.path === '/b');
  expect(new Set(atA.map((r) => r.eventId))).toEqual(new Set(expectedA));
  expect(new Set(atB.map((r) => r.eventId))).toEqual(new Set([lbb1, lbb2]));
  expect(receiver.for(before)).toEqual([]);

  // Every request is signed with its webhook's secret over timestamp.body, and says the event it carries.
  for (const r of receiver.requests) {
    expect(verifyWebhookSignature(r.path === '/a' ? SECRET_A : SECRET_B, r.timestamp, r.body, r.signature)).toBe(true);
    const payload = JSON.parse(r.body) as WebhookPayload;
    expect(payload.eventId).toBe(r.eventId);
    expect(payload.tenantId).toBe(r.path === '/a' ? 'CoL' : 'LBB');
    expect(payload.timeZone).toBe('Europe/London');
  }
  const e2Payload = JSON.parse(receiver.for(e2)[0]!.body) as WebhookPayload;
  expect(e2Payload).toMatchObject({
    type: 'SlaBreached',
    ticketId: 'T1',
    occurredAt: expect.any(String),
    recordedAt: expect.any(String),
    data: { key: 'resolution/1/P1/100' },
  });

  // In log order: each event first reached the receiver after every earlier one (the parked E3's retry came last, as retried).
  const firstSeen = [...new Set(atA.map((r) => r.eventId))];
  expect(firstSeen).toEqual(expectedA);

  // Duplicates carry the same event id and body: only E4, the one in flight at the kill, was delivered twice.
  const acknowledged = atA.filter((r) => r.answered === 200);
  const twice = expectedA.filter((id) => acknowledged.filter((r) => r.eventId === id).length > 1);
  expect(twice).toEqual([e4]);
  const [killed, again] = receiver.for(e4);
  expect(JSON.parse(killed!.body)).toEqual(JSON.parse(again!.body));

  // The ledger agrees with the receiver: delivered rows got 200 last; attempts are the requests seen
  // (E4's unrecorded one, made by the killed process, aside).
  for (const d of rows) {
    const seen = receiver.for(d.eventId, d.webhookId === hookA ? '/a' : '/b');
    expect({ id: d.eventId, status: d.status, lastStatus: d.lastStatus }).toEqual({ id: d.eventId, status: 'delivered', lastStatus: seen.at(-1)?.answered });
    expect(d.attempts).toBe(d.eventId === e4 ? seen.length - 1 : seen.length);
  }
  expect(forA.find((d) => d.eventId === e1)).toMatchObject({ attempts: 3 });
  expect(forA.find((d) => d.eventId === e3)).toMatchObject({ attempts: 4 });
  expect(errors).toEqual([]);
});

it('enqueues nothing twice after a restart, and a removed webhook receives nothing more', async () => {
  const stores = openStores();
  const commands = new WebhookCommands(stores.events, box, policy, () => new Date(clock));
  const { webhookId } = await commands.register('CoL', { url: `${receiver.url}/a`, events: ['IncidentRaised'], secret: SECRET_A }, meta('reg', 'CoL'));
  const sent = [await fact(stores.events, 'CoL', 'T1', 'IncidentRaised'), await fact(stores.events, 'CoL', 'T2', 'IncidentRaised')];
  const p1 = processor(stores);
  await p1.init();
  p1.start();
  await waitFor(() => receiver.requests.length === 2, 'both delivered');
  await p1.stop();
  await commands.remove('CoL', webhookId, meta('remove', 'CoL'));
  const after = await fact(stores.events, 'CoL', 'T3', 'IncidentRaised');

  const again = openStores();
  const p2 = processor(again);
  await p2.init();
  p2.start();
  await waitFor(async () => (await p2.status()).lag === 0, 'the second processor caught up');
  await p2.stop();
  expect(receiver.requests.map((r) => r.eventId)).toEqual(sent);
  expect(receiver.for(after)).toEqual([]);
  expect((await again.reads.find<DeliveryDoc>(LEDGER.deliveries, {})).items.map((d) => d.eventId).sort()).toEqual([...sent].sort());
});
