import { CATALOGUE_ID } from '../catalogue/validate-catalogue';

/**
 * Ticket ids are the tenant's own: two tenants may each have an `INC-1`. An id is a catalogue-style
 * id (letters, digits, `_`, `-`; no `.`), so `<tenantId>.<ticketId>` splits at its one dot.
 */
export const TICKET_ID = CATALOGUE_ID;

/** Which ticket a stream holds: a ticket is named by its tenant and its id within that tenant. */
export interface TicketStreamId {
  tenantId: string;
  ticketId: string;
}

const PREFIX = 'incident-';
const ID = CATALOGUE_ID.source.slice(1, -1); // the rule without its anchors
const KEY = new RegExp(`^(${ID})\\.(${ID})$`);

/** True when both ids may name a ticket (a tenant id and a ticket id follow the same rule). */
export const isTicketAddress = (tenantId: string, ticketId: string): boolean => CATALOGUE_ID.test(tenantId) && TICKET_ID.test(ticketId);

/**
 * The tenant-scoped name of a ticket, `<tenantId>.<ticketId>`: the suffix of its stream and the key
 * of its read-model documents. Throws on ids that break the rules (callers check them first).
 */
export function ticketKey(tenantId: string, ticketId: string): string {
  if (!isTicketAddress(tenantId, ticketId)) throw new Error(`Not a ticket address: tenant ${JSON.stringify(tenantId)}, ticket ${JSON.stringify(ticketId)}`);
  return `${tenantId}.${ticketId}`;
}

/** A ticket's stream: `incident-<tenantId>.<ticketId>` (at most 138 characters). */
export const ticketStream = (tenantId: string, ticketId: string): string => `${PREFIX}${ticketKey(tenantId, ticketId)}`;

/** The tenant and ticket of a ticket stream; undefined for any other stream. The one parser of ticket stream names. */
export function parseTicketStream(streamId: string): TicketStreamId | undefined {
  if (!streamId.startsWith(PREFIX)) return undefined;
  const m = KEY.exec(streamId.slice(PREFIX.length));
  return m ? { tenantId: m[1], ticketId: m[2] } : undefined;
}
