import { CATALOGUE_ID } from '../catalogue/validate-catalogue';

/** Which register a stream holds: a tenant's. */
export interface MajorIncidentRegisterStreamId {
  tenantId: string;
}

const PREFIX = 'major-incidents-';

/**
 * A tenant's major incident register: `major-incidents-<tenantId>` (at most 80 characters). It says
 * which ticket holds each register reference (MIR200) in that tenant, so that a reference names one
 * major incident per tenant. It is neither a ticket stream nor a catalogue stream: readers that know
 * only those kinds pass it by. Its events carry the register's tenant in their metadata, so export
 * and verify scope it to that tenant. Throws on an id that is not a tenant id (callers check first).
 */
export function majorIncidentRegisterStream(tenantId: string): string {
  if (!CATALOGUE_ID.test(tenantId)) throw new Error(`Not a tenant id: ${JSON.stringify(tenantId)}`);
  return `${PREFIX}${tenantId}`;
}

/** The tenant of a register stream; undefined for any other stream. The one parser of register stream names. */
export function parseMajorIncidentRegisterStream(streamId: string): MajorIncidentRegisterStreamId | undefined {
  if (!streamId.startsWith(PREFIX)) return undefined;
  const tenantId = streamId.slice(PREFIX.length);
  return CATALOGUE_ID.test(tenantId) ? { tenantId } : undefined;
}
