import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { EventIdConflictError, InvalidAppendError, InvalidPositionError, StreamNotFoundError, WrongExpectedVersionError } from '../event-store.errors';
import { asLogPosition, type LogPosition } from '../log-position';
import type {
  AllSubscription,
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeToAllOptions,
} from '../event-store.port';
import { expectationHolds, validateAppend } from '../validate-append';
import { EVENT_STORE_SCHEMA } from './sqlite-event-store.schema';
import { PollingSubscription } from './polling-subscription';

interface EventRow {
  position: number | bigint;
  id: string;
  stream_id: string;
  revision: number | bigint;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

interface PendingAppend {
  streamId: string;
  events: EventToAppend[];
  expected: ExpectedRevision;
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
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
 * a power cut. Fast: appends that arrive in the same tick are committed in one transaction
 * (group commit), each inside its own savepoint so one failing append never affects another.
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
    currentRevision: Database.Statement<[string], { revision: number | bigint } | undefined>;
    byId: Database.Statement<[string], EventRow | undefined>;
    insert: Database.Statement<unknown[]>;
    streamForward: Database.Statement<[string, bigint, number], EventRow>;
    streamBackward: Database.Statement<[string, bigint, number], EventRow>;
    allFrom: Database.Statement<[bigint, number], EventRow>;
    head: Database.Statement<[], { position: number | bigint | null }>;
    restore: Database.Statement<unknown[]>;
    isPosition: Database.Statement<[bigint], { one: number | bigint } | undefined>;
    countAfter: Database.Statement<[bigint, number], { n: number | bigint }>;
  };

  constructor(options: SqliteEventStoreOptions) {
    if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
    this.db = new Database(options.filename);
    this.db.defaultSafeIntegers(true);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(EVENT_STORE_SCHEMA);
    this.now = options.now ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    // Applications pass the validated configuration; suites that open stores directly follow the environment.
    this.positions = options.positions ?? (process.env.ITSM_SQLITE_POSITIONS === 'sparse' ? 'sparse' : 'dense');
    const cols = 'position, id, stream_id, revision, type, data, metadata, recorded_at';
    this.stmt = {
      currentRevision: this.db.prepare('SELECT max(revision) AS revision FROM events WHERE stream_id = ? HAVING count(*) > 0'),
      byId: this.db.prepare(`SELECT ${cols} FROM events WHERE id = ?`),
      insert: this.db.prepare(
        'INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      streamForward: this.db.prepare(
        `SELECT ${cols} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
      ),
      streamBackward: this.db.prepare(
        `SELECT ${cols} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
      ),
      allFrom: this.db.prepare(`SELECT ${cols} FROM events WHERE position >= ? ORDER BY position ASC LIMIT ?`),
      head: this.db.prepare('SELECT max(position) AS position FROM events'),
      restore: this.db.prepare(
        'INSERT INTO events (position, id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      isPosition: this.db.prepare('SELECT 1 AS one FROM events WHERE position = ?'),
      countAfter: this.db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE position > ? LIMIT ?)'),
    };
  }

