import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  asLogPosition,
  EventIdConflictError,
  InvalidAppendError,
  InvalidPositionError,
  serialiseAppend,
  StreamNotFoundError,
  type AllSubscription,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type LogPosition,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SerialisedEvent,
  type SubscribeToAllOptions,
} from '@itsm/event-store';
import { checkAppend, type RecordedPlace, type StreamView } from './check-append';
import { migrateEventStoreSchema } from './migrate-event-store-schema';
import { eventsOfPages } from './events-of-pages';
import { PollingSubscription } from './polling-subscription';
import { EVENT_COLUMNS, toRecorded, type EventRow } from './recorded-event-row';

interface PendingAppend {
  streamId: string;
  events: SerialisedEvent[];
  expected: ExpectedRevision;
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
}

type Outcome = { ok: AppendResult } | { error: unknown };

/** An append whose own write failed inside a group's transaction: the group is rolled back and redone without it. */
class FailedWrite extends Error {
  constructor(
    readonly index: number,
    readonly error: unknown,
  ) {
    super(`append ${index} of the group failed to write`);
  }
}

export interface SqliteEventStoreOptions {
  /** File path, or ':memory:' for tests. */
  filename: string;
  /** How often a subscription looks for appends made by another process (ms). */
  pollIntervalMs?: number;
  /** Clock for recordedAt; injected so tests can pin it. */
  now?: () => Date;
  /**
   * 'dense' (default): positions are row numbers 1, 2, 3... 'sparse': server-shaped, as KurrentDB's
   * byte offsets: increasing with gaps (each event advances the log by its stored size), so code
   * that computes with positions breaks here as it would on the server. Reads from a position that
   * is not an event's fail in both modes. Unset, it follows ITSM_SQLITE_POSITIONS, so that every
   * suite can be run server-shaped.
   */
  positions?: SqlitePositions;
}

export type SqlitePositions = 'dense' | 'sparse';

/** What a log record costs beyond its payload in sparse mode (a header, as in a log file). */
const RECORD_HEADER_BYTES = 88;

const PAGE = 500;

