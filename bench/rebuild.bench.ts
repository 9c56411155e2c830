import { rmSync } from 'node:fs';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { Projector, reportsProjection } from '@itsm/projections';
import { SqliteReadStore } from '@itsm/read-store-sqlite';
import { peakRssMb, round, timed } from './measure';

/** A full rebuild of every read model from the log, beside a bare readAll of the same events (the limit). */
export async function benchRebuild(logFile: string, readModelsFile: string) {
  const store = new SqliteEventStore({ filename: logFile });
  let events = 0;
  const bare = await timed(async () => {
    for await (const _ of store.readAll()) events++;
  });
  rmSync(readModelsFile, { force: true });
  const reads = new SqliteReadStore(readModelsFile);
  const projector = new Projector(store, reads, reportsProjection(), { batchSize: 2000 });
  await projector.init();
  const rebuild = await timed(() => projector.catchUp());
  await Promise.all([store.close(), reads.close()]);
  const bareRate = events / (bare.ms / 1000);
  const rebuildRate = events / (rebuild.ms / 1000);
  return {
    events,
    bareReadAll: { seconds: round(bare.ms / 1000, 2), eventsPerSecond: Math.round(bareRate) },
    rebuild: { seconds: round(rebuild.ms / 1000, 2), eventsPerSecond: Math.round(rebuildRate) },
    ratioToBare: round(rebuildRate / bareRate, 3),
    peakRssMb: peakRssMb(),
  };
}
