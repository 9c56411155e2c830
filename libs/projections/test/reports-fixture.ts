import { randomUUID } from 'node:crypto';
import { TicketService } from '@itsm/application';
import { cityOfLondon2023, type TicketCommand } from '@itsm/domain';
import { type EventStore, type EventToAppend } from '@itsm/event-store';

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(public at: number) {}
  now() {
    return new Date(this.at);
  }
}

const seedEvent = (type: string, data: object, occurredAt = '2023-01-01T00:00:00.000Z'): EventToAppend => ({
  id: randomUUID(),
  type,
  data: { ...data, occurredAt } as never,
  metadata: { actor: 'seed' },
});

/** Tenant CoL with the 2023 policy, one supplier, two services, two groups. */
export async function seedCatalogue(store: EventStore): Promise<void> {
  const tenant = { tenantId: 'CoL', name: 'City of London Corporation', timeZone: 'Europe/London', priorityMatrix: [['P1', 'P2', 'P3'], ['P2', 'P3', 'P4'], ['P3', 'P4', 'P4']], autoCloseDays: 5, reopenWindowDays: 10 };
  await store.append('tenant-CoL', [seedEvent('TenantRegistered', tenant)], { expectedRevision: 'any' });
  await store.append('supplier-konica', [seedEvent('SupplierRegistered', { supplierId: 'konica', name: 'Konica', targets: { firstTimeFixPct: 95, uptimePct: 97, meanResponseMinutes: 240 } })], { expectedRevision: 'any' });
  await store.append('service-printing', [seedEvent('ServiceRegistered', { serviceId: 'printing', name: 'Printing', tenantIds: ['CoL'], critical: false, ownership: 'it_owned', supplierId: 'konica', availabilityTargetPct: 99 })], { expectedRevision: 'any' });
  await store.append('service-crm', [seedEvent('ServiceRegistered', { serviceId: 'crm', name: 'CRM', tenantIds: ['CoL'], critical: true, ownership: 'business_owned', availabilityTargetPct: 99.5 })], { expectedRevision: 'any' });
  for (const g of [{ groupId: 'service-desk', serviceDesk: true }, { groupId: 'desktop', serviceDesk: false }]) {
    await store.append(`resolver-group-${g.groupId}`, [seedEvent('ResolverGroupRegistered', { ...g, name: g.groupId, tenantIds: ['CoL'] })], { expectedRevision: 'any' });
  }
  await store.append('sla-policy-CoL', [seedEvent('SlaPolicyVersionDefined', { ...cityOfLondon2023('CoL'), version: 1 })], { expectedRevision: 'any' });
}

/** Runs commands through the real command path, each at its own occurredAt. */
export function commander(store: EventStore) {
  const clock = new FakeClock(0);
  const service = new TicketService(store, clock);
  return async (ticketId: string, command: Omit<TicketCommand, 'occurredAt'> & { type: TicketCommand['type'] }, occurredAt: string) => {
    clock.at = Date.parse(occurredAt);
    const commandId = randomUUID();
    return service.execute('CoL', ticketId, { ...command, occurredAt } as TicketCommand, {
      metadata: { commandId, actor: 'test', tenantId: 'CoL', correlationId: commandId, causationId: commandId, requestHash: commandId },
    });
  };
}

export const raise = (ticketId: string, priority: string, kind = 'incident', serviceId = 'printing') =>
  ({ type: 'RaiseTicket', ticketId, tenantId: 'CoL', kind, priority, serviceId, title: `${ticketId}`, description: 'd', reporter: 'r', channel: 'phone' }) as never;
export const resolve = (groupId = 'desktop', firstLineFix = false) =>
  ({ type: 'ResolveTicket', resolutionCode: 'fixed', rootCause: 'cause', resolvedByGroupId: groupId, firstLineFix }) as never;
