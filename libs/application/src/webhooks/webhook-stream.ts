import { CATALOGUE_ID } from '@itsm/domain';

const PREFIX = 'webhooks-';

/**
 * A tenant's webhook registrations: `webhooks-<tenantId>`. Its own kind of stream: no reader of the
 * log mistakes it for a tenant's (`tenant-`), a ticket's (`incident-`) or a catalogue entry's, and
 * the tenant feed leaves it out (it holds receiver URLs and sealed secrets, not facts of the service).
 */
export function webhooksStream(tenantId: string): string {
  if (!CATALOGUE_ID.test(tenantId)) throw new Error(`Not a tenant id: ${JSON.stringify(tenantId)}`);
  return `${PREFIX}${tenantId}`;
}

/** The tenant of a webhooks stream; undefined for any other stream. */
export function parseWebhooksStream(streamId: string): { tenantId: string } | undefined {
  if (!streamId.startsWith(PREFIX)) return undefined;
  const tenantId = streamId.slice(PREFIX.length);
  return CATALOGUE_ID.test(tenantId) ? { tenantId } : undefined;
}
