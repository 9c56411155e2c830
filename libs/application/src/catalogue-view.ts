import {
  CATALOGUE_ID,
  catalogueStream,
  evolveCatalogue,
  evolveSlaPolicy,
  initialCatalogueState,
  initialSlaPolicyState,
  slaPolicyStream,
  toDomainEvent,
  type CatalogueEvent,
  type CatalogueKind,
  type CatalogueState,
  type SlaPolicyEvent,
  type SlaPolicyState,
} from '@itsm/domain';
import { readWhole, type EventStore, type LogPosition, type RecordedEvent } from '@itsm/event-store';

/** One stream's fold and the revision of the last event in it (-1n: the stream has none yet). */
interface Entry {
  state: unknown;
  revision: bigint;
  evolve: (state: unknown, event: RecordedEvent) => unknown;
}

type Fold<S> = { initial: () => S; evolve: (state: S, event: RecordedEvent) => S };

const CATALOGUE: Fold<CatalogueState<unknown>> = { initial: initialCatalogueState, evolve: (s, e) => evolveCatalogue(s, toDomainEvent<CatalogueEvent>(e)) };
const POLICY: Fold<SlaPolicyState> = { initial: initialSlaPolicyState, evolve: (s, e) => evolveSlaPolicy(s, toDomainEvent<SlaPolicyEvent>(e)) };

/**
 * Streams looked up for ids that have no events are remembered as empty, up to this many: ids come
 * from requests, so the set is capped (past it, it is cleared and such lookups read again).
 */
const MAX_EMPTY = 10_000;

/**
 * The catalogue entries and tenants' SLA policies commands look up, held folded in memory and kept
 * current from the log, so a command does not read and fold half a dozen streams.
 *
 * How it stays right:
 * - `catchUp()` reads the log forwards from the last event it followed up to the head as it stands
 *   at the call, applying each event of a held stream. A command calls it first, so every fact
 *   acknowledged before the command began (in this process or any other: a 2xx is durable, so the
 *   head includes it) is in what it looks up: read-your-writes, and no staleness beyond the
 *   command's own start. One reader at a time; callers that arrive while it reads wait for it and
 *   read again only if their head is further on.
 * - It starts at the head, not at the log's beginning: a stream not held yet is read and folded on
 *   its first lookup (a miss), then held. While a miss reads its stream, the follower notes the
 *   revisions it passes for that stream; if it passed one the read did not see, the fold is used
 *   once but not held (the next lookup reads again), so a held fold never misses an event.
 * - An event is applied only when it is the next revision of what is held; one already folded in
 *   (the miss read it) is skipped; a gap (not expected: the log is read in order) drops the stream.
 * - Ticket streams are never held: the append's expected revision protects each ticket itself.
 *
 * What it returns is shared: callers must not mutate it (folds are pure, so nothing here does).
 */
export class CatalogueView {
  private readonly held = new Map<string, Entry>();
  private emptyHeld = 0;
  /** Streams being read on a miss: the highest revision the follower passed meanwhile (-1n: none). */
  private readonly missing = new Map<string, bigint>();
  private readonly misses = new Map<string, Promise<Entry>>();
  private followed: LogPosition | undefined;
  private beginning: Promise<void> | undefined;
  private reading: Promise<void> | undefined;

  constructor(private readonly store: EventStore) {}

  /**
   * Follows the log up to its head as of now: whatever was acknowledged before this call is seen
   * after it. Returns that head (undefined: the log was empty).
   */
  async catchUp(): Promise<LogPosition | undefined> {
    await this.begin();
    const head = await this.store.headPosition();
    while (head !== undefined && (this.followed === undefined || this.followed < head)) {
      await (this.reading ??= this.follow().finally(() => (this.reading = undefined)));
    }
    return head;
  }

  /**
   * Where following starts: the head when first used. Nothing is held then, so the past need not be
   * read; every miss reads its stream after this point, so the follower never skips its later events.
   */
  private begin(): Promise<void> {
    return (this.beginning ??= this.store.headPosition().then(
      (head) => {
        this.followed = head;
      },
      (error) => {
        this.beginning = undefined; // the next call tries again
        throw error;
      },
    ));
  }

  /** A catalogue entry's current value; undefined when the id names none (or is not an id). */
  async value<T>(kind: CatalogueKind, id: string | undefined): Promise<T | undefined> {
    if (id === undefined || !CATALOGUE_ID.test(id)) return undefined;
    const entry = await this.entry(catalogueStream[kind](id), CATALOGUE);
    return (entry.state as CatalogueState<T>).value;
  }

  /** A tenant's SLA policy versions. */
  async policies(tenantId: string): Promise<SlaPolicyState> {
    if (!CATALOGUE_ID.test(tenantId)) return initialSlaPolicyState();
    return (await this.entry(slaPolicyStream(tenantId), POLICY)).state as SlaPolicyState;
  }

  private async follow(): Promise<void> {
    for await (const e of this.store.readAll({ after: this.followed })) {
      const entry = this.held.get(e.streamId);
      if (entry) this.apply(e.streamId, entry, e);
      else if (this.missing.has(e.streamId)) this.missing.set(e.streamId, e.revision);
      this.followed = e.position;
    }
  }

  private apply(streamId: string, entry: Entry, e: RecordedEvent): void {
    if (e.revision <= entry.revision) return;
    if (e.revision !== entry.revision + 1n) {
      this.forget(streamId, entry);
      return;
    }
    if (entry.revision < 0n) this.emptyHeld--;
    entry.state = entry.evolve(entry.state, e);
    entry.revision = e.revision;
  }

  private forget(streamId: string, entry: Entry): void {
    this.held.delete(streamId);
    if (entry.revision < 0n) this.emptyHeld--;
  }

  private async entry<S>(streamId: string, fold: Fold<S>): Promise<Entry> {
    await this.begin();
    const held = this.held.get(streamId);
    if (held) return held;
    // Concurrent lookups of one stream share one read.
    let miss = this.misses.get(streamId);
    if (!miss) {
      miss = this.readMiss(streamId, fold).finally(() => this.misses.delete(streamId));
      this.misses.set(streamId, miss);
    }
    return miss;
  }

  private async readMiss<S>(streamId: string, fold: Fold<S>): Promise<Entry> {
    this.missing.set(streamId, -1n);
    let events: RecordedEvent[];
    let passed: bigint;
    try {
      events = await readWhole(this.store, streamId);
    } finally {
      passed = this.missing.get(streamId) ?? -1n;
      this.missing.delete(streamId);
    }
    const entry: Entry = {
      state: events.reduce((s, e) => fold.evolve(s, e), fold.initial()),
      revision: events.at(-1)?.revision ?? -1n,
      evolve: fold.evolve as Entry['evolve'],
    };
    // Held only if the follower passed nothing the read missed (see the class comment).
    if (passed <= entry.revision) this.hold(streamId, entry);
    return entry;
  }

  private hold(streamId: string, entry: Entry): void {
    if (entry.revision < 0n) {
      if (this.emptyHeld >= MAX_EMPTY) {
        for (const [id, e] of this.held) if (e.revision < 0n) this.held.delete(id);
        this.emptyHeld = 0;
      }
      this.emptyHeld++;
    }
    this.held.set(streamId, entry);
  }
}
