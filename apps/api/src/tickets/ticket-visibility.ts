import type { HistoryEntry } from '@itsm/application';
import type { RaisedTicket } from '@itsm/domain';

/** Whether the reader's token covers a tenant. */
export type MaySee = (tenantId: string) => boolean;

/**
 * A ticket's facts may name other tenants than the ticket's own (the tenants a major incident or an
 * outage affected). A reader sees only those its token covers, as the catalogue shows an entry's
 * tenants (visibleEntry): another tenant is not revealed, not even by name.
 */
export function visibleTicket<T extends Pick<RaisedTicket, 'outages' | 'ongoingOutages' | 'majorIncident'>>(ticket: T, maySee: MaySee): T {
  return {
    ...ticket,
    outages: ticket.outages.map((o) => ({ ...o, tenantIds: (o.tenantIds ?? []).filter(maySee) })),
    ...(ticket.ongoingOutages ? { ongoingOutages: ticket.ongoingOutages.map((o) => ({ ...o, tenantIds: o.tenantIds.filter(maySee) })) } : {}),
    ...(ticket.majorIncident ? { majorIncident: { ...ticket.majorIncident, tenantsAffected: ticket.majorIncident.tenantsAffected.filter(maySee) } } : {}),
  };
}

/** Facts that name the tenants an outage affected. */
const OUTAGE_FACTS = new Set(['OutageRecorded', 'OutageStarted', 'OutageEnded']);

/** The same for the recorded facts themselves (history). */
export function visibleHistoryEntry(entry: HistoryEntry, maySee: MaySee): HistoryEntry {
  const data = entry.data as Record<string, unknown>;
  const field = OUTAGE_FACTS.has(entry.type) ? 'tenantIds' : entry.type === 'MajorIncidentDeclared' ? 'tenantsAffected' : undefined;
  if (!field || !Array.isArray(data[field])) return entry;
  return { ...entry, data: { ...data, [field]: (data[field] as unknown[]).filter((t) => typeof t === 'string' && maySee(t)) } };
}
