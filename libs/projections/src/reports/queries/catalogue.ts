import { versionInForce, type SlaPolicyState, type SlaPolicyVersion } from '@itsm/domain';
import type { ReportReads } from './report-reads';

/** A catalogue document of a service (`service:<id>`). */
export interface ServiceCatalogueDoc {
  id: string;
  kind: 'service';
  value: { serviceId: string; name: string; tenantIds: string[]; ownership: string; supplierId?: string; availabilityTargetPct: number };
}

/** A catalogue document of a supplier (`supplier:<id>`), with its contract targets. */
export interface SupplierCatalogueDoc {
  id: string;
  kind: 'supplier';
  value: { supplierId: string; name: string; targets: { firstTimeFixPct: number; uptimePct: number; meanResponseMinutes: number } };
}

/** A tenant's SLA policy and its versions (`policy:<tenantId>`). */
export interface PolicyCatalogueDoc {
  id: string;
  kind: 'policy';
  state: SlaPolicyState;
}

export const services = (reads: ReportReads) => reads.all<ServiceCatalogueDoc>('catalogue', { kind: 'service' });
export const suppliers = (reads: ReportReads) => reads.all<SupplierCatalogueDoc>('catalogue', { kind: 'supplier' });

/** Names of tenants, services and suppliers by catalogue key (`service:email`). */
export async function catalogueNames(reads: ReportReads): Promise<Map<string, string>> {
  const docs = await reads.all<{ id: string; value?: { name?: string } }>('catalogue', {});
  return new Map(docs.filter((d) => d.value?.name).map((d) => [d.id, d.value!.name!]));
}

/** Each service's ownership (it_owned, supplier_managed, business_owned ...). */
export async function serviceOwnership(reads: ReportReads): Promise<Map<string, string>> {
  return new Map((await services(reads)).map((d) => [d.value.serviceId, d.value.ownership]));
}

/** The tenant's SLA policy version in force at an instant (the one its tickets raised then pinned). */
export async function slaPolicyAt(reads: ReportReads, tenantId: string, at: number): Promise<SlaPolicyVersion | undefined> {
  const doc = await reads.get<PolicyCatalogueDoc>('catalogue', `policy:${tenantId}`);
  return doc ? versionInForce(doc.state, at) : undefined;
}
