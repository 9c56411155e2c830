import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLogPosition, recordedAtOf, type EventStore, type LogPosition, type RecordedEvent } from '@itsm/event-store';
import type { SqliteReadStore } from '@itsm/store-adapters';

/**
 * What a snapshot says it holds: the read models of one projection version up to an event of the
 * log, named by its stream, revision and id so a snapshot is checked against the log it is used
 * with (a log restored or imported elsewhere has other events at those positions).
 */
export interface SnapshotMark {
  version: number;
  position: string;
  streamId: string;
  revision: string;
  eventId: string;
  /** When the system recorded that event: a replay's "now". */
  recordedAt: string;
}

/** The table, inside a snapshot's SQLite image (beside the read store's own), that holds its mark. */
const MARK_TABLE = 'replay_snapshot_mark';

export interface StoredSnapshot {
  position: LogPosition;
  file: string;
}

/**
 * Images of the report read models at positions of the log (SQLite files), so a replay starts from
 * the latest one at or before the position asked for and applies only the tail. A cache, never a
 * record: a file of another projection version is never used (its name says the version), one whose
 * mark does not match the log is deleted, and any may be deleted at will: replays then rebuild it.
 * Files are written whole under a temporary name, then renamed: a crash leaves no half snapshot.
 */
export class ReplaySnapshots {
  constructor(
    readonly dir: string,
    private readonly version: number,
    /** At most this many are kept; the oldest positions go first (the latest serve the most). */
    private readonly keep = 24,
  ) {}

  private get prefix(): string {
    return `reports-v${this.version}-`;
  }

  fileFor(position: LogPosition): string {
    return join(this.dir, `${this.prefix}${position.toString()}.sqlite`);
  }

  /** This version's snapshots, by position. */
  list(): StoredSnapshot[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: StoredSnapshot[] = [];
    for (const name of names) {
      if (!name.startsWith(this.prefix) || !name.endsWith('.sqlite')) continue;
      const position = parseLogPosition(name.slice(this.prefix.length, -'.sqlite'.length));
      if (position !== undefined) out.push({ position, file: join(this.dir, name) });
    }
    return out.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  }

  /** The latest snapshot at or before a position (undefined: none; then the log is replayed from its start). */
  latestAtOrBefore(position: LogPosition): StoredSnapshot | undefined {
    return this.list()
      .filter((s) => s.position <= position)
      .pop();
  }

  /**
   * The mark of a snapshot opened as a read store, if it is this version's and names the event the
   * log holds at its position. A snapshot that is not is deleted (rebuilt from the log when next needed).
   */
  async verify(snapshot: StoredSnapshot, reads: SqliteReadStore, events: EventStore): Promise<SnapshotMark | undefined> {
    let mark: SnapshotMark | undefined;
    try {
      const row = reads.database.prepare(`SELECT mark FROM ${MARK_TABLE}`).get() as { mark: string } | undefined;
      mark = row ? (JSON.parse(row.mark) as SnapshotMark) : undefined;
    } catch {
      mark = undefined;
    }
    let ok = mark !== undefined && mark.version === this.version && mark.position === snapshot.position.toString();
    if (ok) {
      ok = false;
      try {
        for await (const e of events.readStream(mark!.streamId, { fromRevision: BigInt(mark!.revision), maxCount: 1 }))
          ok = e.id === mark!.eventId && e.position === snapshot.position;
      } catch {
        ok = false; // no such stream in this log
      }
    }
    if (!ok) rmSync(snapshot.file, { force: true });
    return ok ? mark : undefined;
  }

  /**
   * Stores a read store as a snapshot after `last` (its whole SQLite image with the mark inside),
   * then keeps only the latest `keep`. The caller hands a store that does not move meanwhile.
   */
  take(reads: SqliteReadStore, last: RecordedEvent): void {
    const mark: SnapshotMark = {
      version: this.version,
      position: last.position.toString(),
      streamId: last.streamId,
      revision: last.revision.toString(),
      eventId: last.id,
      recordedAt: recordedAtOf(last).toISOString(),
    };
    const db = reads.database;
    db.exec(`CREATE TABLE IF NOT EXISTS ${MARK_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1), mark TEXT NOT NULL)`);
    db.prepare(`INSERT INTO ${MARK_TABLE} (id, mark) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET mark = excluded.mark`).run(JSON.stringify(mark));
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = this.fileFor(last.position);
    const partial = `${file}.${randomUUID()}.partial`;
    // Only this user can read it: the read models are every tenant's figures.
    writeFileSync(partial, reads.serialize(), { mode: 0o600 });
    renameSync(partial, file);
    const all = this.list();
    for (const old of all.slice(0, Math.max(0, all.length - this.keep))) rmSync(old.file, { force: true });
  }
}
