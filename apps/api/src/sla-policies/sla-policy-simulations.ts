import { randomUUID } from 'node:crypto';
import { Logger, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { SimulationCancelledError, SlaPolicySimulator, type SimulationProgress, type SimulationRange, type SlaPolicySimulationResult } from '@itsm/application';
import type { SlaPolicyVersion } from '@itsm/domain';
import { EVENT_STORE, showPosition, type EventStore } from '@itsm/event-store';
import { Projector } from '@itsm/projections';
import { READ_STORE, type ReadStore } from '@itsm/read-store';
import { CLOCK, type Clock } from '../common/clock';
import { ReportsTicketIndex } from './reports-ticket-index';

/**
 * Up to this many tickets (as estimated when asked) a what-if answers at once: about 0.5 ms a ticket
 * (a stream read and two clock folds), so ~250 ms, in steps that yield. Beyond it, or while another
 * simulation runs, it becomes a job (202 + Location).
 */
export const SYNC_MAX_TICKETS = 500;

export interface SlaPolicySimulationsOptions {
  syncMaxTickets?: number;
  /** Simulations run at once (each replays up to a year of a tenant's tickets). */
  maxRunning?: number;
  /** Jobs that may wait for their turn; beyond, SimulationsBusyError. */
  maxWaiting?: number;
  /** Finished jobs kept for GET, and for how long (read on the injected clock). */
  keepFinished?: number;
  finishedTtlMs?: number;
  onError?: (error: unknown) => void;
}

export type SimulationJobStatus = 'queued' | 'running' | 'done' | 'failed';

/** A job as GET .../simulations/{id} answers it: progress while it runs, the result when done. */
export interface SimulationJobView {
  id: string;
  tenantId: string;
  status: SimulationJobStatus;
  from: string;
  to: string;
  /** The log position it replays up to, fixed when it was asked. */
  position: string | null;
  submittedAt: string;
  finishedAt?: string;
  progress: SimulationProgress & { estimatedTickets: number; percent: number | null };
  result?: SlaPolicySimulationResult;
  error?: { code: string; detail: string };
}

/** More simulations were asked for than may run or wait: answered 503 with Retry-After. */
export class SimulationsBusyError extends Error {
  readonly code = 'SLA_SIMULATION.BUSY';
  constructor(readonly retryAfterSeconds: number) {
    super('Too many policy simulations are running or waiting; ask again shortly');
    this.name = 'SimulationsBusyError';
  }
}

interface Job {
  view: SimulationJobView;
  finishedAtMs?: number;
}

/** The part of SlaPolicySimulator the jobs use (tests hand in a gated one). */
export type Simulator = Pick<SlaPolicySimulator, 'plan' | 'run'>;

/**
 * Policy what-if runs, bounded like report replays: one at a time, a few waiting, 503 beyond. A small
 * one answers at once when nothing else runs; any other is a job whose progress and result are kept
 * in this process (a job asked of one API instance is answered by that instance) for a while after.
 */
export class SlaPolicySimulations implements OnApplicationShutdown {
  private readonly jobs = new Map<string, Job>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly syncMaxTickets: number;
  private readonly maxRunning: number;
  private readonly maxWaiting: number;
  private readonly keepFinished: number;
  private readonly finishedTtlMs: number;
  private readonly onError: (error: unknown) => void;

  constructor(
    private readonly simulator: Simulator,
    private readonly clock: Clock,
    options: SlaPolicySimulationsOptions = {},
  ) {
    this.syncMaxTickets = options.syncMaxTickets ?? SYNC_MAX_TICKETS;
    this.maxRunning = options.maxRunning ?? 1;
    this.maxWaiting = options.maxWaiting ?? 4;
    this.keepFinished = options.keepFinished ?? 16;
    this.finishedTtlMs = options.finishedTtlMs ?? 60 * 60_000;
    this.onError = options.onError ?? (() => undefined);
  }

  /**
   * The answer at once (`result`) when the range is small, nothing else runs and no job is asked for
   * (`preferAsync`); otherwise a job (`job`), or SimulationsBusyError when the queue is full.
   */
  async simulate(
    tenantId: string,
    range: SimulationRange,
    draft: SlaPolicyVersion,
    preferAsync = false,
  ): Promise<{ result: SlaPolicySimulationResult } | { job: SimulationJobView }> {
    if (this.closed) throw new SimulationsBusyError(5);
    this.prune();
    const plan = await this.simulator.plan(tenantId, range, draft);
    if (!preferAsync && plan.estimatedTickets <= this.syncMaxTickets && this.running < this.maxRunning && this.waiting.length === 0) {
      this.running++;
      try {
        return { result: await this.track(this.simulator.run(plan, { cancelled: () => this.closed })) };
      } finally {
        this.release();
      }
    }
    if (this.closed || (this.running >= this.maxRunning && this.waiting.length >= this.maxWaiting)) throw new SimulationsBusyError(5);
    const job: Job = {
      view: {
        id: randomUUID(),
        tenantId,
        status: 'queued',
        from: range.from,
        to: range.to,
        position: showPosition(plan.head),
        submittedAt: this.clock.now().toISOString(),
        progress: { phase: 'listing', ticketsListed: 0, ticketsReplayed: 0, estimatedTickets: plan.estimatedTickets, percent: null },
      },
    };
    this.jobs.set(job.view.id, job);
    const onProgress = (p: SimulationProgress) => {
      job.view.progress = {
        ...p,
        estimatedTickets: plan.estimatedTickets,
        percent: p.phase === 'done' ? 100 : p.phase === 'replaying' && p.ticketsListed > 0 ? Math.floor((100 * p.ticketsReplayed) / p.ticketsListed) : null,
      };
    };
    void this.track(
      this.inTurn(async () => {
        job.view.status = 'running';
        return this.simulator.run(plan, { onProgress, cancelled: () => this.closed });
      }).then(
        (result) => this.finish(job, { status: 'done', result }),
        (error: unknown) => {
          if (!(error instanceof SimulationCancelledError)) this.onError(error);
          const known = error instanceof SimulationCancelledError;
          this.finish(job, {
            status: 'failed',
            error: { code: known ? error.code : 'INTERNAL', detail: known ? error.message : 'The simulation failed; it has been logged' },
          });
        },
      ),
    );
    return { job: this.view(job) };
  }

  /** A job of this tenant; undefined for an unknown id and for another tenant's job alike. */
  job(tenantId: string, id: string): SimulationJobView | undefined {
    this.prune();
    const job = this.jobs.get(id);
    return job && job.view.tenantId === tenantId ? this.view(job) : undefined;
  }

  /** Stops running simulations at their next step; waiting ones fail at once. */
  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const next of this.waiting.splice(0)) {
      this.running++; // each is handed a slot, and gives it back when it fails
      next();
    }
    await Promise.allSettled([...this.inFlight]);
  }

  private view(job: Job): SimulationJobView {
    return { ...job.view, progress: { ...job.view.progress } };
  }

  private finish(job: Job, outcome: Pick<SimulationJobView, 'status' | 'result' | 'error'>): void {
    const now = this.clock.now();
    Object.assign(job.view, outcome, { finishedAt: now.toISOString() });
    job.finishedAtMs = now.getTime();
  }

  /** Finished jobs go after finishedTtlMs, and the oldest beyond keepFinished; queued and running ones stay. */
  private prune(): void {
    const now = this.clock.now().getTime();
    const finished = [...this.jobs.values()].filter((j) => j.finishedAtMs !== undefined);
    finished.forEach((j, i) => {
      if (j.finishedAtMs! + this.finishedTtlMs <= now || i < finished.length - this.keepFinished) this.jobs.delete(j.view.id);
    });
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = () => void this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Runs when fewer than maxRunning run, in the order asked; after shutdown, not at all. */
  private async inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxRunning)
      await new Promise<void>((resolve) => this.waiting.push(resolve)); // handed a slot
    else this.running++;
    try {
      if (this.closed) throw new SimulationCancelledError();
      return await work();
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next)
      next(); // the slot passes straight on
    else this.running--;
  }
}

/** The API's simulations: over its event store, listing tickets from the reports read model. */
export const slaPolicySimulationsProvider: Provider = {
  provide: SlaPolicySimulations,
  inject: [EVENT_STORE, READ_STORE, Projector, CLOCK],
  useFactory: (store: EventStore, reads: ReadStore, projector: Projector, clock: Clock) => {
    const logger = new Logger('SlaPolicySimulations');
    return new SlaPolicySimulations(new SlaPolicySimulator(store, new ReportsTicketIndex(reads, projector)), clock, {
      onError: (e) => logger.error(String((e as Error)?.stack ?? e)),
    });
  },
};
