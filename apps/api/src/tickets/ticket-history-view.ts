import type { HistoryEntry } from '@itsm/application';

/** Who reads a ticket's history: auditors see each fact's whole record, operators the facts. */
export type HistoryView = 'audit' | 'operator';

/** A recorded fact as an operator sees it: what happened, when, recorded when and by whom. */
export type OperatorHistoryEntry = Pick<HistoryEntry, 'revision' | 'eventId' | 'type' | 'occurredAt' | 'recordedAt' | 'actor' | 'data'>;

export type TicketHistory = HistoryEntry[] | OperatorHistoryEntry[];

/**
 * What an operator does not see of a fact's record (auditors do):
 * - position: the global log's, which counts every tenant's facts between two of this ticket's;
 * - commandId and causationId: the caller's Idempotency-Key, with which its request could be replayed;
 * - correlationId: callers' own tracing ids, other systems' internals;
 * - schemaVersion: the store's concern.
 * Request hashes, hash-chain links and import sources (metadata.requestHash, .hash, .source) are in
 * neither view: they stay in the log, for verify and export.
 */
export function operatorEntry(e: HistoryEntry): OperatorHistoryEntry {
  const { revision, eventId, type, occurredAt, recordedAt, actor, data } = e;
  return { revision, eventId, type, occurredAt, recordedAt, actor, data };
}
