import { cityOfLondon2023, parseTicketStream, type SlaPolicyVersion, type TicketCommand } from '@itsm/domain';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { systemCommand, type EventStore, type LogPosition } from '@itsm/event-store';
import { appendHistory, demoCatalogue, generateHistory, loadCatalogue, type TicketStep } from '@itsm/simulation';
import { fixedClock } from '@itsm/test-kit';
import {
  draftSlaPolicy,
  SlaPolicySimulator,
  TicketService,
  type RaisedTicketsIndex,
  type SimulationProgress,
  type SimulationRange,
  type SlaPolicySimulationResult,
} from '../src';

const MIN = 60_000;
/** The first quarter of 2023 (London is on GMT then: local midnights are UTC ones). */
const QUARTER: SimulationRange = { from: '2023-01-01T00:00:00.000Z', to: '2023-04-01T00:00:00.000Z' };
const TIGHT_P2 = 120;
const CURRENT_P2 = 240; // IM2: P2 resolved within 4 hours, 24x7

/** City of London 2023 with IM2 tightened to 2 hours: the draft a committee might propose. */
const tighterP2 = (): SlaPolicyVersion =>
  draftSlaPolicy({
    ...cityOfLondon2023('CoL', '2024-01-01T00:00:00Z'),
    name: 'IM2 at 2 hours',
    targets: cityOfLondon2023('CoL').targets.map((t) =>
      t.kind === 'incident' && t.priority === 'P2' && t.metric === 'resolution' ? { ...t, targetMinutes: TIGHT_P2 } : t,
    ),
  });

/**
 * Independently of the SLA engine: the 24x7 minutes each CoL incident's resolution clock used,
 * read off the generated commands (raise or reopen to resolution, less holds other than awaiting a
 * supplier), for those whose final priority is P2 and whose clock stopped.
 */
function usedP2Minutes(steps: TicketStep[]): Map<string, number> {
  const lives = new Map<string, TicketStep[]>();
  for (const s of steps) if (s.tenantId === 'CoL') lives.set(s.ticketId, [...(lives.get(s.ticketId) ?? []), s]);
  const used = new Map<string, number>();
  for (const [id, life] of lives) {
    const at = (c: TicketCommand) => Date.parse(c.occurredAt);
    const raise = life[0]!.command as Extract<TicketCommand, { type: 'RaiseTicket' }>;
    if (at(raise) < Date.parse(QUARTER.from) || at(raise) >= Date.parse(QUARTER.to) || raise.kind !== 'incident') continue;
    let priority = raise.priority;
    const windows: Array<[number, number]> = [[at(raise), Infinity]];
    const holds: Array<[number, number]> = [];
    for (const { command: c } of life.slice(1)) {
      if (c.type === 'ChangeTicketPriority') priority = c.priority;
      if (c.type === 'ResolveTicket') windows[windows.length - 1]![1] = at(c);
      if (c.type === 'ReopenTicket') windows.push([at(c), Infinity]);
      if (c.type === 'PutTicketOnHold' && c.reason !== 'awaiting_supplier') holds.push([at(c), Infinity]);
      if (c.type === 'ResumeTicket' && holds.length && holds.at(-1)?.[1] === Infinity) holds[holds.length - 1]![1] = at(c);
    }
    if (priority !== 'P2' || windows.at(-1)?.[1] === Infinity) continue;
    let ms = 0;
    for (const [a, b] of windows) {
      ms += b - a;
      for (const [h0, h1] of holds) ms -= Math.max(0, Math.min(b, h1) - Math.max(a, h0));
    }
    used.set(id, ms / MIN);
  }
  return used;
}

/** An index over the log as it stood at `through`, listing the tenant's raises in the range then (a lagging read model). */
function indexAt(store: EventStore, through: LogPosition | undefined, extra: string[] = []): RaisedTicketsIndex {
  const listed = async (tenantId: string, range: SimulationRange) => {
    const ids: string[] = [];
    if (through === undefined) return ids; // lists nothing: the simulator scans the whole log
    for await (const e of store.readAll()) {
      if (e.position > through) break;
      const t = e.revision === 0n ? parseTicketStream(e.streamId) : undefined;
      const at = String(e.data.occurredAt);
      if (t?.tenantId === tenantId && at >= range.from && at < range.to) ids.push(t.ticketId);
    }
    return [...ids, ...extra];
  };
  return {
    through: async () => through,
    count: async (tenantId, range) => (await listed(tenantId, range)).length,
    async *pages(tenantId, range) {
      const ids = await listed(tenantId, range);
      for (let i = 0; i < ids.length; i += 100) yield ids.slice(i, i + 100);
    },
  };
}

