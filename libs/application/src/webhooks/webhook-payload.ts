import { recordedAtOf, type RecordedEvent } from '@itsm/event-store';
import { dataForTenant, tenantScope } from '../event-feed/tenant-scope';

/** The JSON body of a delivery. */
export interface WebhookPayload {
  eventId: string;
  type: string;
  /** The tenant whose ticket it is (another tenant's for an outage or major incident that affected this one). */
  tenantId: string | null;
  ticketId: string | null;
  /** Business time (ISO instant); null for a fact that has none. */
  occurredAt: string | null;
  /** When the system recorded it (ISO instant). */
  recordedAt: string;
  /** Its place in the log (opaque): receivers may order by it within one webhook. */
  position: string;
  data: Record<string, unknown>;
  /** The receiving tenant's IANA zone, for display: every time above is an instant. */
  timeZone: string;
}

/** What a webhook of `tenantId` is sent for an event: the event as that tenant's feed shows it. */
export function webhookPayload(e: RecordedEvent, tenantId: string, timeZone: string): WebhookPayload {
  const scope = tenantScope(e);
  return {
    eventId: e.id,
    type: e.type,
    tenantId: scope.kind === 'own' ? scope.tenantId : null,
    ticketId: scope.kind === 'own' ? (scope.ticketId ?? null) : null,
    occurredAt: typeof e.data.occurredAt === 'string' ? e.data.occurredAt : null,
    recordedAt: recordedAtOf(e).toISOString(),
    position: e.position.toString(),
    data: dataForTenant(scope, e.data, tenantId, (t) => t === tenantId),
    timeZone,
  };
}
