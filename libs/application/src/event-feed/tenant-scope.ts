import { parseStreamId, type CatalogueKind, type StreamId } from '@itsm/domain';

/** An event as far as its tenant scope goes: where it was recorded, and what it says. */
export interface ScopedEvent {
  streamId: string;
  type: string;
  data: Record<string, unknown>;
}

/**
 * Which tenants an event concerns, and whose it is.
 * - `own`: recorded in a stream that belongs to one tenant (its tickets, its register, its entry,
 *   its SLA and escalation policies); `shared` lists the other tenants it also concerns (an outage or a major
 *   incident recorded on this tenant's ticket that affected them).
 * - `served`: a shared catalogue entry (a service, a resolver group) serving these tenants.
 * - `everyone`: a supplier (any tenant's ticket may be passed to one).
 * - `nobody`: everything else (tenant groups, webhook registrations, audit checkpoints, streams
 *   this code does not know): no tenant's feed shows them.
 */
export type TenantScope =
  { kind: 'own'; tenantId: string; shared: string[]; ticketId?: string } | { kind: 'served'; tenantIds: string[] } | { kind: 'everyone' } | { kind: 'nobody' };

/** Outage facts name the tenants the outage affected. */
const OUTAGES = new Set(['OutageRecorded', 'OutageStarted', 'OutageEnded']);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** How each catalogue kind's events concern tenants (tenant groups: no tenant's feed shows them). */
const CATALOGUE_SCOPE: Record<CatalogueKind, (entry: Extract<StreamId, { kind: 'catalogue' }>, e: ScopedEvent) => TenantScope> = {
  Tenant: (entry) => ({ kind: 'own', tenantId: entry.id, shared: [] }),
  Service: (_, e) => ({ kind: 'served', tenantIds: strings(e.data.tenantIds) }),
  ResolverGroup: (_, e) => ({ kind: 'served', tenantIds: strings(e.data.tenantIds) }),
  Supplier: () => ({ kind: 'everyone' }),
  TenantGroup: () => ({ kind: 'nobody' }),
};

/** The scope of an event, read from its stream and its data alone (the one rule the feed and webhooks share). */
export function tenantScope(e: ScopedEvent): TenantScope {
  const stream = parseStreamId(e.streamId);
  switch (stream?.kind) {
    case 'ticket': {
      // Outages and major incidents name the tenants they affected; those tenants' reports count them.
      const named = OUTAGES.has(e.type) ? strings(e.data.tenantIds) : e.type === 'MajorIncidentDeclared' ? strings(e.data.tenantsAffected) : [];
      return { kind: 'own', tenantId: stream.tenantId, ticketId: stream.ticketId, shared: [...new Set(named)].filter((t) => t !== stream.tenantId) };
    }
    case 'major-incident-register':
    case 'sla-policy':
    case 'escalation-policy':
      return { kind: 'own', tenantId: stream.tenantId, shared: [] };
    case 'catalogue':
      return CATALOGUE_SCOPE[stream.catalogueKind](stream, e);
    default:
      // Webhook registrations, publications, audit checkpoints, streams this code does not name.
      return { kind: 'nobody' };
  }
}

/** True when a catalogue entry's stream is one whose events list the tenants served (a revision may drop one). */
export function isServedEntry(streamId: string): boolean {
  const stream = parseStreamId(streamId);
  return stream?.kind === 'catalogue' && (stream.catalogueKind === 'Service' || stream.catalogueKind === 'ResolverGroup');
}

/**
 * Whether the event belongs in `tenantId`'s feed. `servedBefore`: for a shared entry's revision,
 * the tenants its previous value served (a revision that stops serving a tenant concerns it too).
 */
export function concernsTenant(scope: TenantScope, tenantId: string, servedBefore: readonly string[] = []): boolean {
  switch (scope.kind) {
    case 'own':
      return scope.tenantId === tenantId || scope.shared.includes(tenantId);
    case 'served':
      return scope.tenantIds.includes(tenantId) || servedBefore.includes(tenantId);
    case 'everyone':
      return true;
    case 'nobody':
      return false;
  }
}

/** The tenant lists an event's data may carry. */
const TENANT_LISTS = ['tenantIds', 'tenantsAffected'] as const;

/**
 * The event's data as a reader of `tenantId` may see it. Its own events are shown whole. An event it
 * sees only because it is shared (a service serving several tenants, another tenant's outage that
 * affected it) lists only the tenants the reader may see: no tenant learns of another through it.
 */
export function dataForTenant(
  scope: TenantScope,
  data: Record<string, unknown>,
  tenantId: string,
  mayView: (tenantId: string) => boolean,
): Record<string, unknown> {
  if (scope.kind === 'own' && scope.tenantId === tenantId) return data;
  const out = { ...data };
  for (const key of TENANT_LISTS) if (Array.isArray(out[key])) out[key] = strings(out[key]).filter((t) => t === tenantId || mayView(t));
  return out;
}
