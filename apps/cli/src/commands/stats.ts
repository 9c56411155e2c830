import { parseStreamId, type StreamId } from '@itsm/domain';
import { AUDIT_CHECKPOINT_STREAM } from '@itsm/event-audit';
import { createEventStore, createReadStore } from '@itsm/store-adapters';
import { parseLogPosition, showPosition } from '@itsm/event-store';
import { printJson, type CliCommand } from '../cli-context';
import { progressBar } from '../progress';

/** A catalogue kind as stats names it: ResolverGroup → resolver-group. */
const kebab = (kind: string) => kind.replace(/[a-z](?=[A-Z])/g, '$&-').toLowerCase();

/**
 * The kind of stream stats counts a stream under, read by the one parser of stream names: tickets as
 * `incident` (what operators call them), catalogue entries by their kind, every other named kind by
 * its own name; the audit checkpoints by theirs, and `other` for a stream the service does not name.
 */
function streamKind(streamId: string): string {
  const stream: StreamId | undefined = parseStreamId(streamId);
  if (!stream) return streamId === AUDIT_CHECKPOINT_STREAM ? AUDIT_CHECKPOINT_STREAM : 'other';
  if (stream.kind === 'ticket') return 'incident';
  return stream.kind === 'catalogue' ? kebab(stream.catalogueKind) : stream.kind;
}

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
      if (!streams.has(e.streamId)) streams.set(e.streamId, streamKind(e.streamId));
      first ??= e.recordedAt.toISOString();
      last = e.recordedAt.toISOString();
      if (events % 5000 === 0) bar.update(events);
    }
    bar.update(events);
    bar.stop();
    const streamsByKind: Record<string, number> = {};
    for (const kind of streams.values()) streamsByKind[kind] = (streamsByKind[kind] ?? 0) + 1;
    const checkpoints = [];
    for (const c of await reads.listCheckpoints())
      checkpoints.push({ name: c.name, position: c.position, lag: await store.countEventsAfter(parseLogPosition(c.position)) });
    printJson(ctx, {
      eventStore: store.kind,
      readStore: reads.kind,
      headPosition: showPosition(head),
      events,
      streams: streams.size,
      streamsByKind,
      eventTypes: types,
      firstRecordedAt: first ?? null,
      lastRecordedAt: last ?? null,
      projections: checkpoints,
    });
    return 0;
  } finally {
    await Promise.all([store.close(), reads.close()]);
  }
};
