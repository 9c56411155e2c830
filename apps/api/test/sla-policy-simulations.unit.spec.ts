import { SimulationCancelledError, type SimulationPlan, type SimulationProgress, type SlaPolicySimulationResult } from '@itsm/application';
import { cityOfLondon2023 } from '@itsm/domain';
import { asLogPosition } from '@itsm/event-store';
import { MovableClock } from '@itsm/test-kit';
import { SimulationsBusyError, SlaPolicySimulations, SYNC_MAX_TICKETS, type Simulator } from '../src/sla-policies/sla-policy-simulations';

const RANGE = { from: '2023-01-01T00:00:00.000Z', to: '2023-04-01T00:00:00.000Z' };
const DRAFT = { ...cityOfLondon2023('CoL'), version: 0 };
const HOUR = 3_600_000;

/** A simulator whose runs stop half-way until the test lets them go: progress is observed, not raced. */
class GatedSimulator implements Simulator {
  readonly runs: Array<{ plan: SimulationPlan; release: (outcome?: Error) => void; cancelled: () => boolean }> = [];
  private entered: Array<() => void> = [];
  constructor(public estimatedTickets = 10) {}

  async plan(tenantId: string, range: typeof RANGE, draft: typeof DRAFT): Promise<SimulationPlan> {
    return { tenantId, range, draft, head: asLogPosition(42n), indexedThrough: undefined, estimatedTickets: this.estimatedTickets };
  }

  async run(
    plan: SimulationPlan,
    options: { onProgress?: (p: SimulationProgress) => void; cancelled?: () => boolean } = {},
  ): Promise<SlaPolicySimulationResult> {
    options.onProgress?.({ phase: 'replaying', ticketsListed: 10, ticketsReplayed: 4 });
    const outcome = await new Promise<Error | undefined>((release) => {
      this.runs.push({ plan, release, cancelled: options.cancelled ?? (() => false) });
      this.entered.splice(0).forEach((f) => f());
    });
    if (outcome) throw outcome;
    if (options.cancelled?.()) throw new SimulationCancelledError();
    options.onProgress?.({ phase: 'done', ticketsListed: 10, ticketsReplayed: 10 });
    return { tenantId: plan.tenantId, position: '42', tickets: 10 } as SlaPolicySimulationResult;
  }

  /** Resolves once `n` runs have started. */
  async started(n: number): Promise<void> {
    while (this.runs.length < n) await new Promise<void>((resolve) => this.entered.push(resolve));
  }
}

const clock = new MovableClock('2024-01-01T09:00:00Z');
const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};

