import { Injectable } from '@nestjs/common';
import type { ResolverGroup, Service, Supplier, Tenant, TicketCommand, TicketContext } from '@itsm/domain';
import { CatalogueReader } from '../catalogue/catalogue-reader';

/** Looks up the catalogue entries a ticket command names, so that decide can check them. */
@Injectable()
export class TicketContextLoader {
  constructor(private readonly catalogue: CatalogueReader) {}

  async load(tenantId: string, command: TicketCommand, now: Date): Promise<TicketContext> {
    const serviceId = 'serviceId' in command ? command.serviceId : undefined;
    const groupId = command.type === 'AssignTicket' ? command.groupId : command.type === 'ResolveTicket' ? command.resolvedByGroupId : undefined;
    const supplierId = command.type === 'AssignTicket' ? command.supplierId : undefined;
    const [tenant, service, group, supplier] = await Promise.all([
      this.catalogue.value<Tenant>('Tenant', tenantId),
      this.catalogue.value<Service>('Service', serviceId),
      this.catalogue.value<ResolverGroup>('ResolverGroup', groupId),
      this.catalogue.value<Supplier>('Supplier', supplierId),
    ]);
    let knownTenantIds: Set<string> | undefined;
    if (command.type === 'DeclareMajorIncident') {
      const found = await Promise.all(command.tenantsAffected.map((t) => this.catalogue.value<Tenant>('Tenant', t)));
      knownTenantIds = new Set(found.filter((t): t is Tenant => !!t).map((t) => t.tenantId));
    }
    return { now: now.toISOString(), tenant, service, group, supplier, knownTenantIds };
  }
}