  append(streamId: string, events: EventToAppend[], options: AppendOptions): Promise<AppendResult> {
    try {
      this.assertOpen();
      validateAppend(streamId, events, options?.expectedRevision);
    } catch (e) {
      return Promise.reject(e);
    }
    // Copy the caller's objects now: what is acknowledged is what was asked, whatever the caller mutates later.
    const copy = events.map((e) => ({ id: e.id.toLowerCase(), type: e.type, data: e.data, metadata: e.metadata ?? {} }));
    return new Promise((resolve, reject) => {
      this.pending.push({ streamId, events: copy, expected: options.expectedRevision, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits every append queued so far in one transaction: one fsync for all of them. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const outcomes: Array<{ ok: AppendResult } | { error: unknown }> = [];
    const appendOne = this.db.transaction((p: PendingAppend) => this.appendNow(p.streamId, p.events, p.expected));
    try {
      // IMMEDIATE: take the write lock at BEGIN, waiting (busy_timeout) for another process's
      // commit. A deferred transaction that upgrades from reading fails at once with BUSY instead.
      this.db.transaction(() => {
        for (const p of batch) {
          try {
            outcomes.push({ ok: appendOne(p) }); // nested: a savepoint per append
          } catch (error) {
            outcomes.push({ error });
          }
        }
      }).immediate();
    } catch (error) {
      // The commit itself failed: nothing of this batch was written.
      batch.forEach((p) => p.reject(error));
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i];
      if ('ok' in o) p.resolve(o.ok);
      else p.reject(o.error);
    });
    this.appendListeners.forEach((l) => l());
  }

  private appendNow(streamId: string, events: EventToAppend[], expected: ExpectedRevision): AppendResult {
    const row = this.stmt.currentRevision.get(streamId);
    const actual = row ? BigInt(row.revision) : ('no_stream' as const);
    const retried = this.retriedAppend(streamId, events, expected, actual);
    if (retried) return retried;
    if (!expectationHolds(expected, actual)) throw new WrongExpectedVersionError(streamId, expected, actual);
    let revision = actual === 'no_stream' ? -1n : actual;
    let position = 0n;
    const recordedAt = this.now().toISOString();
    const sparse = this.positions === 'sparse';
    let head = sparse ? BigInt(this.stmt.head.get()?.position ?? 0n) : 0n;
    for (const e of events) {
      revision += 1n;
      const data = JSON.stringify(e.data);
      const metadata = JSON.stringify(e.metadata ?? {});
      if (sparse) {
        // A log offset: the previous record's end plus this record's header and payload.
        head += BigInt(RECORD_HEADER_BYTES + Buffer.byteLength(streamId) + Buffer.byteLength(e.type) + Buffer.byteLength(data) + Buffer.byteLength(metadata));
        this.stmt.restore.run(head, e.id, streamId, revision, e.type, data, metadata, recordedAt);
        position = head;
      } else {
        position = BigInt(this.stmt.insert.run(e.id, streamId, revision, e.type, data, metadata, recordedAt).lastInsertRowid);
      }
    }
    return { nextRevision: revision, position: asLogPosition(position) };
  }

  /**
   * EventStoreDB's idempotence: the same event ids appended again at the same place in the same
   * stream write nothing and answer as the first append did. Ids reused anywhere else are refused.
   */
  private retriedAppend(
    streamId: string,
    events: EventToAppend[],
    expected: ExpectedRevision,
    actual: 'no_stream' | bigint,
  ): AppendResult | undefined {
    const first = this.stmt.byId.get(events[0].id);
    if (!first) {
      for (const e of events.slice(1)) if (this.stmt.byId.get(e.id)) throw new EventIdConflictError(streamId, e.id);
      return undefined;
    }
    const start = BigInt(first.revision);
    let last = first;
    for (let i = 0; i < events.length; i++) {
      const row = i === 0 ? first : this.stmt.byId.get(events[i].id);
      if (!row || row.stream_id !== streamId || BigInt(row.revision) !== start + BigInt(i)) {
        throw new EventIdConflictError(streamId, events[i].id);
      }
      last = row;
    }
    const before = start === 0n ? ('no_stream' as const) : start - 1n;
    const sameExpectation = expected === 'any' || expected === 'stream_exists' || expected === before;
    if (!sameExpectation) throw new WrongExpectedVersionError(streamId, expected, actual);
    return { nextRevision: BigInt(last.revision), position: asLogPosition(BigInt(last.position)) };
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
      const lastRevision = BigInt(rows[rows.length - 1].revision);
      next = backwards ? lastRevision - 1n : lastRevision + 1n;
      if (next < 0n) return;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    this.assertOpen();
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    let after = options.after;
    let yielded = 0;
    while (yielded < max) {
      const limit = Math.min(PAGE, max - yielded);
      const rows = this.readPageAfter(after, limit);
      for (const row of rows) yield row;
      yielded += rows.length;
      if (rows.length < limit) return;
      after = rows[rows.length - 1].position;
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
    return Number(this.stmt.countAfter.get(after ?? -1n, max)?.n ?? 0);
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
   * stream by one and lie after the head; one already here, identical, is skipped, so an
   * interrupted import can be run again.
   */
  async restore(events: RecordedEvent[]): Promise<{ written: number; skipped: number }> {
    this.assertOpen();
    let written = 0;
    let skipped = 0;
    this.db.transaction(() => {
      for (const e of events) {
        const existing = this.stmt.byId.get(e.id);
        if (existing) {
          if (BigInt(existing.position) !== e.position || existing.stream_id !== e.streamId || BigInt(existing.revision) !== e.revision) {
            throw new EventIdConflictError(e.streamId, e.id);
          }
          skipped++;
          continue;
        }
        const head = this.stmt.head.get()?.position;
        if (head != null && BigInt(head) >= e.position) throw new InvalidAppendError('position', `event ${e.id} at position ${e.position} must lie after the head (${head})`);
        const row = this.stmt.currentRevision.get(e.streamId);
        const next = row ? BigInt(row.revision) + 1n : 0n;
        if (e.revision !== next) {
          throw new InvalidAppendError('revision', `event ${e.id} is revision ${e.revision} of ${e.streamId}, which holds ${next} event(s) here: streams must be restored whole, from revision 0`);
        }
        this.stmt.restore.run(e.position, e.id, e.streamId, e.revision, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), e.recordedAt.toISOString());
        written++;
      }
    }).immediate();
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

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: asLogPosition(BigInt(row.position)),
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: new Date(row.recorded_at),
  };
}
