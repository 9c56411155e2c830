import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { JsonObject } from './event-store.port';

/** The hash every stream's first event chains to. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an event's hash covers: where it sits, what it says, who said it, and the hash before it. */
export interface HashedContent {
  streamId: string;
  revision: bigint;
  id: string;
  type: string;
  data: JsonObject;
  /** The metadata without its own `hash`. */
  metadata: JsonObject;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * SHA-256 of the previous event's hash and a canonical (sorted-key) JSON of the event, so the
 * hash survives any store's re-serialisation and any edit of a stored field changes it.
 */
export function eventHash(previousHash: string, e: HashedContent): string {
  const { hash: _ignored, ...metadata } = e.metadata;
  return sha256(`${previousHash}\n${stringify({ streamId: e.streamId, revision: e.revision.toString(), id: e.id, type: e.type, data: e.data, metadata })}`);
}

/** One link of the global chain: every event of the log, in position order. */
export const globalLink = (previousGlobal: string, eventHashValue: string) => sha256(`${previousGlobal}\n${eventHashValue}`);

/** The hash stored in an event's metadata, if any. */
export const storedHash = (metadata: JsonObject): string | undefined => (typeof metadata.hash === 'string' ? metadata.hash : undefined);
