import type { AggregateDoc } from '../reports.projection';
import { catalogueNames } from './catalogue';
import type { ReportReads } from './report-reads';

/** An entry of a tenant's major incident register. */
export type MajorIncidentEntry = {
  reference: string;
  /** The register's tenant. */
  tenantId: string;
  /** The tenant whose ticket the major incident was declared on. */
  ticketTenantId: string;
  ticketId: string;
  tenantsAffected: string[];
  description: string | null;
  declaredAt: string | null;
  priority: string;
  serviceId: string;
  service: string;
  status: string;
  raisedAt: string;
  resolvedAt: string | null;
  rootCause: string | null;
  resolution: string | null;
  outageMinutes: number;
};
export type MajorIncidentRow = MajorIncidentEntry;

/** A major_incidents document: the register entry of one affected tenant; tenants affected joined by commas. */
export type MajorIncidentDoc = AggregateDoc & Omit<MajorIncidentEntry, 'tenantsAffected' | 'service'> & { tenantsAffected: string };

export interface MajorIncidentsQuery {
  tenantId?: string;
  names?: Map<string, string>;
}

/**
 * The major incident register of a tenant: every major incident that affected it, whichever
 * tenant's ticket it was declared on, with its description, cause and service name.
 */
export async function majorIncidents(reads: ReportReads, q: MajorIncidentsQuery): Promise<MajorIncidentEntry[]> {
  const docs = await reads.all<MajorIncidentDoc>('major_incidents', q.tenantId ? { tenantId: q.tenantId } : {});
  const names = q.names ?? (await catalogueNames(reads));
  return docs
    .map(({ id: _i, n: _n, counts: _c, tenantsAffected, ...rest }) => ({
      ...rest,
      service: names.get(`service:${rest.serviceId}`) ?? rest.serviceId,
      tenantsAffected: tenantsAffected.split(','),
    }))
    .sort((a, b) => a.raisedAt.localeCompare(b.raisedAt) || a.reference.localeCompare(b.reference));
}
