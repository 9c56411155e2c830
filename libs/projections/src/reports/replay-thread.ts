import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EventStore } from '@itsm/event-store';
import { asSqliteEventStore, type EventStoreConfig, type SqlitePositions } from '@itsm/store-adapters';

/**
 * How a replay worker opens the log on its own connection: the configuration the process opened
 * it with (as createEventStore takes it), or the embedded store's file.
 */
export type ReplayLogSource = { config: EventStoreConfig } | { sqliteFile: string; positions: SqlitePositions };

/** Asked of a worker: the read models up to a position (null: before the first event), written to a new file. */
export interface ReplayRequest {
  position: string | null;
  file: string;
  /** Where snapshots are kept (see ReplaySnapshots): one is taken every `every` events applied, at most `keep` kept. */
  snapshots?: { dir: string; every: number; keep: number };
}

/** What a worker answers. */
export type ReplayWorkerMessage =
  | { kind: 'ready' }
  | { kind: 'built'; position: string | null; recordedAt: string; from: string | null; snapshotsTaken: number }
  | { kind: 'failed'; name: string; message: string; stack?: string };

export interface BuiltReplay {
  /** The last event applied. */
  position: string | null;
  recordedAt: Date;
  /** The snapshot it started from (null: the log's start). */
  from: string | null;
  snapshotsTaken: number;
}

/** A worker's V8 heap: a replay that needs more fails alone instead of taking the API down with it. */
const WORKER_HEAP_MB = 512;

/**
 * Where a worker can open the log from: the configuration given, else a file-backed embedded
 * store's own file. Otherwise (an in-memory log, a KurrentDB store whose configuration was not
 * given) a sentence saying why no worker can read it.
 */
export function replayLogSource(events: EventStore, config?: EventStoreConfig): ReplayLogSource | string {
  if (config)
    return { config: { kurrentDbConnectionString: config.kurrentDbConnectionString, dataDir: config.dataDir, sqlitePositions: config.sqlitePositions } };
  const embedded = asSqliteEventStore(events);
  if (embedded) {
    if (embedded.database.memory) return 'the embedded log is in memory, where no other thread can read it';
    return { sqliteFile: resolve(embedded.database.name), positions: embedded.positions };
  }
  return `a worker opens a ${events.kind} log from its configuration, and none was given (ReportReplays option "log")`;
}

/**
 * The worker's code. Built (dist/), the compiled replay-worker.js beside this file. Run from
 * TypeScript (jest, which transpiles with @swc/jest), a worker cannot load .ts by itself: it is
 * started with a small loader that transpiles each .ts file it requires with @swc/core, as jest
 * does, and maps the @itsm/* libraries to their sources, as tsconfig's paths do.
 */
function workerScript(): { filename: string; eval: boolean } {
  if (!__filename.endsWith('.ts')) return { filename: join(__dirname, 'replay-worker.js'), eval: false };
  const root = resolve(__dirname, '..', '..', '..', '..');
  const loader = `
    const Module = require('node:module');
    const { readFileSync } = require('node:fs');
    const { join } = require('node:path');
    const { transformSync } = require(${JSON.stringify(require.resolve('@swc/core'))});
    const root = ${JSON.stringify(root)};
    const resolveFilename = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      const lib = /^@itsm\\/([a-z-]+)$/.exec(request);
      return resolveFilename.call(this, lib ? join(root, 'libs', lib[1], 'src') : request, ...rest);
    };
    Module._extensions['.ts'] = (module, filename) => {
      const { code } = transformSync(readFileSync(filename, 'utf8'), {
        filename,
        sourceMaps: 'inline',
        jsc: { target: 'es2022', parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true } },
        module: { type: 'commonjs' },
      });
      module._compile(code, filename);
    };
    require(${JSON.stringify(join(__dirname, 'replay-worker.ts'))});
  `;
  return { filename: loader, eval: true };
}

/**
 * One worker thread that builds replays, one at a time, on its own connection to the log. It holds
 * the process open only while it builds.
 */
export class ReplayThread {
  private job: { resolve: (built: BuiltReplay) => void; reject: (error: Error) => void } | undefined;
  private exited = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: ReplayWorkerMessage) => this.answer(m));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      this.exited = true;
      this.fail(new Error(`The replay worker stopped (exit code ${code})`));
    });
  }

  /** Starts a worker; resolves once it has loaded its code and opened the log, rejects if it cannot. */
  static start(source: ReplayLogSource): Promise<ReplayThread> {
    return new Promise((resolveStarted, rejectStarted) => {
      let worker: Worker;
      try {
        const script = workerScript();
        worker = new Worker(script.filename, { eval: script.eval, workerData: { source }, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
      } catch (error) {
        rejectStarted(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      const failed = (error: Error) => {
        worker.off('message', ready);
        worker.off('exit', exited);
        void worker.terminate();
        rejectStarted(error);
      };
      const exited = (code: number) => failed(new Error(`The replay worker stopped before it was ready (exit code ${code})`));
      const ready = (m: ReplayWorkerMessage) => {
        if (m.kind !== 'ready') return;
        worker.off('error', failed);
        worker.off('exit', exited);
        worker.off('message', ready);
        const thread = new ReplayThread(worker);
        worker.unref();
        resolveStarted(thread);
      };
      worker.on('message', ready);
      worker.once('error', failed);
      worker.once('exit', exited);
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Replays the log up to a position in the worker, into a new SQLite file (which the caller then owns). */
  build(position: string | null, file: string, snapshots?: ReplayRequest['snapshots']): Promise<BuiltReplay> {
    if (this.job) return Promise.reject(new Error('A replay worker builds one replay at a time'));
    if (this.exited) return Promise.reject(new Error('The replay worker has stopped'));
    return new Promise<BuiltReplay>((resolveBuilt, rejectBuilt) => {
      this.job = { resolve: resolveBuilt, reject: rejectBuilt };
      this.worker.ref(); // a replay someone awaits keeps the process alive
      this.worker.postMessage({ position, file, snapshots } satisfies ReplayRequest);
    });
  }

  async terminate(): Promise<void> {
    this.exited = true;
    await this.worker.terminate();
  }

  private answer(m: ReplayWorkerMessage): void {
    const job = this.settle();
    if (!job) return;
    if (m.kind === 'built') job.resolve({ position: m.position, recordedAt: new Date(m.recordedAt), from: m.from, snapshotsTaken: m.snapshotsTaken });
    else if (m.kind === 'failed') job.reject(Object.assign(new Error(m.message), { name: m.name, stack: m.stack }));
  }

  private fail(error: Error): void {
    this.settle()?.reject(error);
  }

  private settle() {
    const job = this.job;
    this.job = undefined;
    if (!this.exited) this.worker.unref();
    return job;
  }
}
