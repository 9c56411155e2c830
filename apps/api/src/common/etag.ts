import { problem, ProblemException } from './problem-details';

export const etagOf = (revision: bigint | string) => `"${revision.toString()}"`;

/** Reads If-Match ("3" or W/"3"); undefined when absent or "*". */
export function parseIfMatch(header: string | undefined): bigint | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const revision = /^\s*(?:W\/)?"?(-?\d+)"?\s*$/.exec(header)?.[1];
  if (revision === undefined) {
    throw new ProblemException(
      problem(400, 'REQUEST.INVALID_IF_MATCH', 'If-Match must carry a revision as given in ETag, e.g. "3"', {
        errors: [{ field: 'If-Match', rule: 'etag', message: 'If-Match must carry a revision as given in ETag' }],
      }),
    );
  }
  return BigInt(revision);
}
