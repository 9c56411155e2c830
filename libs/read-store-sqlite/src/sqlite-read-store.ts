import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  CheckpointConflictError,
  COLLECTION_NAME,
  decodeCursor,
  encodeCursor,
  FIELD_NAME,
  fieldValue,
  ReadStoreQueryError,
  type Checkpoint,
  type DocumentWrite,
  type Filter,
  type FindOptions,
  type Page,
  type ReadStore,
  type Scalar,
} from '@itsm/read-store';

/**
 * The embedded read store: one table per collection (id, JSON doc) with an expression index per
 * declared field, and a checkpoints table written in the same transaction as a batch.
 */
export class SqliteReadStore implements ReadStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly indexed = new Map<string, Set<string>>();
  private readonly statements = new Map<string, Database.Statement>();

  /**
   * A file, or ':memory:' for a private in-memory store. Read-only: an existing file (e.g. one
   * written from another store's serialize()) is opened without writing anything to it, its pages
   * mapped into memory rather than copied into SQLite's cache; every write fails (SQLITE_READONLY).
   * A Buffer: an image from serialize(), opened as an in-memory copy that may be written.
   */
  constructor(filename: string | Buffer, options: { readonly?: boolean } = {}) {
    if (Buffer.isBuffer(filename)) {
      // An image (serialize()) opened as a private in-memory store: a copy, writable, as ':memory:'.
      this.db = new Database(filename);
      this.db.pragma('busy_timeout = 5000');
    } else if (options.readonly) {
      this.db = new Database(filename, { readonly: true, fileMustExist: true });
      this.db.pragma(`mmap_size = ${READONLY_MMAP_BYTES}`);
    } else {
      if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
      this.db = new Database(filename);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL'); // read models are disposable: rebuilt from the log if lost
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(`CREATE TABLE IF NOT EXISTS rs_checkpoints (name TEXT PRIMARY KEY, version INTEGER NOT NULL, position TEXT);
                    CREATE TABLE IF NOT EXISTS rs_collections (name TEXT PRIMARY KEY, fields TEXT NOT NULL);`);
    }
    this.loadDeclared();
  }

  /**
   * The whole store as one image (SQLite's serialization): written to a file, it is a store that
   * `new SqliteReadStore(file, { readonly: true })` opens, in this thread or another.
   */
  serialize(): Buffer {
    return this.db.serialize();
  }

  /** What is declared in the file, by this connection or another process's (a projector beside the API). */
  private loadDeclared(): void {
    for (const row of this.db.prepare('SELECT name, fields FROM rs_collections').all() as Array<{ name: string; fields: string }>) {
      this.indexed.set(row.name, new Set(JSON.parse(row.fields) as string[]));
    }
  }

  async declareCollection(name: string, indexedFields: string[], compoundIndexes: string[][] = []): Promise<void> {
    if (!COLLECTION_NAME.test(name)) throw new ReadStoreQueryError('collection', `collection name ${name} must match ${COLLECTION_NAME}`);
    for (const f of indexedFields) if (!FIELD_NAME.test(f)) throw new ReadStoreQueryError('field', `field name ${f} must match ${FIELD_NAME}`);
    for (const c of compoundIndexes) {
      const unknown = c.filter((f) => !indexedFields.includes(f));
      if (c.length < 2 || unknown.length)
        throw new ReadStoreQueryError('compoundIndexes', `a compound index of ${name} needs two or more of its indexed fields (${c.join(', ')})`);
    }
    const table = this.table(name);
    const expr = (f: string) => `json_extract(doc, '$.${f}')`;
    this.db.transaction(() => {
      this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`);
      for (const f of indexedFields) this.db.exec(`CREATE INDEX IF NOT EXISTS ${table}_${f} ON ${table} (${expr(f)}, id)`);
      for (const c of compoundIndexes) this.db.exec(`CREATE INDEX IF NOT EXISTS ${table}__${c.join('__')} ON ${table} (${c.map(expr).join(', ')}, id)`);
      const fields = [...new Set([...(this.indexed.get(name) ?? []), ...indexedFields])];
      this.db
        .prepare('INSERT INTO rs_collections (name, fields) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET fields = excluded.fields')
        .run(name, JSON.stringify(fields));
      this.indexed.set(name, new Set(fields));
    })();
  }

  async suspendIndexes(name: string, keep: string[]): Promise<void> {
    const table = this.known(name);
    const kept = new Set(keep.map((f) => `${table}_${f}`));
    const indexes = this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").all(table) as Array<{
      name: string;
    }>;
    this.statements.clear();
    for (const { name: index } of indexes) if (!kept.has(index)) this.db.exec(`DROP INDEX IF EXISTS ${index}`);
  }

  async dropCollection(name: string): Promise<void> {
    if (!this.indexed.has(name)) return;
    this.statements.clear();
    this.db.exec(`DROP TABLE IF EXISTS ${this.table(name)}`);
    this.db.prepare('DELETE FROM rs_collections WHERE name = ?').run(name);
    this.indexed.delete(name);
  }

  async get<T extends object>(collection: string, id: string): Promise<T | undefined> {
    const row = this.prepare(`SELECT doc FROM ${this.known(collection)} WHERE id = ?`).get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as T) : undefined;
  }

  async find<T extends object>(collection: string, options: FindOptions = {}): Promise<Page<T>> {
    const table = this.known(collection);
    const { where, params } = this.where(collection, options.filter ?? {});
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 10_000);
    const sort = options.sort;
    if (sort) this.assertIndexed(collection, sort.field);
    const key = sort ? `json_extract(doc, '$.${sort.field}')` : 'id';
    const dir = sort?.direction === 'desc' ? 'DESC' : 'ASC';
    if (options.cursor) {
      const [value, id] = decodeCursor(options.cursor);
      const op = dir === 'DESC' ? '<' : '>';
      if (sort) {
        where.push(`(${key} ${op} ? OR (${key} IS ? AND id ${op} ?))`);
        params.push(value, value, id);
      } else {
        where.push(`id ${op} ?`);
        params.push(id);
      }
    }
    const sql = `SELECT id, doc FROM ${table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${sort ? `${key} ${dir}, ` : ''}id ${dir} LIMIT ?`;
    const rows = this.prepare(sql).all(...params.map(bind), limit + 1) as Array<{ id: string; doc: string }>;
    const items = rows.slice(0, limit).map((r) => JSON.parse(r.doc) as T);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return last ? { items, nextCursor: encodeCursor(sort ? fieldValue(JSON.parse(last.doc) as object, sort.field) : null, last.id) } : { items };
  }

  async count(collection: string, filter: Filter = {}): Promise<number> {
    const { where, params } = this.where(collection, filter);
    const row = this.db
      .prepare(`SELECT count(*) AS n FROM ${this.known(collection)} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`)
      .get(...params.map(bind)) as { n: number };
    return row.n;
  }

  async upsert(collection: string, id: string, doc: object): Promise<void> {
    this.write({ collection, id, doc });
  }

  async delete(collection: string, id: string): Promise<void> {
    this.write({ collection, id, doc: null });
  }

  async commitBatch(writes: DocumentWrite[], checkpoint: Checkpoint, expected: string | null): Promise<void> {
    // IMMEDIATE takes the write lock up front, so the compare and the set see no other writer between them.
    this.db
      .transaction(() => {
        const stored =
          (this.db.prepare('SELECT position FROM rs_checkpoints WHERE name = ?').get(checkpoint.name) as { position: string | null } | undefined)?.position ??
          null;
        if (stored !== expected) throw new CheckpointConflictError(checkpoint.name, expected, stored);
        for (const w of writes) this.write(w);
        this.db
          .prepare(
            'INSERT INTO rs_checkpoints (name, version, position) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET version = excluded.version, position = excluded.position',
          )
          .run(checkpoint.name, checkpoint.version, checkpoint.position);
      })
      .immediate();
  }

  async getCheckpoint(name: string): Promise<Checkpoint | undefined> {
    const row = this.db.prepare('SELECT name, version, position FROM rs_checkpoints WHERE name = ?').get(name) as Checkpoint | undefined;
    return row ? { name: row.name, version: row.version, position: row.position } : undefined;
  }

  async listCheckpoints(): Promise<Checkpoint[]> {
    return this.db.prepare('SELECT name, version, position FROM rs_checkpoints ORDER BY name').all() as Checkpoint[];
  }

  async ping(): Promise<boolean> {
    try {
      this.db.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** For fault-injection tests and tools that must look under the port. */
  get database(): Database.Database {
    return this.db;
  }

  private write(w: DocumentWrite): void {
    const table = this.known(w.collection);
    if (w.doc === null) this.prepare(`DELETE FROM ${table} WHERE id = ?`).run(w.id);
    else this.prepare(`INSERT INTO ${table} (id, doc) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc`).run(w.id, JSON.stringify(w.doc));
  }

  /** Statements are prepared once per SQL text: most queries repeat. */
  private prepare(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  private where(collection: string, filter: Filter): { where: string[]; params: Scalar[] } {
    const where: string[] = [];
    const params: Scalar[] = [];
    for (const [field, f] of Object.entries(filter)) {
      this.assertIndexed(collection, field);
      const col = `json_extract(doc, '$.${field}')`;
      if (f !== null && typeof f === 'object' && '$in' in f) {
        if (f.$in.length === 0) where.push('0');
        else {
          where.push(`${col} IN (${f.$in.map(() => '?').join(', ')})`);
          params.push(...f.$in);
        }
      } else if (f !== null && typeof f === 'object') {
        const ops = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' } as const;
        for (const [op, sql] of Object.entries(ops)) {
          const v = (f as Record<string, Scalar | undefined>)[op];
          if (v !== undefined) {
            where.push(`${col} ${sql} ?`);
            params.push(v);
          }
        }
      } else if (f === null) {
        where.push(`${col} IS NULL`);
      } else {
        where.push(`${col} = ?`);
        params.push(f);
      }
    }
    return { where, params };
  }

  private assertIndexed(collection: string, field: string): void {
    if (!this.indexed.get(collection)?.has(field)) throw new ReadStoreQueryError(field, `${field} is not an indexed field of ${collection}`);
  }

  private known(collection: string): string {
    if (!this.indexed.has(collection)) this.loadDeclared();
    if (!this.indexed.has(collection)) throw new ReadStoreQueryError('collection', `collection ${collection} is not declared`);
    return this.table(collection);
  }

  private table(name: string): string {
    return `rm_${name}`;
  }
}

/** How much of a read-only store is mapped into memory (address space; pages load as queries touch them). */
const READONLY_MMAP_BYTES = 1 << 30;

/** SQLite stores JSON booleans as 1/0: bind them the same way. */
const bind = (v: Scalar) => (typeof v === 'boolean' ? (v ? 1 : 0) : v);
