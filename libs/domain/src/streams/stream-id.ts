import { CATALOGUE_KINDS, type CatalogueKind } from '../catalogue/catalogue.types';
import { CATALOGUE_ID } from '../catalogue/validate-catalogue';
import type { PublicationSubject } from '../publication/figures-published';

/**
 * Every stream name the service writes, made and read here and nowhere else. Each kind has its own
 * prefix, and no prefix starts another (`tenantgroup-` is not `tenant-…`, `grouppublications-` is
 * not `publications-…`), so a name has at most one reading; a server's category (the part before
 * the first `-`) tells most kinds apart too. Ids follow CATALOGUE_ID (no `.`), so a ticket's
 * `<tenantId>.<ticketId>` splits at its one dot.
 */
const PREFIX = {
  ticket: 'incident-',
  Tenant: 'tenant-',
  Service: 'service-',
  Supplier: 'supplier-',
  ResolverGroup: 'resolver-group-',
  TenantGroup: 'tenantgroup-',
  slaPolicy: 'sla-policy-',
  escalationPolicy: 'escalation-policy-',
  majorIncidentRegister: 'major-incidents-',
  tenantPublications: 'publications-',
  groupPublications: 'grouppublications-',
  webhooks: 'webhooks-',
} as const;

/** What a stream holds, read from its name. `id` is the name after its prefix. */
export type StreamId =
  | { kind: 'ticket'; id: string; tenantId: string; ticketId: string }
  | { kind: 'catalogue'; id: string; catalogueKind: CatalogueKind }
  /** A tenant's SLA policy versions. */
  | { kind: 'sla-policy'; id: string; tenantId: string }
  /** A tenant's escalation policy versions. */
  | { kind: 'escalation-policy'; id: string; tenantId: string }
  /** A tenant's major incident register (which ticket holds each reference). */
  | { kind: 'major-incident-register'; id: string; tenantId: string }
  /** Figures published for a tenant, or for a tenant group. */
  | { kind: 'publications'; id: string; subject: 'tenant' | 'group' }
  /** A tenant's webhook registrations. */
  | { kind: 'webhooks'; id: string; tenantId: string };

export type StreamKind = StreamId['kind'];

const ID = CATALOGUE_ID.source.slice(1, -1); // the rule without its anchors
const TICKET_KEY = new RegExp(`^(${ID})\\.(${ID})$`);

/** Each prefix and how the rest of the name reads; undefined when the rest is no valid id. */
const READERS: ReadonlyArray<readonly [string, (rest: string) => StreamId | undefined]> = [
  [
    PREFIX.ticket,
    (rest) => {
      const [, tenantId, ticketId] = TICKET_KEY.exec(rest) ?? [];
      return tenantId !== undefined && ticketId !== undefined ? { kind: 'ticket', id: rest, tenantId, ticketId } : undefined;
    },
  ],
  ...CATALOGUE_KINDS.map((catalogueKind) => [PREFIX[catalogueKind], (id: string): StreamId => ({ kind: 'catalogue', id, catalogueKind })] as const),
  [PREFIX.slaPolicy, (id) => ({ kind: 'sla-policy', id, tenantId: id })],
  [PREFIX.escalationPolicy, (id) => ({ kind: 'escalation-policy', id, tenantId: id })],
  [PREFIX.majorIncidentRegister, (id) => ({ kind: 'major-incident-register', id, tenantId: id })],
  [PREFIX.tenantPublications, (id) => ({ kind: 'publications', id, subject: 'tenant' })],
  [PREFIX.groupPublications, (id) => ({ kind: 'publications', id, subject: 'group' })],
  [PREFIX.webhooks, (id) => ({ kind: 'webhooks', id, tenantId: id })],
];

/**
 * What a stream holds; undefined for a stream this service does not name (audit checkpoints, a
 * server's system streams) or a name whose id breaks the id rule. The one parser of stream names.
 */
export function parseStreamId(streamId: string): StreamId | undefined {
  for (const [prefix, read] of READERS) {
    if (!streamId.startsWith(prefix)) continue;
    const rest = streamId.slice(prefix.length);
    // A ticket's rest is two ids; every other kind's is one.
    return prefix === PREFIX.ticket || CATALOGUE_ID.test(rest) ? read(rest) : undefined;
  }
  return undefined;
}

/** Throws on an id that breaks the rule: a stream name is made only from checked ids. */
function checked(id: string, what: string): string {
  if (!CATALOGUE_ID.test(id)) throw new Error(`Not a ${what} id: ${JSON.stringify(id)}`);
  return id;
}

