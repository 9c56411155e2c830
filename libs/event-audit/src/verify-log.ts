import {
  eventHash,
  GENESIS_HASH,
  globalLink,
  showPosition,
  storedHash,
  yieldToEventLoop,
  type EventStore,
  type LogPosition,
  type RecordedEvent,
} from '@itsm/event-store';
import { AUDIT_CHECKPOINT_RECORDED, AUDIT_CHECKPOINT_STREAM, type AuditCheckpointData } from './audit-checkpoint';

export type LogBreakKind =
  /** The event's stored hash does not match its content: the event was edited. */
  | 'event_altered'
  /** The event carries no hash: it was written outside the command path. */
  | 'missing_hash'
  /** A stream skips revisions: events were deleted. */
  | 'revision_gap'
  /** The global chain differs from a recorded checkpoint: events up to it were changed, removed or re-hashed. */
  | 'checkpoint_mismatch';

export interface LogBreak {
  kind: LogBreakKind;
  position: string;
  /** Omitted when the stream belongs to a tenant the caller may not see. */
  streamId?: string;
  revision?: string;
  eventId?: string;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  eventsChecked: number;
  streamsChecked: number;
  checkpointsChecked: number;
  headPosition: string | null;
  /** The global chain's hash at the head: publish it, and a later verify proves nothing before it changed. */
  headGlobalHash: string;
  firstBreak: LogBreak | null;
  /** The first breaks found, in log order (at most `maxBreaks`). */
  breaks: LogBreak[];
}

export interface VerifyOptions {
  /** Streams outside this tenant are still chained, but their breaks are reported without names. */
  tenantId?: string;
  maxBreaks?: number;
  onProgress?: (eventsChecked: number) => void;
}

/** How far back a checkpoint may point (in events) and still be checked. */
const GLOBAL_WINDOW = 100_000;

/**
 * Recomputes every event's hash from its content and the stream's previous hash, and the global
 * chain over the whole log, checking both against what is stored and against the recorded
 * checkpoints. Finds an edited event exactly; a rewrite that re-hashed its stream is still caught
 * by the next checkpoint, located between two checkpoints.
 */
export async function verifyLog(store: EventStore, options: VerifyOptions = {}): Promise<VerifyReport> {
  const maxBreaks = options.maxBreaks ?? 100;
  const streams = new Map<string, { revision: bigint; hash: string; tenantId: unknown }>();
  // The global hash after each of the last GLOBAL_WINDOW events, by event count: a checkpoint is
  // matched by how many events it covered, which an import into another store keeps (positions it does not).
  const globalAt = new Map<number, string>();
  const breaks: LogBreak[] = [];
  let global = GENESIS_HASH;
  let count = 0;
  let checkpoints = 0;
  let head: LogPosition | undefined;
  const visible = (tenantId: unknown) => options.tenantId === undefined || tenantId === options.tenantId;
  const report = (kind: LogBreakKind, e: RecordedEvent, tenantId: unknown, detail: string) => {
    if (breaks.length >= maxBreaks) return;
    const where = { position: e.position.toString() };
    breaks.push(
      visible(tenantId)
        ? { kind, ...where, streamId: e.streamId, revision: e.revision.toString(), eventId: e.id, detail }
        : { kind, ...where, detail: 'in a stream of another tenant' },
    );
  };

  for await (const e of store.readAll()) {
    const stream = streams.get(e.streamId);
    const tenantId = stream?.tenantId ?? e.metadata.tenantId;
    const expectedRevision = stream ? stream.revision + 1n : 0n;
    if (e.revision !== expectedRevision)
      report('revision_gap', e, tenantId, `revision ${e.revision} follows ${expectedRevision - 1n}: ${e.revision - expectedRevision} event(s) missing`);
    const recomputed = eventHash(stream?.hash ?? GENESIS_HASH, { ...e, metadata: e.metadata });
    const stored = storedHash(e.metadata);
    if (stored === undefined) report('missing_hash', e, tenantId, 'the event carries no hash');
    else if (stored !== recomputed) report('event_altered', e, tenantId, 'the stored hash does not match the event as stored: its content was changed');
    // Follow the stored chain after a break, so one edit is reported once, not for every later event.
    streams.set(e.streamId, { revision: e.revision, hash: stored ?? recomputed, tenantId });

    if (e.streamId === AUDIT_CHECKPOINT_STREAM && e.type === AUDIT_CHECKPOINT_RECORDED) {
      checkpoints++;
      const cp = e.data as unknown as AuditCheckpointData;
      const at = globalAt.get(cp.eventCount);
      if (at !== cp.globalHash) {
        report(
          'checkpoint_mismatch',
          e,
          undefined,
          at
            ? `the log's first ${cp.eventCount} events (up to position ${cp.position} where the checkpoint was taken) no longer hash to the checkpoint recorded at position ${e.position}: an event up to there was changed, removed or re-hashed`
            : `the checkpoint covers the first ${cp.eventCount} events, which the log before it does not hold (or which lie more than ${GLOBAL_WINDOW} events back)`,
        );
      }
    }
    global = globalLink(global, chainValue(e));
    count++;
    head = e.position;
    globalAt.set(count, global);
    if (globalAt.size > GLOBAL_WINDOW) globalAt.delete(globalAt.keys().next().value!);
    if (count % 10_000 === 0) options.onProgress?.(count);
    if (count % 1000 === 0) await yieldToEventLoop();
  }
  options.onProgress?.(count);
  return {
    ok: breaks.length === 0,
    eventsChecked: count,
    streamsChecked: streams.size,
    checkpointsChecked: checkpoints,
    headPosition: showPosition(head),
    headGlobalHash: global,
    firstBreak: breaks[0] ?? null,
    breaks,
  };
}

export interface GlobalChainState {
  /** The last event chained; undefined before the first. */
  position: LogPosition | undefined;
  /** That event itself, so a resumed chain can check it still stands where it stood. */
  last?: { streamId: string; revision: bigint };
  eventCount: number;
  globalHash: string;
}

export const GLOBAL_CHAIN_START: GlobalChainState = { position: undefined, eventCount: 0, globalHash: GENESIS_HASH };

/**
 * Advances the global chain from a known state to the head of the log (or to the event at `until`).
 * It links the stored hashes, so it needs no per-stream state: re-hashing a stream after an edit
 * changes it all the same.
 */
export async function advanceGlobalChain(store: EventStore, from: GlobalChainState, until?: LogPosition): Promise<GlobalChainState> {
  let { position, last, eventCount, globalHash } = from;
  for await (const e of store.readAll({ after: from.position })) {
    if (until !== undefined && e.position > until) break;
    globalHash = globalLink(globalHash, chainValue(e));
    eventCount++;
    position = e.position;
    last = { streamId: e.streamId, revision: e.revision };
    if (eventCount % 1000 === 0) await yieldToEventLoop();
  }
  return { position, last, eventCount, globalHash };
}

/** What an event contributes to the global chain: its stored hash (its own content hash when it has none). */
const chainValue = (e: RecordedEvent) => storedHash(e.metadata) ?? eventHash(GENESIS_HASH, { ...e, metadata: e.metadata });
