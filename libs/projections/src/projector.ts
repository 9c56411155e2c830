import { parseLogPosition, showPosition, yieldToEventLoop, type EventStore, type LogPosition, type RecordedEvent } from '@itsm/event-store';
import { CheckpointConflictError, type ReadStore } from '@itsm/read-store';
import { BatchContext } from './batch-context';
import { CommittedDocuments } from './committed-documents';
import { physicalCollection, type ProjectionDefinition } from './projection';
import { Backoff, type BackoffOptions } from './backoff';

export interface ProjectorOptions {
  /** Events per batch (one transaction each). */
  batchSize?: number;
  /**
   * A batch is committed early once its documents reach this many, so one transaction stays within
   * the read store's limits (MongoDB: 60 s, its cache). One event's writes are never split.
   */
  maxWritesPerCommit?: number;
  /** Stop at this position: a replay of the log as it stood then. */
  until?: LogPosition;
  onError?: (error: unknown) => void;
  /**
   * Called after each committed batch with its last event and how many it held (progress displays,
   * replays); a promise it returns is awaited before the next batch (a replay's snapshot of the store).
   */
  onBatch?: (last: RecordedEvent, events: number) => unknown;
  /** Waits between resubscriptions after the subscription drops. */
  backoff?: BackoffOptions;
  /**
   * Building from scratch, suspend secondary indexes and build them in bulk at the end (default):
   * cheaper in all, but one long step. Replays beside a serving API keep them, in small steps.
   */
  bulkIndexes?: boolean;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  position: string | null;
  headPosition: string | null;
  /** Events in the log after the checkpoint (counted, never computed from positions), at most LAG_COUNT_LIMIT. */
  lag: number;
  servingVersion: number | null;
  state: 'catching_up' | 'live' | 'reconnecting' | 'stopped' | 'failed';
  /** Resubscriptions in a row since the subscription last delivered (reconnecting). */
  attempts?: number;
  error?: string;
}

const SERVING = 'projection_serving';
/**
 * Documents per transaction by default: MongoDB bounds a transaction (60 s, its cache); a local
 * SQLite transaction is bounded by memory alone, and fewer, larger commits write a document
 * rewritten by many events of a batch once.
 */
const DEFAULT_MAX_WRITES = { sqlite: 50_000, mongodb: 5_000 } as const;
/** Counting a long lag on KurrentDB reads the events: beyond this many, the lag is reported as this. */
export const LAG_COUNT_LIMIT = 100_000;

/**
 * Runs one projection from the log: from its checkpoint, in batches, each batch's documents and the
 * checkpoint committed together, so a crash neither loses nor repeats an event. The commit is a
 * compare-and-set on the checkpoint: of two projectors of one version on one read store, the slower
 * loses, re-reads the checkpoint and goes on from there, so nothing is applied twice. A dropped
 * subscription is resubscribed from the checkpoint with backoff. A new version builds into its own
 * collections while the previous one keeps serving, then takes over.
 */
export class Projector {
  private position: LogPosition | undefined;
  private servingVersion: number | null = null;
  private state: ProjectionStatus['state'] = 'stopped';
  private error: string | undefined;
  private attempts = 0;
  private loop: Promise<void> | undefined;
  private stopped = true;
  private readonly backoff: Backoff;
  private closeSubscription: (() => Promise<void>) | undefined;
  /** The documents this projector committed, when the projection lets it keep them (keepInMemory). */
  private readonly committed: CommittedDocuments | undefined;

  constructor(
    private readonly events: EventStore,
    private readonly reads: ReadStore,
    readonly projection: ProjectionDefinition,
    private readonly options: ProjectorOptions = {},
  ) {
    this.backoff = new Backoff(options.backoff);
    this.committed = projection.keepInMemory ? new CommittedDocuments(projection.keepInMemory) : undefined;
  }

  private get checkpointName(): string {
    return `${this.projection.name}@v${this.projection.version}`;
  }

  /** Declares collections and reads the checkpoint. */
  async init(): Promise<void> {
    await this.reads.declareCollection(SERVING, []);
    await this.declareCollections();
    await this.readCheckpoint();
    await this.refreshServing();
  }

