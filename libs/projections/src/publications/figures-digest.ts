import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import type { Figure, FigureValue } from './summary-figures';

/** Every figure by its path: what a publication's digest covers, and nothing else (no dates of generation, no wording). */
export const figureValues = (figures: readonly Figure[]): Record<string, FigureValue> => Object.fromEntries(figures.map((f) => [f.path, f.value]));

/**
 * SHA-256 (hex) of the canonical JSON (keys sorted) of every figure by its path: equal digests, equal
 * figures, whichever store, process or key order built them.
 */
export function figuresDigest(figures: readonly Figure[]): string {
  return createHash('sha256')
    .update(stringify(figureValues(figures)))
    .digest('hex');
}