// ── The builders ──────────────────────────────────────────────────────────────────────────────

/** Ticket ids are the tenant's own: two tenants may each have an `INC-1`. */
export const TICKET_ID = CATALOGUE_ID;

/** Which ticket a stream holds: a ticket is named by its tenant and its id within that tenant. */
export interface TicketStreamId {
  tenantId: string;
  ticketId: string;
}

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
export const ticketStream = (tenantId: string, ticketId: string): string => `${PREFIX.ticket}${ticketKey(tenantId, ticketId)}`;

/**
 * A catalogue entry's stream, by kind. Tenant groups are `tenantgroup-<id>`, not `tenant-group-…`:
 * a reader that took every `tenant-` stream for a tenant's would take them for tenants.
 */
export const catalogueStream: Record<CatalogueKind, (id: string) => string> = {
  Tenant: (id) => `${PREFIX.Tenant}${id}`,
  Service: (id) => `${PREFIX.Service}${id}`,
  Supplier: (id) => `${PREFIX.Supplier}${id}`,
  ResolverGroup: (id) => `${PREFIX.ResolverGroup}${id}`,
  TenantGroup: (id) => `${PREFIX.TenantGroup}${id}`,
};

/** `tenantgroup-`: the prefix of tenant group streams. */
export const TENANT_GROUP_STREAM_PREFIX = PREFIX.TenantGroup;

export const slaPolicyStream = (tenantId: string): string => `${PREFIX.slaPolicy}${tenantId}`;

/** Not `tenant-…`: log readers take those streams for the tenant's own (SLA timer, reports). */
export const escalationPolicyStream = (tenantId: string): string => `${PREFIX.escalationPolicy}${tenantId}`;

/**
 * A tenant's major incident register: `major-incidents-<tenantId>` (at most 80 characters). Neither a
 * ticket stream nor a catalogue stream: readers that know only those kinds pass it by. Its events
 * carry the register's tenant in their metadata, so export and verify scope it to that tenant.
 */
export const majorIncidentRegisterStream = (tenantId: string): string => `${PREFIX.majorIncidentRegister}${checked(tenantId, 'tenant')}`;

/**
 * `publications-<tenantId>` and `grouppublications-<groupId>`: kinds of their own, which no log
 * reader that knows tenants mistakes (they start neither `tenant-` nor `tenantgroup-`).
 */
export const publicationStream = (subject: PublicationSubject): string =>
  subject.kind === 'tenant'
    ? `${PREFIX.tenantPublications}${checked(subject.tenantId, 'tenant')}`
    : `${PREFIX.groupPublications}${checked(subject.groupId, 'group')}`;

/**
 * A tenant's webhook registrations: `webhooks-<tenantId>`. No reader of the log mistakes it for a
 * tenant's, a ticket's or a catalogue entry's, and the tenant feed leaves it out (it holds receiver
 * URLs and sealed secrets, not facts of the service).
 */
export const webhooksStream = (tenantId: string): string => `${PREFIX.webhooks}${checked(tenantId, 'tenant')}`;

// ── Readers of one kind, kept for their callers: each is parseStreamId narrowed ───────────────

/** The tenant and ticket of a ticket stream; undefined for any other stream. */
export function parseTicketStream(streamId: string): TicketStreamId | undefined {
  const s = parseStreamId(streamId);
  return s?.kind === 'ticket' ? { tenantId: s.tenantId, ticketId: s.ticketId } : undefined;
}

/** Which register a stream holds: a tenant's. */
export interface MajorIncidentRegisterStreamId {
  tenantId: string;
}

/** The tenant of a register stream; undefined for any other stream. */
export function parseMajorIncidentRegisterStream(streamId: string): MajorIncidentRegisterStreamId | undefined {
  const s = parseStreamId(streamId);
  return s?.kind === 'major-incident-register' ? { tenantId: s.tenantId } : undefined;
}

/** Whose publications a stream holds; undefined for any other stream. */
export function parsePublicationStream(streamId: string): { kind: 'tenant' | 'group'; id: string } | undefined {
  const s = parseStreamId(streamId);
  return s?.kind === 'publications' ? { kind: s.subject, id: s.id } : undefined;
}

/** The group a stream holds; undefined for any other stream. */
export function tenantGroupOfStream(streamId: string): string | undefined {
  const s = parseStreamId(streamId);
  return s?.kind === 'catalogue' && s.catalogueKind === 'TenantGroup' ? s.id : undefined;
}
