import { Agent } from 'node:http';
import request from 'supertest';
import { EVENT_STORE, readWhole, type EventStore } from '@itsm/event-store';
import { ticketStream } from '@itsm/domain';
import { startTestApp } from './support/test-app';
import { seedCatalogue } from './support/catalogue-seed';

/**
 * Many writers at once on one ticket, on the real app. Its clock moves on by a millisecond at each
 * reading, as a busy server's would between requests: no two commands share an instant, so the
 * order in which they are dated and the order in which they land can differ.
 */
class TickingClock {
  constructor(private at: number) {}
  now(): Date {
    return new Date(this.at++);
  }
}

type App = Awaited<ReturnType<typeof startTestApp>>;
let t: App;
let op: string;
const start = Date.now() - 10 * 60_000;

beforeAll(async () => {
  t = await startTestApp({}, new TickingClock(start));
  op = t.auth({ roles: ['operator'], tenants: ['CoL'] });
  await seedCatalogue(t.http, t.auth({ sub: 'admin', roles: ['admin'], tenants: ['*'] }));
});
afterAll(() => t.stop());

const post = (path: string, body: object) => request(t.http).post(path).set('Authorization', op).send(body);
let seq = 0;
/** A ticket raised before the clock's start, so that commands dated "now" by default come after it. */
const newTicket = async () => {
  const ticketId = `C${++seq}`;
  await post('/v1/tenants/CoL/tickets', {
    ticketId,
    kind: 'incident',
    priority: 'P3',
    serviceId: 'printing',
    title: 't',
    description: 'd',
    reporter: 'r',
    channel: 'phone',
    occurredAt: new Date(start - 60_000).toISOString(),
  }).expect(201);
  return ticketId;
};
/**
 * Connections opened beforehand and kept, as a load generator holds them: requests sent at once then
 * reach the server together (new connections would trickle in, one request handled before the next).
 */
const pool = new Agent({ keepAlive: true, maxSockets: 50 });
afterAll(() => pool.destroy());
const warm = () => Promise.all(Array.from({ length: 50 }, () => request(t.http).get('/health').agent(pool).expect(200)));
const complain = (id: string, description: string) => post(`/v1/tenants/CoL/tickets/${id}/complaints`, { description }).agent(pool);
const stream = (id: string) => readWhole(t.app.get<EventStore>(EVENT_STORE), ticketStream('CoL', id));

describe('50 writers on one ticket, without If-Match and without occurredAt', () => {
  it('every one lands: a retry after a concurrent write dates the command again', async () => {
    const id = await newTicket();
    await warm();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => complain(id, `complaint ${i}`)));
    const refused = results.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body.code}`);
    expect(refused).toEqual([]);
    const events = await stream(id);
    expect(events).toHaveLength(51);
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => BigInt(i)));
    // The default occurredAt never runs backwards along the stream.
    const times = events.map((e) => Date.parse(String(e.data.occurredAt)));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('one Idempotency-Key, two different bodies, sent at once', () => {
  it('exactly one is recorded and answered 2xx; the other is a 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const id = await newTicket();
    await warm();
    // Many pairs, so that at least some of them really race (both read the same revision).
    const pairs = await Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        Promise.all([
          complain(id, `first body ${k}`).set('Idempotency-Key', `race-${k}`),
          complain(id, `second body ${k}`).set('Idempotency-Key', `race-${k}`),
        ]),
      ),
    );
    const events = await stream(id);
    for (const [k, pair] of pairs.entries()) {
      const statuses = pair.map((r) => r.status).sort();
      expect([k, statuses]).toEqual([k, [200, 422]]);
      const loser = pair.find((r) => r.status === 422)!;
      expect(loser.body).toMatchObject({ status: 422, code: 'COMMAND.IDEMPOTENCY_KEY_REUSED' });
      const winner = pair.find((r) => r.status === 200)!;
      const recorded = events.filter((e) => e.metadata.commandId === `race-${k}`);
      expect(recorded).toHaveLength(1);
      expect(recorded[0]?.data.description).toBe(winner === pair[0] ? `first body ${k}` : `second body ${k}`);
      expect(winner.body.events).toEqual([{ id: recorded[0]!.id, type: 'ComplaintRecorded', revision: recorded[0]!.revision.toString() }]);
    }
  });

  it('the same key with the same body sent at once: both answer with the one recorded result', async () => {
    const id = await newTicket();
    await warm();
    const pairs = await Promise.all(
      Array.from({ length: 20 }, (_, k) =>
        Promise.all([complain(id, `same ${k}`).set('Idempotency-Key', `twin-${k}`), complain(id, `same ${k}`).set('Idempotency-Key', `twin-${k}`)]),
      ),
    );
    const events = await stream(id);
    for (const [k, [a, b]] of pairs.entries()) {
      expect([k, a.status, b.status]).toEqual([k, 200, 200]);
      expect(b.body).toEqual(a.body);
      expect(events.filter((e) => e.metadata.commandId === `twin-${k}`)).toHaveLength(1);
    }
  });
});
