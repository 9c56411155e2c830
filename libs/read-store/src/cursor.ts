import { ReadStoreQueryError, type Scalar } from './read-store.port';

/** Cursors are opaque to callers: the sort value and id of the last item, base64url JSON. */
export function encodeCursor(value: Scalar | undefined, id: string): string {
  return Buffer.from(JSON.stringify([value ?? null, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [Scalar, string] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === 'string') return parsed as [Scalar, string];
  } catch {
    /* fall through */
  }
  throw new ReadStoreQueryError('cursor', 'cursor is not one this API returned');
}

export function fieldValue(doc: object, field: string): Scalar {
  const v = (doc as Record<string, unknown>)[field];
  return v === undefined ? null : (v as Scalar);
}
