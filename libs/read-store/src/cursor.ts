import { ReadStoreQueryError, type Scalar } from './read-store.port';

/** Cursors are opaque to callers: the sort value and id of the last item, base64url JSON. */
export function encodeCursor(value: Scalar | undefined, id: string): string {
  return Buffer.from(JSON.stringify([value ?? null, id])).toString('base64url');
}

/** The longest cursor encodeCursor can make from an indexed field and an id, with room to spare. */
const MAX_CURSOR_LENGTH = 2048;

/** A sort value as the read stores compare it: never an object or array (a MongoDB operator such as {"$gt": 1} must not get through). */
const isScalar = (v: unknown): v is Scalar => v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

export function decodeCursor(cursor: string): [Scalar, string] {
  if (cursor.length <= MAX_CURSOR_LENGTH && /^[A-Za-z0-9_-]*$/.test(cursor)) {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (Array.isArray(parsed) && parsed.length === 2 && isScalar(parsed[0]) && typeof parsed[1] === 'string') return [parsed[0], parsed[1]];
    } catch {
      /* fall through */
    }
  }
  throw new ReadStoreQueryError('cursor', 'cursor is not one this API returned');
}

export function fieldValue(doc: object, field: string): Scalar {
  const v = (doc as Record<string, unknown>)[field];
  return v === undefined ? null : (v as Scalar);
}