/**
 * The embedded default store. Durable: WAL with synchronous=FULL, so a resolved append survives
 * a power cut. Fast: group commit. Appends queue while the store is busy (a commit blocks this
 * thread until its fsync returns, and requests keep arriving meanwhile); everything queued is
 * committed in the next transaction, one fsync for all. Each append is checked against its stream
 * as the appends before it in the group left it, and answered alone: a refused one writes nothing
 * and takes no other down.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly pollIntervalMs: number;
  readonly positions: SqlitePositions;
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  private readonly appendListeners = new Set<() => void>();
  private readonly subscriptions = new Set<PollingSubscription>();
  private closed = false;

  private readonly stmt: {
    currentRevision: Database.Statement<[string], { revision: number } | undefined>;
    at: Database.Statement<[string, number], { id: string; position: bigint } | undefined>;
    revisionOf: Database.Statement<[string, string], { revision: number } | undefined>;
    insert: Database.Statement<unknown[]>;
    streamForward: Database.Statement<[string, bigint, number], EventRow>;
    streamBackward: Database.Statement<[string, bigint, number], EventRow>;
    allFrom: Database.Statement<[bigint, number], EventRow>;
    head: Database.Statement<[], { position: bigint | null }>;
    restore: Database.Statement<unknown[]>;
    isPosition: Database.Statement<[bigint], { one: number } | undefined>;
    countAfter: Database.Statement<[bigint, number], { n: number }>;
  };

  constructor(options: SqliteEventStoreOptions) {
    if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
    this.db = new Database(options.filename);
    this.db.defaultSafeIntegers(true);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    try {
      migrateEventStoreSchema(this.db);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.now = options.now ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    // Applications pass the validated configuration; suites that open stores directly follow the environment.
    this.positions = options.positions ?? (process.env.ITSM_SQLITE_POSITIONS === 'sparse' ? 'sparse' : 'dense');
    // Revisions, counts and the positions of read rows come back as numbers (exact: see toRecorded).
    const numbers = <T extends Database.Statement<never[]>>(statement: T): T => statement.safeIntegers(false);
    this.stmt = {
      currentRevision: numbers(this.db.prepare('SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1')),
      at: this.db.prepare('SELECT id, position FROM events WHERE stream_id = ? AND revision = ?'),
      // No index on ids: the stream's rows are scanned, only for 'any' and 'stream_exists' appends.
      revisionOf: numbers(this.db.prepare('SELECT revision FROM events WHERE stream_id = ? AND id = ?')),
      insert: this.db.prepare('INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      streamForward: numbers(this.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`)),
      streamBackward: numbers(this.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`)),
      allFrom: numbers(this.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position >= ? ORDER BY position ASC LIMIT ?`)),
      head: this.db.prepare('SELECT max(position) AS position FROM events'),
      restore: this.db.prepare('INSERT INTO events (position, id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      isPosition: numbers(this.db.prepare('SELECT 1 AS one FROM events WHERE position = ?')),
      countAfter: numbers(this.db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE position > ? LIMIT ?)')),
    };
  }

  append(streamId: string, events: EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    let serialised: SerialisedEvent[];
    try {
      this.assertOpen();
      serialised = serialiseAppend(streamId, events, options?.expectedRevision);
    } catch (e) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what the checks threw, unchanged
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ streamId, events: serialised, expected: options.expectedRevision, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // After the I/O phase: the appends of requests that arrived meanwhile join this group.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits every append queued so far in one transaction: one fsync for all of them. */
  private flush(): void {
    this.flushScheduled = false;
    let group = this.pending;
    this.pending = [];
    while (group.length > 0) {
      let outcomes: Outcome[];
      try {
        outcomes = this.commitGroup(group);
      } catch (error) {
        if (error instanceof FailedWrite) {
          // One append's write failed (not a check: those write nothing): it alone is refused, the rest go again.
          group[error.index]?.reject(error.error);
          group = group.filter((_, i) => i !== error.index);
          continue;
        }
        // The transaction itself failed (lock, disk): nothing of this group was written.
        group.forEach((p) => p.reject(error));
        return;
      }
      group.forEach((p, i) => {
        const o = outcomes[i];
        if (o === undefined) p.reject(new Error(`append to ${p.streamId} has no outcome`));
        else if ('ok' in o) p.resolve(o.ok);
        else p.reject(o.error);
      });
      this.appendListeners.forEach((l) => l());
      return;
    }
  }

  /**
   * One IMMEDIATE transaction for the group: the write lock is taken at BEGIN, waiting
   * (busy_timeout) for another process's commit, so every check below reads the stream as it is.
   */
  private commitGroup(group: PendingAppend[]): Outcome[] {
    return this.db
      .transaction(() => {
        const revisions = new Map<string, number>(); // each stream as the group's earlier appends left it
        let head = this.positions === 'sparse' ? Number(this.stmt.head.get()?.position ?? 0n) : 0;
        const recordedAt = this.now().toISOString();
        return group.map((p, index): Outcome => {
          let current = revisions.get(p.streamId);
          if (current === undefined) current = this.stmt.currentRevision.get(p.streamId)?.revision ?? -1;
          let decision;
          try {
            decision = checkAppend(
              this.streamView(p.streamId, current),
              p.events.map((e) => e.id),
              p.expected,
            );
          } catch (error) {
            return { error };
          }
          if (!decision.write) return { ok: { nextRevision: BigInt(decision.nextRevision), position: asLogPosition(decision.position) } };
          try {
            let revision = current;
            let position: bigint | number = 0;
            for (const e of p.events) {
              revision++;
              if (this.positions === 'sparse') {
                // A log offset: the previous record's end plus this record's header and payload.
                head += RECORD_HEADER_BYTES + Buffer.byteLength(p.streamId) + e.type.length + Buffer.byteLength(e.data) + Buffer.byteLength(e.metadata);
                this.stmt.restore.run(head, e.id, p.streamId, revision, e.type, e.data, e.metadata, recordedAt);
                position = head;
              } else {
                position = this.stmt.insert.run(e.id, p.streamId, revision, e.type, e.data, e.metadata, recordedAt).lastInsertRowid;
              }
            }
            revisions.set(p.streamId, revision);
            return { ok: { nextRevision: BigInt(revision), position: asLogPosition(BigInt(position)) } };
          } catch (error) {
            throw new FailedWrite(index, error); // rolls the whole group back: nothing half-written stays
          }
        });
      })
      .immediate();
  }

  private streamView(streamId: string, current: number): StreamView {
    return {
      streamId,
      current,
      at: (revision): RecordedPlace | undefined => this.stmt.at.get(streamId, revision),
      revisionOf: (eventId) => this.stmt.revisionOf.get(streamId, eventId)?.revision,
    };
  }

  async *readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    this.assertOpen();
    const backwards = options.direction === 'backwards';
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let next = options.fromRevision ?? (backwards ? BigInt(Number.MAX_SAFE_INTEGER) : 0n);
    if (!this.stmt.currentRevision.get(streamId)) throw new StreamNotFoundError(streamId);
    let yielded = 0;
    while (yielded < max) {
      const limit = Math.min(PAGE, max - yielded);
      const rows = (backwards ? this.stmt.streamBackward : this.stmt.streamForward).all(streamId, next, limit);
      for (const row of rows) yield toRecorded(row);
      yielded += rows.length;
      if (rows.length < limit) return;
      const lastRow = rows.at(-1);
      if (lastRow === undefined) return;
      const lastRevision = BigInt(lastRow.revision);
      next = backwards ? lastRevision - 1n : lastRevision + 1n;
      if (next < 0n) return;
    }
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let after = options.after;
    let left = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let opened = false;
    return eventsOfPages(() => {
      // Checked when iterated, as a generator would: a closed store refuses, a bad position fails the first next().
      if (!opened) this.assertOpen();
      opened = true;
      if (left <= 0) return [];
      const page = this.readPageAfter(after, Math.min(PAGE, left));
      left -= page.length;
      after = page.at(-1)?.position ?? after;
      return page;
    });
  }

  /**
   * The log in pages, strictly after a position: for consumers that work a page at a time (a
   * rebuild, an export), one await per page rather than one per event.
   */
  async *readAllPages(options: ReadAllOptions & { pageSize?: number } = {}): AsyncIterable<RecordedEvent[]> {
    this.assertOpen();
    const size = options.pageSize ?? PAGE;
    let left = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let after = options.after;
    while (left > 0) {
      const limit = Math.min(size, left);
      const page = this.readPageAfter(after, limit);
      if (page.length > 0) yield page;
      if (page.length < limit) return;
      left -= page.length;
      after = page.at(-1)?.position ?? after;
    }
  }

  /**
   * Reads one page of the log strictly after a position (undefined: from the start): the building
   * block of reads and subscriptions. As on the server, a position that is no event's is refused.
   */
  readPageAfter(after: LogPosition | undefined, limit: number): RecordedEvent[] {
    this.assertOpen();
    if (after === undefined) return this.stmt.allFrom.all(0n, limit).map(toRecorded);
    if (!this.stmt.isPosition.get(after)) throw new InvalidPositionError(after.toString());
    // Inside the adapter a position is a row key: the next row is the first one above it.
    return this.stmt.allFrom.all(after + 1n, limit).map(toRecorded);
  }

  async countEventsAfter(after?: LogPosition, max = Number.MAX_SAFE_INTEGER): Promise<number> {
    this.assertOpen();
    return this.stmt.countAfter.get(after ?? -1n, max)?.n ?? 0;
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): AllSubscription {
    this.assertOpen();
    const sub = new PollingSubscription({
      after: options.after,
      readPage: (after) => this.readPageAfter(after, PAGE),
      onAppend: (wake) => {
        this.appendListeners.add(wake);
        return () => this.appendListeners.delete(wake);
      },
      pollIntervalMs: this.pollIntervalMs,
      onClose: () => this.subscriptions.delete(sub),
    });
    this.subscriptions.add(sub);
    return sub;
  }

  async headPosition(): Promise<LogPosition | undefined> {
    this.assertOpen();
    const row = this.stmt.head.get();
    return row?.position == null ? undefined : asLogPosition(BigInt(row.position));
  }

  async ping(): Promise<boolean> {
    if (this.closed) return false;
    try {
      this.db.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Writes already-recorded events exactly as they were (position, revision, recordedAt): how an
   * export is imported so that everything built from it is identical. Each event must extend its
   * stream by one and lie after the head; one already here at its place, identical, is skipped, so
   * an interrupted import can be run again.
   */
  async restore(events: RecordedEvent[]): Promise<{ written: number; skipped: number }> {
    this.assertOpen();
    let written = 0;
    let skipped = 0;
    this.db
      .transaction(() => {
        for (const e of events) {
          const existing = this.stmt.at.get(e.streamId, Number(e.revision));
          if (existing?.id === e.id && existing.position === e.position) {
            skipped++;
            continue;
          }
          if (existing) throw new EventIdConflictError(e.streamId, e.id);
          if (e.position > BigInt(Number.MAX_SAFE_INTEGER))
            throw new InvalidAppendError('position', `event ${e.id} at position ${e.position} must be at most 2^53 - 1`);
          const head = this.stmt.head.get()?.position;
          if (head != null && BigInt(head) >= e.position)
            throw new InvalidAppendError('position', `event ${e.id} at position ${e.position} must lie after the head (${head})`);
          const next = (this.stmt.currentRevision.get(e.streamId)?.revision ?? -1) + 1;
          if (e.revision !== BigInt(next)) {
            throw new InvalidAppendError(
              'revision',
              `event ${e.id} is revision ${e.revision} of ${e.streamId}, which holds ${next} event(s) here: streams must be restored whole, from revision 0`,
            );
          }
          this.stmt.restore.run(
            e.position,
            e.id,
            e.streamId,
            e.revision,
            e.type,
            JSON.stringify(e.data),
            JSON.stringify(e.metadata),
            e.recordedAt.toISOString(),
          );
          written++;
        }
      })
      .immediate();
    if (written) this.appendListeners.forEach((l) => l());
    return { written, skipped };
  }

  /** The raw database: for audit tools and benchmarks that must look under the port. */
  get database(): Database.Database {
    return this.db;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    if (this.flushScheduled || this.pending.length) this.flush();
    this.closed = true;
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event store is closed');
  }
}
