import { createEventStore, parseLogPosition, showPosition } from '@itsm/event-store';
import { createReadStore } from '@itsm/read-store';
import { printJson, type CliCommand } from '../cli-context';
import { progressBar } from '../progress';

/** What the log holds: events, streams by kind, event types, first and last record time; projection checkpoints and lag. */
export const stats: CliCommand = async (_args, ctx) => {
  const store = createEventStore(ctx.config);
  const reads = createReadStore(ctx.config);
  try {
    const head = await store.headPosition();
    const bar = progressBar('stats', await store.countEventsAfter());
    const streams = new Map<string, string>();
    const types: Record<string, number> = {};
    let events = 0;
    let first: string | undefined;
    let last: string | undefined;
    for await (const e of store.readAll()) {
      events++;
      types[e.type] = (types[e.type] ?? 0) + 1;
      if (!streams.has(e.streamId)) streams.set(e.streamId, e.streamId.replace(/-.*$/, ''));
      first ??= e.recordedAt.toISOString();
      last = e.recordedAt.toISOString();
      if (events % 5000 === 0) bar.update(events);
    }
    bar.update(events);
    bar.stop();
    const streamsByKind: Record<string, number> = {};
    for (const kind of streams.values()) streamsByKind[kind] = (streamsByKind[kind] ?? 0) + 1;
    const checkpoints = [];
    for (const c of await reads.listCheckpoints()) checkpoints.push({ name: c.name, position: c.position, lag: await store.countEventsAfter(parseLogPosition(c.position)) });
    printJson(ctx, { eventStore: store.kind, readStore: reads.kind, headPosition: showPosition(head), events, streams: streams.size, streamsByKind, eventTypes: types, firstRecordedAt: first ?? null, lastRecordedAt: last ?? null, projections: checkpoints });
    return 0;
  } finally {
    await Promise.all([store.close(), reads.close()]);
  }
};
