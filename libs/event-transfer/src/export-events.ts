import { recordedAtOf, type EventStore, type RecordedEvent } from '@itsm/event-store';
import { toExportLine } from './exported-event';

export interface ExportFilter {
  /** Only streams of this tenant (by the tenantId every command records in metadata). */
  tenantId?: string;
  /** Only these streams. */
  streamIds?: string[];
  /** Only events recorded at or after / before this instant. */
  from?: Date;
  to?: Date;
}

/**
 * The log as NDJSON, one event per line in position order, filtered. An export of whole streams
 * (no `from`) can be imported into an empty store.
 */
export async function* exportEvents(store: EventStore, filter: ExportFilter = {}, onEvent?: (e: RecordedEvent) => void): AsyncGenerator<string> {
  const streams = filter.streamIds ? new Set(filter.streamIds) : undefined;
  for await (const e of store.readAll()) {
    onEvent?.(e);
    if (filter.tenantId !== undefined && e.metadata.tenantId !== filter.tenantId) continue;
    if (streams && !streams.has(e.streamId)) continue;
    const at = recordedAtOf(e).getTime();
    if (filter.from && at < filter.from.getTime()) continue;
    if (filter.to && at >= filter.to.getTime()) continue;
    yield `${toExportLine(e)}\n`;
  }
}
