import { decodeCursor, encodeCursor } from '@itsm/read-store';

export interface CataloguePage<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}

/**
 * A page of entries already sorted by id: those after the cursor's id, at most `limit`. The cursor
 * names the last id given (opaque, as the read models' cursors are), so entries registered while a
 * client pages appear in their place and none is given twice. A crafted cursor is 400 naming it.
 */
export function pageOf<T extends { id: string }>(sorted: T[], limit = 50, cursor?: string): CataloguePage<T> {
  const after = cursor === undefined ? undefined : decodeCursor(cursor)[1];
  const rest = after === undefined ? sorted : sorted.filter((e) => e.id > after);
  const items = rest.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rest.length > limit && last ? encodeCursor(null, last.id) : null };
}
