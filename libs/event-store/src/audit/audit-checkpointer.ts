import { handleCommand, systemCommand } from '../command-handler';
import { StreamNotFoundError } from '../event-store.errors';
import type { EventStore } from '../event-store.port';
import { AUDIT_CHECKPOINT_RECORDED, AUDIT_CHECKPOINT_STREAM, type AuditCheckpointData } from './audit-checkpoint';
import { advanceGlobalChain, GLOBAL_CHAIN_START, type GlobalChainState } from './verify-log';

export interface AuditCheckpointerOptions {
  /** Record a checkpoint once this many events are uncovered... */
  everyEvents?: number;
  /** ...or once any are and the last checkpoint is this old (ms). */
  maxAgeMs?: number;
  /** How often to look (ms). */
  pollMs?: number;
  now?: () => Date;
  onError?: (error: unknown) => void;
}

type CheckpointEvent = { type: typeof AUDIT_CHECKPOINT_RECORDED; data: AuditCheckpointData };

/**
 * Records the global chain's hash at intervals, as events of the audit-checkpoints stream. Two
 * processes doing this at once is harmless: a checkpoint never goes back, and the same one is
 * never recorded twice.
 */
export class AuditCheckpointer {
  private chain: GlobalChainState | undefined;
  private last: AuditCheckpointData | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly options: AuditCheckpointerOptions = {},
  ) {}

  /** Records a checkpoint at the head if anything but checkpoints was appended since the last one. */
  async checkpoint(): Promise<AuditCheckpointData | null> {
    if (!this.chain) await this.load();
    const before = this.chain!;
    this.chain = await advanceGlobalChain(this.store, before);
    const covered = this.last ? BigInt(this.last.position) : 0n;
    if (!(await this.hasNewFacts(covered))) return null;
    const now = this.now();
    const data: AuditCheckpointData = { position: this.chain.position.toString(), eventCount: this.chain.eventCount, globalHash: this.chain.globalHash, recordedAt: now.toISOString() };
    await handleCommand<AuditCheckpointData | undefined, CheckpointEvent>(this.store, {
      streamId: AUDIT_CHECKPOINT_STREAM,
      initialState: () => undefined,
      evolve: (_, e) => e.data,
      decide: (latest) => (latest && BigInt(latest.position) >= this.chain!.position ? [] : [{ type: AUDIT_CHECKPOINT_RECORDED, data }]),
      metadata: systemCommand(`audit-checkpoint/${data.position}`, 'system:audit', '*', data.globalHash),
      schemaVersion: 1,
      now: () => now,
    });
    this.last = data;
    return data;
  }

  /** Checks now and then, recording a checkpoint when enough has happened or enough time has passed. */
  start(): void {
    if (this.timer) return;
    const every = this.options.everyEvents ?? 1000;
    const maxAge = this.options.maxAgeMs ?? 10 * 60_000;
    this.timer = setInterval(() => {
      this.running = this.running.then(async () => {
        try {
          const head = await this.store.headPosition();
          if (!this.chain) await this.load();
          const covered = this.last ? BigInt(this.last.position) : 0n;
          const age = this.last ? this.now().getTime() - Date.parse(this.last.recordedAt) : Infinity;
          if (head - covered >= BigInt(every) || (head > covered && age >= maxAge)) await this.checkpoint();
        } catch (error) {
          this.options.onError?.(error);
        }
      });
    }, this.options.pollMs ?? 5_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Starts from the last recorded checkpoint, so a restart does not rehash the whole log. */
  private async load(): Promise<void> {
    this.chain = GLOBAL_CHAIN_START;
    try {
      for await (const e of this.store.readStream(AUDIT_CHECKPOINT_STREAM, { direction: 'backwards', maxCount: 1 })) {
        this.last = e.data as unknown as AuditCheckpointData;
        this.chain = { position: BigInt(this.last.position), eventCount: this.last.eventCount, globalHash: this.last.globalHash };
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error; // no checkpoint yet: chain from the start
    }
  }

  private async hasNewFacts(after: bigint): Promise<boolean> {
    for await (const e of this.store.readAll({ fromPosition: after + 1n })) if (e.streamId !== AUDIT_CHECKPOINT_STREAM) return true;
    return false;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