describe('policy what-if jobs', () => {
  it('answers a small range at once when nothing runs; a large one, or Prefer: respond-async, becomes a job', async () => {
    const sim = new GatedSimulator(SYNC_MAX_TICKETS);
    const jobs = new SlaPolicySimulations(sim, clock);
    const small = jobs.simulate('CoL', RANGE, DRAFT);
    await sim.started(1);
    sim.runs[0]!.release();
    expect(await small).toEqual({ result: expect.objectContaining({ tickets: 10 }) });

    sim.estimatedTickets = SYNC_MAX_TICKETS + 1;
    const large = await jobs.simulate('CoL', RANGE, DRAFT);
    expect(large).toEqual({
      job: expect.objectContaining({
        tenantId: 'CoL',
        status: expect.stringMatching(/queued|running/),
        position: '42',
        progress: expect.objectContaining({ estimatedTickets: SYNC_MAX_TICKETS + 1 }),
      }),
    });
    await sim.started(2);
    sim.runs[1]!.release();
    sim.estimatedTickets = 1;
    const preferred = await jobs.simulate('CoL', RANGE, DRAFT, true);
    expect('job' in preferred).toBe(true);
    await sim.started(3);
    sim.runs[2]!.release();
    await jobs.onApplicationShutdown();
  });

  it('shows progress while it runs, then the result', async () => {
    const sim = new GatedSimulator(SYNC_MAX_TICKETS + 1);
    const jobs = new SlaPolicySimulations(sim, clock);
    const { job } = (await jobs.simulate('CoL', RANGE, DRAFT)) as { job: { id: string } };
    await sim.started(1);
    expect(jobs.job('CoL', job.id)).toMatchObject({ status: 'running', progress: { phase: 'replaying', ticketsListed: 10, ticketsReplayed: 4, percent: 40 } });
    expect(jobs.job('CoL', job.id)!.result).toBeUndefined();
    sim.runs[0]!.release();
    await until(() => jobs.job('CoL', job.id)!.status === 'done');
    expect(jobs.job('CoL', job.id)).toMatchObject({
      status: 'done',
      finishedAt: clock.now().toISOString(),
      progress: { phase: 'done', percent: 100 },
      result: { tickets: 10 },
    });
  });

  it('runs one at a time with four waiting; beyond, refuses with a Retry-After; a small range while one runs waits as a job', async () => {
    const sim = new GatedSimulator(SYNC_MAX_TICKETS + 1);
    const jobs = new SlaPolicySimulations(sim, clock);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(((await jobs.simulate('CoL', RANGE, DRAFT)) as { job: { id: string } }).job.id);
    await sim.started(1);
    sim.estimatedTickets = 1;
    ids.push(((await jobs.simulate('CoL', RANGE, DRAFT)) as { job: { id: string } }).job.id);
    expect(ids.map((id) => jobs.job('CoL', id)!.status)).toEqual(['running', 'queued', 'queued', 'queued', 'queued']);
    await expect(jobs.simulate('CoL', RANGE, DRAFT)).rejects.toEqual(expect.objectContaining({ code: 'SLA_SIMULATION.BUSY', retryAfterSeconds: 5 }));
    await expect(jobs.simulate('CoL', RANGE, DRAFT)).rejects.toBeInstanceOf(SimulationsBusyError);
    // Each finishing job hands its slot to the next, in the order asked.
    for (let i = 0; i < 5; i++) {
      await sim.started(i + 1);
      expect(sim.runs).toHaveLength(i + 1);
      sim.runs[i]!.release();
    }
    await until(() => ids.every((id) => jobs.job('CoL', id)!.status === 'done'));
  });

  it('answers a job only to its own tenant, and forgets finished jobs after an hour on the clock', async () => {
    const sim = new GatedSimulator(SYNC_MAX_TICKETS + 1);
    const jobs = new SlaPolicySimulations(sim, clock, { finishedTtlMs: HOUR });
    const { job } = (await jobs.simulate('CoL', RANGE, DRAFT)) as { job: { id: string } };
    expect(jobs.job('CoLP', job.id)).toBeUndefined();
    expect(jobs.job('CoL', 'no-such-job')).toBeUndefined();
    await sim.started(1);
    clock.advance(2 * HOUR); // a running job is never forgotten
    expect(jobs.job('CoL', job.id)).toBeDefined();
    sim.runs[0]!.release();
    await until(() => jobs.job('CoL', job.id)!.status === 'done');
    clock.advance(HOUR - 1);
    expect(jobs.job('CoL', job.id)).toBeDefined();
    clock.advance(1);
    expect(jobs.job('CoL', job.id)).toBeUndefined();
  });

  it('keeps only the newest finished jobs', async () => {
    const sim = new GatedSimulator(SYNC_MAX_TICKETS + 1);
    const jobs = new SlaPolicySimulations(sim, clock, { keepFinished: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(((await jobs.simulate('CoL', RANGE, DRAFT)) as { job: { id: string } }).job.id);
      await sim.started(i + 1);
      sim.runs[i]!.release();
      await until(() => jobs.job('CoL', ids[i]!)?.status === 'done');
    }
    expect(ids.map((id) => jobs.job('CoL', id)?.status)).toEqual([undefined, 'done', 'done']);
  });

  it('fails a job whose run throws, without telling the caller why, and logs it', async () => {
    const sim = new GatedSimulator(SYNC_MAX_TICKETS + 1);
    const logged: unknown[] = [];
    const jobs = new SlaPolicySimulations(sim, clock, { onError: (e) => logged.push(e) });
    const { job } = (await jobs.simulate('CoL', RANGE, DRAFT)) as { job: { id: string } };
    await sim.started(1);
    sim.runs[0]!.release(new Error('disk on fire'));
    await until(() => jobs.job('CoL', job.id)!.status === 'failed');
    expect(jobs.job('CoL', job.id)!.error).toEqual({ code: 'INTERNAL', detail: 'The simulation failed; it has been logged' });
    expect(logged).toEqual([new Error('disk on fire')]);
  });

  it('on shutdown, stops the running simulation at its next step, fails the waiting ones, and refuses new ones', async () => {
    const sim = new GatedSimulator(SYNC_MAX_TICKETS + 1);
    const logged: unknown[] = [];
    const jobs = new SlaPolicySimulations(sim, clock, { onError: (e) => logged.push(e) });
    const first = ((await jobs.simulate('CoL', RANGE, DRAFT)) as { job: { id: string } }).job.id;
    const second = ((await jobs.simulate('CoL', RANGE, DRAFT)) as { job: { id: string } }).job.id;
    await sim.started(1);
    const stopping = jobs.onApplicationShutdown();
    expect(sim.runs[0]?.cancelled()).toBe(true);
    sim.runs[0]!.release();
    await stopping;
    for (const id of [first, second]) expect(jobs.job('CoL', id)).toMatchObject({ status: 'failed', error: { code: 'SLA_SIMULATION.CANCELLED' } });
    expect(sim.runs).toHaveLength(1);
    expect(logged).toEqual([]);
    await expect(jobs.simulate('CoL', RANGE, DRAFT)).rejects.toBeInstanceOf(SimulationsBusyError);
  });
});
