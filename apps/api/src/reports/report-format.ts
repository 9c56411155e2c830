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

/** JSON by default; CSV of the rows when the client asks for text/csv. */
export function respond(req: Request, res: Response, body: unknown, rows: Array<Record<string, unknown>>): unknown {
  if (req.accepts(['application/json', 'text/csv']) === 'text/csv') {
    const flat = rows.map((r) => flatten(r));
    const columns = [...new Set(flat.flatMap((r) => Object.keys(r)))];
    res.type('text/csv').send(stringify(flat, { header: true, columns, cast: { boolean: (v) => String(v) } }));
    return undefined;
  }
  res.json(body);
  return undefined;
}
