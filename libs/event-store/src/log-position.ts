/**
 * A position in the global log: an opaque, ordered token of the store that handed it out. A SQLite
 * position is a row number (or, server-shaped, a byte offset); a KurrentDB one is a byte offset in
 * the server's log. Outside an adapter a position is only stored, compared and handed back: the
 * brand makes `position + 1n` a plain bigint, which no read accepts, and
 * `test/log-position-arithmetic.int.spec.ts` refuses arithmetic on positions anywhere else.
 */
export type LogPosition = bigint & { readonly __logPosition: never };

/** Only adapters, and parsers of positions they handed out, make positions. */
export const asLogPosition = (value: bigint): LogPosition => value as LogPosition;

/** A position as text (a checkpoint, a header, a query parameter) back into a position; undefined if it is not one. */
export function parseLogPosition(text: string | null | undefined): LogPosition | undefined {
  if (text == null || !/^\d{1,20}$/.test(text)) return undefined;
  return asLogPosition(BigInt(text));
}

/** Text for a position; null before the first event. */
export const showPosition = (p: LogPosition | undefined): string | null => (p === undefined ? null : p.toString());
