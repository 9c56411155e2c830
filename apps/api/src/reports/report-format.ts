import type { Request, Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { csvSafeText } from '@itsm/report-rendering';

/** One neutralising rule for every spreadsheet the API writes (CSV here, XLSX in the summary). */
export { csvSafeText };

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

/** The rows as CSV, one column per flattened field, every text cell (and header) neutralised. */
export function toCsv(rows: readonly object[]): string {
  const flat = rows.map((r) => flatten(r as Record<string, unknown>));
  const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))].map((key) => ({ key, header: csvSafeText(key) }));
  return stringify(flat, { header: true, columns, cast: { boolean: (v) => String(v), string: (v) => csvSafeText(v) } });
}

/** JSON by default; CSV of the rows when the client asks for text/csv (or `csv` says so). */
export function respond(
  req: Request,
  res: Response,
  body: unknown,
  rows: readonly object[],
  csv = req.accepts(['application/json', 'text/csv']) === 'text/csv',
): unknown {
  if (csv) {
    res.type('text/csv').send(toCsv(rows));
    return undefined;
  }
  res.json(body);
  return undefined;
}
