import { InvalidPositionError, StreamNotFoundError, type EventStore, parseLogPosition, type LogPosition } from '@itsm/event-store';
import { AUDIT_CHECKPOINT_STREAM, type AuditCheckpointData } from './audit-checkpoint';
import { advanceGlobalChain, GLOBAL_CHAIN_START, type GlobalChainState } from './verify-log';

/** Chain states this process already computed, per store: the log only grows, so each stays true. */
const known = new WeakMap<EventStore, GlobalChainState[]>();
const KEPT = 16;

/**
 * The global chain as it stood at a position: the hash `verifyLog` reports as headGlobalHash for a
 * log whose head is that event (undefined: the empty log's, the genesis hash). Stamped on a
 * document, it lets an auditor prove later that nothing up to the position has changed.
 *
 * The events carry their streams' hashes, not the global chain's, so the chain is linked from the
 * nearest known state: one this process computed before, or the latest audit checkpoint at or
 * before the position (recorded every 1000 events or 10 minutes). A request reads at most that
 * stretch of the log, through the port alone, so every store answers alike.
 */
export async function globalChainAt(store: EventStore, position: LogPosition | undefined): Promise<GlobalChainState> {
  if (position === undefined) return GLOBAL_CHAIN_START;
  const states = known.get(store) ?? [];
  const exact = states.find((s) => s.position === position);
  if (exact) return exact;
  const remembered = latest(states.filter((s) => s.position !== undefined && s.position < position));
  const start = latest([remembered, await checkpointAtOrBefore(store, position)]) ?? GLOBAL_CHAIN_START;
  if (start.position === position) return remember(store, start);
  const state = await advanceGlobalChain(store, start, position);
  if (state.position !== position) throw new InvalidPositionError(position.toString());
  return remember(store, state);
}

/** The state furthest along the log. */
function latest(states: Array<GlobalChainState | undefined>): GlobalChainState | undefined {
  return states.reduce<GlobalChainState | undefined>(
    (best, s) => (s?.position !== undefined && (best === undefined || best.position! < s.position) ? s : best),
    undefined,
  );
}

function remember(store: EventStore, state: GlobalChainState): GlobalChainState {
  const states = (known.get(store) ?? []).filter((s) => s.position !== state.position);
  states.push(state);
  known.set(store, states.slice(-KEPT));
  return state;
}

/**
 * The chain state of the latest audit checkpoint covering no event after the position, if the
 * event it ends on still stands at its position here (after an import into a store that gave the
 * events new positions, it does not: the chain is then linked from the start).
 */
async function checkpointAtOrBefore(store: EventStore, position: LogPosition): Promise<GlobalChainState | undefined> {
  try {
    for await (const e of store.readStream(AUDIT_CHECKPOINT_STREAM, { direction: 'backwards' })) {
      const cp = e.data as unknown as AuditCheckpointData;
      const at = parseLogPosition(cp.position);
      if (at === undefined || at > position) continue;
      if (cp.lastStreamId === undefined || cp.lastRevision === undefined) return undefined;
      for await (const last of store.readStream(cp.lastStreamId, { fromRevision: BigInt(cp.lastRevision), maxCount: 1 })) {
        if (last.position !== at) return undefined;
        return { position: at, last: { streamId: last.streamId, revision: last.revision }, eventCount: cp.eventCount, globalHash: cp.globalHash };
      }
      return undefined;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error; // no checkpoint yet
  }
  return undefined;
}
