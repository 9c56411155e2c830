import { asLogPosition } from '@itsm/event-store';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { demoCatalogue, loadCatalogue } from '@itsm/simulation';
import { ReplaysBusyError, ReportReplays } from '../src';

describe('report replays are bounded', () => {
  let events: SqliteEventStore;
  beforeAll(async () => {
    events = new SqliteEventStore({ filename: ':memory:' });
    await loadCatalogue(events, demoCatalogue(), new Date('2024-01-01T00:00:00Z'));
  });
  afterAll(() => events.close());

  it('positions beyond the head are the head: one replay, not a new one per value', async () => {
    const replays = new ReportReplays(events);
    const head = (await events.headPosition())!;
    const far = BigInt(Number.MAX_SAFE_INTEGER);
    const [a, b] = await Promise.all([replays.at(asLogPosition(far)), replays.at(asLogPosition(far * 1000n))]);
    expect(a).toBe(b);
    expect(a.position).toBe(head);
    expect(await replays.at(head)).toBe(a);
    await replays.close();
  });

  it('builds one at a time, lets a few wait, refuses the rest; what was built is served again without a replay', async () => {
    const replays = new ReportReplays(events, { cacheSize: 4, maxRunning: 1, maxWaiting: 1 });
    const positions: bigint[] = [];
    for await (const e of events.readAll({ maxCount: 3 })) positions.push(e.position);
    const [p1, p2, p3] = positions.map((p) => asLogPosition(p));
    const first = replays.at(p1);
    const second = replays.at(p2);
    await expect(replays.at(p3)).rejects.toBeInstanceOf(ReplaysBusyError);
    const [r1, r2] = await Promise.all([first, second]);
    expect([r1.position, r2.position]).toEqual([p1, p2]);
    expect(await replays.at(p1)).toBe(r1); // kept: no new replay, even while others are busy
    expect((await replays.at(p3)).position).toBe(p3); // room again once they finished
    await replays.close();
  });
});