describe('policy what-if over a generated quarter', () => {
  let store: SqliteEventStore;
  let steps: TicketStep[];
  let head: LogPosition | undefined;
  let halfway: LogPosition | undefined;

  beforeAll(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    const catalogue = demoCatalogue();
    await loadCatalogue(store, catalogue, new Date('2022-12-01T00:00:00Z'));
    steps = [...generateHistory(catalogue, { seed: 18, tickets: 3000, from: '2023-01-02T00:00:00Z', days: 85 })];
    await appendHistory(store, steps, { seed: 18 });
    head = await store.headPosition();
    // A read model that has applied half the log.
    const events = await store.countEventsAfter(undefined);
    let n = 0;
    for await (const e of store.readAll()) if (++n === events >> 1) halfway = e.position;
  });
  afterAll(() => store.close());

  let answer: SlaPolicySimulationResult;

  it('flips exactly the P2 incidents whose used time lies between the two targets, and appends nothing', async () => {
    // No index: the whole log is scanned for the tenant's raises.
    const simulator = new SlaPolicySimulator(store, indexAt(store, undefined));
    const plan = await simulator.plan('CoL', QUARTER, tighterP2());
    expect(plan.head).toBe(head);
    const progress: SimulationProgress[] = [];
    const result = (answer = await simulator.run(plan, { onProgress: (p) => progress.push(p) }));

    const used = usedP2Minutes(steps);
    const between = [...used]
      .filter(([, m]) => m > TIGHT_P2 && m <= CURRENT_P2)
      .map(([id]) => id)
      .sort();
    expect(between.length).toBeGreaterThan(5); // the quarter is big enough to mean something
    expect(result.flips.map((f) => f.ticketId).sort()).toEqual(between);
    expect(result.flipsTotal).toBe(between.length);
    for (const f of result.flips) {
      expect(f.flips).toEqual([{ metric: 'resolution', current: 'met', draft: 'breached' }]);
      const clock = (e: typeof f.current) => e.clocks.find((c) => c.metric === 'resolution')!;
      expect(clock(f.current)).toMatchObject({ state: 'met', targetMinutes: CURRENT_P2, reference: 'IM2' });
      expect(clock(f.draft)).toMatchObject({ state: 'breached', targetMinutes: TIGHT_P2 });
      expect(clock(f.current).elapsedMinutes).toBeCloseTo(used.get(f.ticketId)!, 6);
      expect(f.current.policy).toMatchObject({ version: 1, name: 'City of London IT service levels 2023' });
      expect(f.draft.policy).toMatchObject({ version: 0, name: 'IM2 at 2 hours' });
    }

    // The IM2 row side by side, against the same independent count; every other goal unchanged.
    const im2 = result.performance.find((r) => r.metric === 'resolution' && r.kind === 'incident' && r.priority === 'P2')!;
    const counted = [...used.values()];
    expect(im2.current).toMatchObject({
      reference: 'IM2',
      targetMinutes: CURRENT_P2,
      goalPct: 98,
      total: counted.length,
      met: counted.filter((m) => m <= CURRENT_P2).length,
    });
    expect(im2.draft).toMatchObject({
      reference: 'IM2',
      targetMinutes: TIGHT_P2,
      goalPct: 98,
      total: counted.length,
      met: counted.filter((m) => m <= TIGHT_P2).length,
    });
    for (const r of result.performance.filter((x) => x !== im2)) expect(r.draft).toEqual(r.current);
    expect(result.ragChanges.every((c) => c.metric === 'resolution' && c.priority === 'P2')).toBe(true);

    expect(result).toMatchObject({ tenantId: 'CoL', position: head!.toString(), currentVersions: [1] });
    expect(result.tickets).toBe(steps.filter((s) => s.tenantId === 'CoL' && s.command.type === 'RaiseTicket' && s.command.occurredAt < QUARTER.to).length);
    expect(progress.at(-1)).toEqual({ phase: 'done', ticketsListed: result.tickets, ticketsReplayed: result.tickets });
    expect(progress.every((p, i) => i === 0 || p.ticketsReplayed >= progress[i - 1]!.ticketsReplayed)).toBe(true);
    expect(await store.headPosition()).toBe(head);
  });

  it('answers the same from a lagging index (the rest read from the log), ignoring what it lists beyond the head', async () => {
    const lagging = new SlaPolicySimulator(store, indexAt(store, halfway, ['NOPE', 'LATE-1']));
    const plan = await lagging.plan('CoL', QUARTER, tighterP2());
    expect(plan.estimatedTickets).toBeGreaterThan(0);
    // A ticket raised in the quarter after the question was asked is not part of the answer.
    const service = new TicketService(store, fixedClock('2023-06-01T00:00:00Z'));
    await service.execute(
      'CoL',
      'LATE-1',
      {
        type: 'RaiseTicket',
        ticketId: 'LATE-1',
        tenantId: 'CoL',
        kind: 'incident',
        priority: 'P2',
        serviceId: 'email',
        title: 't',
        description: 'd',
        reporter: 'r',
        channel: 'phone',
        occurredAt: '2023-02-01T10:00:00Z',
      },
      { metadata: systemCommand('late-1', 'test', 'CoL') },
    );
    expect(await store.headPosition()).not.toBe(head);
    expect(await lagging.run(plan)).toEqual(answer);
  });

  it('stops between steps when cancelled', async () => {
    const simulator = new SlaPolicySimulator(store, indexAt(store, undefined));
    await expect(simulator.run(await simulator.plan('CoL', QUARTER, tighterP2()), { cancelled: () => true })).rejects.toMatchObject({
      code: 'SLA_SIMULATION.CANCELLED',
    });
  });
});

describe('the draft is checked as a definition is', () => {
  it('names the field at fault', () => {
    const base = cityOfLondon2023('CoL');
    expect(() => draftSlaPolicy({ ...base, targets: [{ ...base.targets[0]!, calendarId: 'nope' }] })).toThrow(
      expect.objectContaining({ code: 'SLA_POLICY.UNKNOWN_CALENDAR', field: 'targets[0].calendarId' }),
    );
    expect(() => draftSlaPolicy({ ...base, warningThresholdsPct: [75, 75] })).toThrow(expect.objectContaining({ field: 'warningThresholdsPct' }));
    expect(draftSlaPolicy(base)).toMatchObject({ version: 0, effectiveFrom: '2023-01-01T00:00:00.000Z' });
  });
});
