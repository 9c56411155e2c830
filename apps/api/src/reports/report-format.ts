import type { Request, Response } from 'express';
import { stringify } from 'csv-stringify/sync';

/** Flattens nested objects into dotted columns, arrays into ';'-joined cells. */
function flatten(row: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(row)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v)) out[key] = v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(';');
    else if (v && typeof v === 'object') flatten(v as Record<string, unknown>, key, out);
    else out[key] = v;
  }
  return out;
}

/** A cell a spreadsheet would run as a formula (OWASP "CSV injection"): = + - @, or a tab / carriage return before one. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Text that is just a number (`-12`, `+3.5`, `-1e3`): a spreadsheet reads it as that number, never as a formula. */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A text cell as a spreadsheet may safely open it: one that would start a formula gets a leading
 * single quote (shown as text, not run). Numbers are not text, so they stay numbers, negative ones
 * included; so does text that is only a number.
 */
export function csvSafeText(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** The rows as CSV, one column per flattened field, every text cell (and header) neutralised. */
export function toCsv(rows: readonly object[]): string {
  const flat = rows.map((r) => flatten(r as Record<string, unknown>));
  const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))].map((key) => ({ key, header: csvSafeText(key) }));
  return stringify(flat, { header: true, columns, cast: { boolean: (v) => String(v), string: (v) => csvSafeText(v) } });
}

/** JSON by default; CSV of the rows when the client asks for text/csv (or `csv` says so). */
export function respond(req: Request, res: Response, body: unknown, rows: readonly object[], csv = req.accepts(['application/json', 'text/csv']) === 'text/csv'): unknown {
  if (csv) {
    res.type('text/csv').send(toCsv(rows));
    return undefined;
  }
  res.json(body);
  return undefined;
}
