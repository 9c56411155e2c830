import { globalChainAt } from '@itsm/event-audit';
import { showPosition, type EventStore, type LogPosition } from '@itsm/event-store';

/**
 * Where a document's figures stand in the log: the position they were built at and the global hash
 * chain's head hash there (what `itsm verify` reports as headGlobalHash for a log whose head is that
 * event). Relinking the chain up to the position later gives the same hash only if no fact behind
 * the figures was changed, removed or re-hashed since.
 */
export interface SummaryStamp {
  logPosition: string | null;
  headGlobalHash: string;
  /** More labelled lines for the stamp (a publication's id and digest, say), printed after the hash. */
  lines?: Array<[label: string, value: string]>;
}

/** The stamp for figures built at `position` (undefined: before any event). */
export async function summaryStamp(store: EventStore, position: LogPosition | undefined): Promise<SummaryStamp> {
  return { logPosition: showPosition(position), headGlobalHash: (await globalChainAt(store, position)).globalHash };
}
