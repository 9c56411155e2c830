import type { RecordedEvent } from '@itsm/event-store';

/**
 * A text field of an event's metadata (actor, commandId, correlationId, ...), '' when it holds none:
 * the command path always writes these as strings, so anything else is no value for them.
 */
export function metadataText(e: RecordedEvent, field: string): string {
  const value = e.metadata[field];
  return typeof value === 'string' ? value : '';
}
