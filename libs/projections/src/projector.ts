import type { EventStore, RecordedEvent } from '@itsm/event-store';
import type { ReadStore } from '@itsm/read-store';
import { BatchContext } from './batch-context';
import { physicalCollection, type ProjectionDefinition } from './projection';

export interface ProjectorOptions {
  /** Events per batch (one transaction each). */
  batchSize?: number;
  /** Stop at this position: a replay of the log as it stood then. */
  until?: bigint;
  onError?: (error: unknown) => void;
  /** Called after each committed batch with the checkpoint (for progress displays). */
  onBatch?: (position: bigint) => void;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  position: string;
  headPosition: string;
  lag: string;
  /** The version queries read: the newest one that has caught up. */
  servingVersion: number | null;
  state: 'catching_up' | 'live' | 'stopped' | 'failed';
  error?: string;
}

const SERVING = 'projection_serving';

/**
 * Runs one projection from the log: from its checkpoint, in batches, each batch's documents and the
 * checkpoint committed together, so a crash neither loses nor repeats an event. A new version
 * builds into its own collections while the previous one keeps serving, then takes over.
 */
export class Projector {
  private position = 0n;
  private servingVersion: number | null = null;
  private state: ProjectionStatus['state'] = 'stopped';
  private error: string | undefined;
  private loop: Promise<void> | undefined;
  private stopped = true;
  private wake: (() => void) | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;

  constructor(
    private readonly events: EventStore,
    private readonly reads: ReadStore,
    readonly projection: ProjectionDefinition,
    private readonly options: ProjectorOptions = {},
  ) {}

  /** Declares collections and reads the checkpoint. */
  async init(): Promise<void> {
    const { name, version } = this.projection;
    await this.reads.declareCollection(SERVING, []);
    await this.declareCollections();
    const checkpoint = await this.reads.getCheckpoint(`${name}@v${version}`);
    this.position = checkpoint?.position ?? 0n;
    this.servingVersion = (await this.reads.get<{ version: number }>(SERVING, name))?.version ?? null;
  }

  /** The physical collection queries should read for a logical collection. */
  collection(logical: string): string {
    return physicalCollection(logical, this.servingVersion ?? this.projection.version);
  }

  get checkpoint(): bigint {
    return this.position;
  }

  /** Processes every event up to the head of the log, then takes over serving if it was not. */
  async catchUp(): Promise<void> {
    const size = this.options.batchSize ?? 500;
    const until = this.options.until;
    // Building a version from scratch: maintain only the indexes the projection reads while it
    // builds, and build the others once at the end (bulk index builds are several times cheaper).
    const fromScratch = this.position === 0n;
    if (fromScratch) await this.suspendIndexes();
    for (;;) {
      const batch: RecordedEvent[] = [];
      for await (const e of this.events.readAll({ fromPosition: this.position + 1n, maxCount: size })) {
        if (until !== undefined && e.position > until) break;
        batch.push(e);
      }
      if (batch.length === 0) break;
      await this.commit(batch);
      if (batch.length < size) break;
    }
    if (fromScratch) await this.declareCollections();
    await this.takeOver();
  }

  private async suspendIndexes(): Promise<void> {
    const { version, collections, indexesWhileBuilding } = this.projection;
    for (const logical of Object.keys(collections)) await this.reads.suspendIndexes(physicalCollection(logical, version), indexesWhileBuilding?.[logical] ?? []);
  }

  private async declareCollections(): Promise<void> {
    const { version, collections, compoundIndexes } = this.projection;
    for (const [logical, fields] of Object.entries(collections)) await this.reads.declareCollection(physicalCollection(logical, version), fields, compoundIndexes?.[logical]);
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
    this.wake?.();
    await this.unsubscribe?.();
    await this.loop;
    if (this.state !== 'failed') this.state = 'stopped';
  }

  async status(): Promise<ProjectionStatus> {
    const head = await this.events.headPosition();
    return {
      name: this.projection.name,
      version: this.projection.version,
      position: this.position.toString(),
      headPosition: head.toString(),
      lag: (head > this.position ? head - this.position : 0n).toString(),
      servingVersion: this.servingVersion,
      state: this.state,
      ...(this.error ? { error: this.error } : {}),
    };
  }

  private async run(): Promise<void> {
    await this.catchUp();
    this.state = 'live';
    const size = this.options.batchSize ?? 500;
    const subscription = this.events.subscribeToAll({ fromPosition: this.position });
    this.unsubscribe = () => subscription.close();
    const it = subscription[Symbol.asyncIterator]();
    let next = it.next();
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
      await this.commit(batch.filter((e) => e.position > this.position));
    }
  }

  private async commit(batch: RecordedEvent[]): Promise<void> {
    if (batch.length === 0) return;
    const ctx = new BatchContext(this.reads, this.projection.version);
    for (const e of batch) await this.projection.apply(e, ctx);
    const last = batch[batch.length - 1].position;
    await this.reads.commitBatch(ctx.writes(), { name: `${this.projection.name}@v${this.projection.version}`, version: this.projection.version, position: last });
    this.position = last;
    this.options.onBatch?.(last);
  }

  /** Forgets everything built: this version's collections and checkpoint. The next catch-up rebuilds from the start. */
  async reset(): Promise<void> {
    const { name, version, collections } = this.projection;
    for (const [logical, fields] of Object.entries(collections)) {
      await this.reads.dropCollection(physicalCollection(logical, version));
      await this.reads.declareCollection(physicalCollection(logical, version), fields, this.projection.compoundIndexes?.[logical]);
    }
    await this.reads.commitBatch([], { name: `${name}@v${version}`, version, position: 0n });
    this.position = 0n;
  }

  /** Once this version has caught up, queries read it; the older version's collections are dropped. */
  private async takeOver(): Promise<void> {
    const { name, version, collections } = this.projection;
    if (this.servingVersion === version) return;
    const previous = this.servingVersion;
    await this.reads.upsert(SERVING, name, { id: name, version });
    this.servingVersion = version;
    if (previous !== null && previous !== version) {
      for (const logical of Object.keys(collections)) await this.reads.dropCollection(physicalCollection(logical, previous));
    }
  }
}
