import { createEventStore, createReadStore } from '@itsm/store-adapters';
import { showPosition } from '@itsm/event-store';
import { Projector, readModelsDigest, reportsProjection, type ProjectionDefinition } from '@itsm/projections';
import { printJson, type CliCommand } from '../cli-context';
import { progressBar } from '../progress';
import { UsageError } from './export';

/** The projections the CLI can rebuild, by name. */
export const PROJECTIONS: Record<string, () => ProjectionDefinition> = { reports: () => reportsProjection() };

/**
 * Drops a projection's read models and builds them again from the whole log, then prints their
 * digest (two stores with equal digests hold the same read models). Stop the API's projector
 * (or the projector app) first: two builders of one read model would interleave.
 */
export const rebuild: CliCommand = async (args, ctx) => {
  const names = args.length ? args : Object.keys(PROJECTIONS);
  const unknown = names.filter((n) => !PROJECTIONS[n]);
  if (unknown.length) throw new UsageError(`unknown projection ${unknown.join(', ')}; known: ${Object.keys(PROJECTIONS).join(', ')}`);
  const chosen = names.flatMap((name) => {
    const define = PROJECTIONS[name];
    return define === undefined ? [] : [{ name, define }];
  });
  const store = createEventStore(ctx.config);
  const reads = createReadStore(ctx.config);
  try {
    const total = await store.countEventsAfter();
    const results = [];
    for (const { name, define } of chosen) {
      const bar = progressBar(`rebuild ${name}`, total);
      let applied = 0;
      const projector = new Projector(store, reads, define(), { batchSize: 2000, onBatch: (_last, n) => bar.update((applied += n)) });
      await projector.init();
      await projector.reset();
      await projector.catchUp();
      const seconds = bar.stop();
      const digest = await readModelsDigest(reads, projector.projection, (c) => projector.collection(c));
      results.push({ projection: name, position: showPosition(projector.checkpoint), seconds: Math.round(seconds * 10) / 10, readModels: digest });
    }
    printJson(ctx, results);
    return 0;
  } finally {
    await Promise.all([store.close(), reads.close()]);
  }
};
