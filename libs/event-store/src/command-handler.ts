import { deterministicUuid } from './deterministic-uuid';
import { StreamNotFoundError, WrongExpectedVersionError } from './event-store.errors';
import { eventHash, GENESIS_HASH, storedHash } from './event-hash';
import type { AppendResult, EventStore, EventToAppend, JsonObject, RecordedEvent } from './event-store.port';

/** Who asked, and why: recorded in every event's metadata. */
export interface CommandMetadata {
  /** The Idempotency-Key (or a fresh uuid): event ids derive from it. */
  commandId: string;
  actor: string;
  tenantId: string;
  correlationId: string;
  causationId: string;
  /** Fingerprint of the request, to tell a true retry from a reused key. */
  requestHash: string;
  /** Where an imported fact came from (file, row, source values), kept with it for auditors. */
  source?: JsonObject;
}

/**
 * Metadata of a command issued by the system itself (timer, loader, importer, audit): its id
 * stands for correlation, causation and, unless given, the request's fingerprint.
 */
export const systemCommand = (commandId: string, actor: string, tenantId: string, requestHash = commandId): CommandMetadata => ({
  commandId,
  actor,
  tenantId,
  correlationId: commandId,
  causationId: commandId,
  requestHash,
});

export interface HandleCommandOptions<S, E extends { type: string; data: object }> {
  streamId: string;
  initialState: () => S;
  /**
   * Folds one recorded event: its metadata comes along, so the fold can read the schema version it
   * was recorded at (toDomainEvent upcasts by it). A fold of domain events alone ignores it.
   */
  evolve: (state: S, event: E & { metadata: JsonObject }) => S;
  /** Decides against the current state; called again after a concurrent write when retrying. */
  decide: (state: S, revision: bigint | 'no_stream') => E[] | Promise<E[]>;
  metadata: CommandMetadata;
  /** The revision the caller saw (If-Match): a conflict is then reported, never retried. */
  expectedRevision?: bigint;
  schemaVersion: number;
  now: () => Date;
  maxAttempts?: number;
  /**
   * The command usually starts its stream (a raise): the first attempt decides on the initial state
   * and appends expecting no stream, without reading it. Should the stream exist, that append is
   * refused and the command takes the usual path (read, replay, decide). The store answers an append
   * of ids it already holds at the same place as a retry, without writing: a caller that sets this
   * must check that the events recorded are its request's (as TicketService does). Ignored with
   * expectedRevision.
   */
  expectNewStream?: boolean;
}

export interface CommandResult {
  streamId: string;
  /** Revision of the stream after the command (its ETag). */
  revision: bigint;
  position: bigint;
  events: Array<{ id: string; type: string; revision: string }>;
  /** True when this was a retry of a command already recorded: nothing new was appended. */
  replayed: boolean;
}

/** A command id reused for a different request. */
export class IdempotencyKeyReusedError extends Error {
  readonly code = 'COMMAND.IDEMPOTENCY_KEY_REUSED';
  constructor(readonly commandId: string) {
    super(`Idempotency key ${commandId} was already used for a different request`);
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** The caller's If-Match revision is stale. */
export class StaleRevisionError extends Error {
  readonly code = 'COMMAND.STALE_REVISION';
  constructor(
    readonly streamId: string,
    readonly expected: bigint,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`The ticket is at revision ${actual}, not ${expected}`);
    this.name = 'StaleRevisionError';
  }
}

/**
 * The one path every command takes: load the stream, fold it, decide, append with the revision
 * that was read. Retried commands (same commandId) append nothing and answer as the first time.
 * A concurrent write is retried by re-deciding on the new state, unless the caller pinned the
 * revision it saw (If-Match), in which case it is told.
 */
export async function handleCommand<S, E extends { type: string; data: object }>(
  store: EventStore,
  options: HandleCommandOptions<S, E>,
): Promise<CommandResult> {
  const maxAttempts = options.maxAttempts ?? 100;
  if (options.expectNewStream && options.expectedRevision === undefined) {
    const started = await startStream(store, options);
    if (started) return started;
  }
  for (let attempt = 1; ; attempt++) {
    const history = await readWhole(store, options.streamId);
    const replay = previousResult(options.streamId, history, options.metadata);
    if (replay) return replay;
    const current = history.at(-1)?.revision ?? ('no_stream' as const);
    if (options.expectedRevision !== undefined && current !== options.expectedRevision) {
      throw new StaleRevisionError(options.streamId, options.expectedRevision, current);
    }
    const state = history.reduce(
      (s, e) => options.evolve(s, { type: e.type, data: e.data, metadata: e.metadata } as E & { metadata: JsonObject }),
      options.initialState(),
    );
    const decided = await options.decide(state, current);
    if (decided.length === 0) return { streamId: options.streamId, revision: toRevision(current), position: 0n, events: [], replayed: false };
    const last = history[history.length - 1];
    const events = commandEvents(
      options.streamId,
      last && { revision: last.revision, hash: storedHash(last.metadata) ?? GENESIS_HASH },
      decided,
      options.metadata,
      options.schemaVersion,
      options.now().toISOString(),
    );
    try {
      return appended(options.streamId, events, await store.append(options.streamId, events, { expectedRevision: current }));
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      if (options.expectedRevision !== undefined) {
        throw new StaleRevisionError(options.streamId, options.expectedRevision, error.actual);
      }
      if (attempt >= maxAttempts) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, attempt * 2)));
    }
  }
}