  /**
   * Reads again what another process may have moved: the serving version (after a take-over by a
   * separate projector, queries must follow it: MongoDB answers a dropped collection with nothing)
   * and, when this process does not run the projection itself, the checkpoint.
   */
  async refresh(): Promise<void> {
    await this.refreshServing();
    if (this.stopped) await this.readCheckpoint();
  }

  private async refreshServing(): Promise<void> {
    this.servingVersion = (await this.reads.get<{ version: number }>(SERVING, this.projection.name))?.version ?? null;
  }

  private async readCheckpoint(): Promise<void> {
    // Whoever moved the checkpoint may have written documents too: what this projector kept may be stale.
    this.committed?.clear();
    const stored = (await this.reads.getCheckpoint(this.checkpointName))?.position;
    this.position = parseLogPosition(stored);
  }

  /** The physical collection queries should read for a logical collection. */
  collection(logical: string): string {
    return physicalCollection(logical, this.servingVersion ?? this.projection.version);
  }

  /** The last event applied; undefined before the first. */
  get checkpoint(): LogPosition | undefined {
    return this.position;
  }

  /** Processes every event up to the head of the log, then takes over serving if it was not. */
  async catchUp(): Promise<void> {
    const size = this.options.batchSize ?? 500;
    const until = this.options.until;
    // Building a version from scratch: maintain only the indexes the projection reads while it
    // builds, and build the others once at the end (bulk index builds are several times cheaper).
    const fromScratch = this.position === undefined && this.options.bulkIndexes !== false;
    if (fromScratch) await this.suspendIndexes();
    for (;;) {
      const batch: RecordedEvent[] = [];
      for await (const e of this.events.readAll({ after: this.position, maxCount: size })) {
        if (until !== undefined && e.position > until) break;
        batch.push(e);
      }
      const last = batch.at(-1);
      if (last === undefined) break;
      const full = batch.length === size && (until === undefined || last.position < until);
      await this.commit(batch);
      if (!full) break;
      await yieldToEventLoop(); // a long catch-up must not keep the API from answering
    }
    if (fromScratch) await this.declareCollections();
    await this.takeOver();
  }

  private async suspendIndexes(): Promise<void> {
    const { version, collections, indexesWhileBuilding } = this.projection;
    for (const logical of Object.keys(collections))
      await this.reads.suspendIndexes(physicalCollection(logical, version), indexesWhileBuilding?.[logical] ?? []);
  }

  private async declareCollections(): Promise<void> {
    const { version, collections, compoundIndexes } = this.projection;
    for (const [logical, fields] of Object.entries(collections))
      await this.reads.declareCollection(physicalCollection(logical, version), fields, compoundIndexes?.[logical]);
  }

