import { handleCommand, systemCommand, StreamNotFoundError, type EventStore, type LogPosition } from '@itsm/event-store';
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
  /** The last event the last checkpoint covered, in this store (undefined: none, or it came from another store). */
  private covered: LogPosition | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly options: AuditCheckpointerOptions = {},
  ) {}

  /** Records a checkpoint at the head if anything but checkpoints was appended since the last one. */
  async checkpoint(): Promise<AuditCheckpointData | null> {
    if (!this.chain) await this.load();
    this.chain = await advanceGlobalChain(this.store, this.chain!);
    if (!(await this.hasNewFacts(this.covered))) return null;
    const now = this.now();
    const { position, last, eventCount, globalHash } = this.chain;
    const data: AuditCheckpointData = {
      position: position!.toString(),
      ...(last ? { lastStreamId: last.streamId, lastRevision: last.revision.toString() } : {}),
      eventCount,
      globalHash,
      recordedAt: now.toISOString(),
    };
    await handleCommand<AuditCheckpointData | undefined, CheckpointEvent>(this.store, {
      streamId: AUDIT_CHECKPOINT_STREAM,
      initialState: () => undefined,
      evolve: (_, e) => e.data,
      // Counted in events: two checkpointers never record the same stretch twice, nor go back.
      decide: (latest) => (latest && latest.eventCount >= data.eventCount ? [] : [{ type: AUDIT_CHECKPOINT_RECORDED, data }]),
      metadata: systemCommand(`audit-checkpoint/${data.position}`, 'system:audit', '*', data.globalHash),
      schemaVersion: 1,
      now: () => now,
    });
    this.last = data;
    this.covered = position;
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
          if (!this.chain) await this.load();
          // Counted in events, never by subtracting positions (byte offsets on KurrentDB).
          this.chain = await advanceGlobalChain(this.store, this.chain!);
          const uncovered = this.chain.eventCount - (this.last?.eventCount ?? 0);
          const age = this.last ? this.now().getTime() - Date.parse(this.last.recordedAt) : Infinity;
          if (uncovered >= every || (uncovered > 0 && age >= maxAge)) await this.checkpoint();
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

  /**
   * Starts from the last recorded checkpoint, so a restart does not rehash the whole log, but only
   * if the event it covered still stands at its position here: after an import into another store
   * (KurrentDB assigns its own positions) the chain is computed again from the start.
   */
  private async load(): Promise<void> {
    this.chain = GLOBAL_CHAIN_START;
    try {
      for await (const e of this.store.readStream(AUDIT_CHECKPOINT_STREAM, { direction: 'backwards', maxCount: 1 })) {
        this.last = e.data as unknown as AuditCheckpointData;
        const position = await this.positionHere(this.last);
        this.covered = position;
        if (position !== undefined)
          this.chain = {
            position,
            last: { streamId: this.last.lastStreamId!, revision: BigInt(this.last.lastRevision!) },
            eventCount: this.last.eventCount,
            globalHash: this.last.globalHash,
          };
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error; // no checkpoint yet: chain from the start
    }
  }

  /** The checkpoint's position if its last event is still there in this store, else undefined. */
  private async positionHere(cp: AuditCheckpointData): Promise<LogPosition | undefined> {
    if (cp.lastStreamId === undefined || cp.lastRevision === undefined) return undefined;
    try {
      for await (const e of this.store.readStream(cp.lastStreamId, { fromRevision: BigInt(cp.lastRevision), maxCount: 1 })) {
        return e.position.toString() === cp.position ? e.position : undefined;
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return undefined;
  }

  private async hasNewFacts(after: LogPosition | undefined): Promise<boolean> {
    for await (const e of this.store.readAll({ after })) if (e.streamId !== AUDIT_CHECKPOINT_STREAM) return true;
    return false;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
