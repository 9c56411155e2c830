import { parseStreamId } from '@itsm/domain';

/** A tenant's webhook registrations: `webhooks-<tenantId>` (named, like every stream, in @itsm/domain). */
export { webhooksStream } from '@itsm/domain';

/** The tenant of a webhooks stream; undefined for any other stream. */
export function parseWebhooksStream(streamId: string): { tenantId: string } | undefined {
  const stream = parseStreamId(streamId);
  return stream?.kind === 'webhooks' ? { tenantId: stream.tenantId } : undefined;
}