  /** Follows the log live until stop(). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.state = 'catching_up';
    this.loop = this.run().catch((e) => {
      this.state = 'failed';
      this.error = e instanceof Error ? e.message : String(e);
      this.options.onError?.(e);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.backoff.cancel();
    await this.closeSubscription?.();
    await this.loop;
    if (this.state !== 'failed') this.state = 'stopped';
  }

  async status(): Promise<ProjectionStatus> {
    if (this.stopped) await this.readCheckpoint();
    const head = await this.events.headPosition();
    return {
      name: this.projection.name,
      version: this.projection.version,
      position: showPosition(this.position),
      headPosition: showPosition(head),
      lag: await this.events.countEventsAfter(this.position, LAG_COUNT_LIMIT),
      servingVersion: this.servingVersion,
      state: this.state,
      ...(this.state === 'reconnecting' ? { attempts: this.attempts } : {}),
      ...(this.error ? { error: this.error } : {}),
    };
  }

  /**
   * Catch up, then follow the subscription. When it fails (the server restarted, the leader moved,
   * the network dropped), say so and start again from the checkpoint after a growing wait.
   */
  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.catchUp();
        if (this.stopped) break;
        await this.follow();
        return;
      } catch (error) {
        if (this.stopped) return;
        if (error instanceof CheckpointConflictError) continue; // another instance moved on: resume after its checkpoint
        this.attempts++;
        this.state = 'reconnecting';
        this.error = error instanceof Error ? error.message : String(error);
        this.options.onError?.(error);
        await this.backoff.wait(this.attempts);
      }
    }
  }

  private async follow(): Promise<void> {
    const size = this.options.batchSize ?? 500;
    const subscription = this.events.subscribeToAll({ after: this.position });
    this.closeSubscription = () => subscription.close();
    try {
      const it = subscription[Symbol.asyncIterator]();
      let next = it.next();
      this.state = 'live';
      this.attempts = 0;
      this.error = undefined;
      while (!this.stopped) {
        const first = await next;
        if (first.done || this.stopped) break;
        const batch = [first.value];
        next = it.next();
        // Take whatever else is already waiting, up to a batch: one transaction for a burst.
        while (batch.length < size) {
          const more = await Promise.race([next, new Promise<'idle'>((r) => setImmediate(() => r('idle')))]);
          if (more === 'idle' || more.done) break;
          batch.push(more.value);
          next = it.next();
        }
        const position = this.position;
        await this.commit(batch.filter((e) => position === undefined || e.position > position));
      }
      // Swallow the pending read's failure once closed: nothing waits for it any more.
      next.catch(() => undefined);
    } finally {
      this.closeSubscription = undefined;
      await subscription.close();
    }
  }

  /**
   * Applies events and commits their documents with the checkpoint, early whenever the documents
   * reach maxWritesPerCommit. On a checkpoint conflict nothing was written: the checkpoint is read
   * again and the conflict rethrown, so the caller re-reads the log after it.
   */
  private async commit(batch: RecordedEvent[]): Promise<void> {
    const maxWrites = this.options.maxWritesPerCommit ?? DEFAULT_MAX_WRITES[this.reads.kind] ?? 5_000;
    let ctx = new BatchContext(this.reads, this.projection.version, this.committed);
    let applied = 0;
    for (const [i, e] of batch.entries()) {
      await this.projection.apply(e, ctx);
      applied++;
      if (ctx.writeCount >= maxWrites || i === batch.length - 1) {
        await this.commitApplied(ctx, e, applied);
        ctx = new BatchContext(this.reads, this.projection.version, this.committed);
        applied = 0;
      }
    }
  }

  private async commitApplied(ctx: BatchContext, last: RecordedEvent, events: number): Promise<void> {
    const { version } = this.projection;
    try {
      await this.reads.commitBatch(ctx.writes(), { name: this.checkpointName, version, position: last.position.toString() }, showPosition(this.position));
    } catch (error) {
      // Nothing or something else was written: the documents kept are no longer known to be the store's.
      this.committed?.clear();
      if (error instanceof CheckpointConflictError) await this.readCheckpoint();
      throw error;
    }
    ctx.keepCommitted();
    this.position = last.position;
    await this.options.onBatch?.(last, events);
  }

  /** Forgets everything built: this version's collections and checkpoint. The next catch-up rebuilds from the start. */
  async reset(): Promise<void> {
    const { version, collections } = this.projection;
    for (const [logical, fields] of Object.entries(collections)) {
      await this.reads.dropCollection(physicalCollection(logical, version));
      await this.reads.declareCollection(physicalCollection(logical, version), fields, this.projection.compoundIndexes?.[logical]);
    }
    const stored = (await this.reads.getCheckpoint(this.checkpointName))?.position ?? null;
    await this.reads.commitBatch([], { name: this.checkpointName, version, position: null }, stored);
    this.committed?.clear();
    this.position = undefined;
  }

  /** Once this version has caught up, queries read it; the older version's collections are dropped. */
  private async takeOver(): Promise<void> {
    const { name, version, collections } = this.projection;
    await this.refreshServing();
    // Never take serving back from a newer version (an old instance still running during an upgrade).
    if (this.servingVersion !== null && this.servingVersion >= version) return;
    const previous = this.servingVersion;
    await this.reads.upsert(SERVING, name, { id: name, version });
    this.servingVersion = version;
    if (previous !== null && previous !== version) {
      for (const logical of Object.keys(collections)) await this.reads.dropCollection(physicalCollection(logical, previous));
    }
  }
}
