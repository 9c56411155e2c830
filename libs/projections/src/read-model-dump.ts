import { createHash } from 'node:crypto';
import type { ReadStore } from '@itsm/read-store';
import type { ProjectionDefinition } from './projection';

/**
 * Every document of a projection's serving collections, in id order, as JSON lines: what "the read
 * models are identical" means, byte for byte. `collection` maps a logical name to a physical one.
 */
export async function* dumpReadModels(reads: ReadStore, projection: ProjectionDefinition, collection: (logical: string) => string): AsyncGenerator<string> {
  for (const logical of Object.keys(projection.collections)) {
    let cursor: string | undefined;
    do {
      const page = await reads.find(collection(logical), { limit: 5000, cursor });
      for (const doc of page.items) yield `${logical}\t${JSON.stringify(doc)}\n`;
      cursor = page.nextCursor;
    } while (cursor);
  }
}

/** SHA-256 of the dump: two stores with equal digests hold the same read models. */
export async function readModelsDigest(
  reads: ReadStore,
  projection: ProjectionDefinition,
  collection: (logical: string) => string,
): Promise<{ documents: number; sha256: string }> {
  const hash = createHash('sha256');
  let documents = 0;
  for await (const line of dumpReadModels(reads, projection, collection)) {
    hash.update(line);
    documents++;
  }
  return { documents, sha256: hash.digest('hex') };
}