/**
 * A new stream's first append, decided on the initial state with nothing read (so no not-found
 * read either). undefined: take the usual path, because the stream exists (the append expected none)
 * or because the decision on the initial state refused or chose nothing, which the stream as it
 * stands may answer otherwise (a retried command is replayed, whatever the decision would be now).
 */
async function startStream<S, E extends { type: string; data: object }>(
  store: EventStore,
  options: HandleCommandOptions<S, E>,
): Promise<CommandResult | undefined> {
  let decided: E[];
  try {
    decided = await options.decide(options.initialState(), 'no_stream');
  } catch {
    return undefined;
  }
  if (decided.length === 0) return undefined;
  const events = commandEvents(options.streamId, undefined, decided, options.metadata, options.schemaVersion, options.now().toISOString());
  try {
    return appended(options.streamId, events, await store.append(options.streamId, events, { expectedRevision: 'no_stream' }));
  } catch (error) {
    if (error instanceof WrongExpectedVersionError) return undefined;
    throw error;
  }
}

function appended(streamId: string, events: EventToAppend[], result: AppendResult): CommandResult {
  const first = result.nextRevision - BigInt(events.length) + 1n;
  return {
    streamId,
    revision: result.nextRevision,
    position: result.position,
    events: events.map((e, i) => ({ id: e.id, type: e.type, revision: (first + BigInt(i)).toString() })),
    replayed: false,
  };
}

/**
 * The events a command appends: ids derived from the command id (a retry appends nothing new), the
 * command's metadata, and each event's tamper-evident hash chained to the stream's last event.
 * Exported for bulk loaders (simulation, benchmarks) that decide without reading back the stream.
 */
export function commandEvents(
  streamId: string,
  previous: { revision: bigint; hash: string } | undefined,
  decided: Array<{ type: string; data: object }>,
  metadata: CommandMetadata,
  schemaVersion: number,
  recordedAt: string,
): EventToAppend[] {
  let hash = previous?.hash ?? GENESIS_HASH;
  let revision = previous?.revision ?? -1n;
  return decided.map((e, i) => {
    revision += 1n;
    const id = deterministicUuid(`${streamId}/${metadata.commandId}/${i}`);
    const meta: JsonObject = { ...metadata, recordedAt, schemaVersion };
    hash = eventHash(hash, { streamId, revision, id, type: e.type, data: e.data as JsonObject, metadata: meta });
    return { id, type: e.type, data: e.data as JsonObject, metadata: { ...meta, hash } };
  });
}

const toRevision = (r: bigint | 'no_stream') => (r === 'no_stream' ? -1n : r);

export async function readWhole(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  try {
    for await (const e of store.readStream(streamId)) out.push(e);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
  return out;
}

function previousResult(streamId: string, history: RecordedEvent[], metadata: CommandMetadata): CommandResult | undefined {
  const mine = history.filter((e) => e.metadata.commandId === metadata.commandId);
  const [first] = mine;
  const last = mine.at(-1);
  if (first === undefined || last === undefined) return undefined;
  if (first.metadata.requestHash !== metadata.requestHash) throw new IdempotencyKeyReusedError(metadata.commandId);
  return {
    streamId,
    revision: last.revision,
    position: last.position,
    events: mine.map((e) => ({ id: e.id, type: e.type, revision: e.revision.toString() })),
    replayed: true,
  };
}
