import { randomUUID } from 'node:crypto';
import { TicketService } from '@itsm/application';
import type { TicketCommand } from '@itsm/domain';
import { type EventStore, type EventToAppend } from '@itsm/event-store';
import { CoL, desktop, konica, MovableClock, printing, serviceDesk, slaPolicy } from '@itsm/test-kit';

const seedEvent = (type: string, data: object, occurredAt = '2023-01-01T00:00:00.000Z'): EventToAppend => ({
  id: randomUUID(),
  type,
  data: { ...data, occurredAt },
  metadata: { actor: 'seed' },
});

/** Tenant CoL with the 2023 policy, one supplier, two services, two groups. */
export async function seedCatalogue(store: EventStore): Promise<void> {
  await store.append('tenant-CoL', [seedEvent('TenantRegistered', CoL)], { expectedRevision: 'any' });
  await store.append('supplier-konica', [seedEvent('SupplierRegistered', konica)], { expectedRevision: 'any' });
  await store.append('service-printing', [seedEvent('ServiceRegistered', { ...printing, tenantIds: ['CoL'] })], { expectedRevision: 'any' });
  await store.append(
    'service-crm',
    [
      seedEvent('ServiceRegistered', {
        serviceId: 'crm',
        name: 'CRM',
        tenantIds: ['CoL'],
        critical: true,
        ownership: 'business_owned',
        availabilityTargetPct: 99.5,
      }),
    ],
    { expectedRevision: 'any' },
  );
  for (const g of [serviceDesk, desktop]) {
    await store.append(`resolver-group-${g.groupId}`, [seedEvent('ResolverGroupRegistered', { ...g, tenantIds: ['CoL'] })], { expectedRevision: 'any' });
  }
  await store.append('sla-policy-CoL', [seedEvent('SlaPolicyVersionDefined', slaPolicy('CoL'))], { expectedRevision: 'any' });
}

/** Runs commands through the real command path, each at its own occurredAt. */
export function commander(store: EventStore) {
  const clock = new MovableClock(0);
  const service = new TicketService(store, clock);
  return async (ticketId: string, command: Omit<TicketCommand, 'occurredAt'> & { type: TicketCommand['type'] }, occurredAt: string) => {
    clock.set(occurredAt);
    const commandId = randomUUID();
    return service.execute('CoL', ticketId, { ...command, occurredAt } as TicketCommand, {
      metadata: { commandId, actor: 'test', tenantId: 'CoL', correlationId: commandId, causationId: commandId, requestHash: commandId },
    });
  };
}

export const raise = (ticketId: string, priority: string, kind = 'incident', serviceId = 'printing') =>
  ({
    type: 'RaiseTicket',
    ticketId,
    tenantId: 'CoL',
    kind,
    priority,
    serviceId,
    title: `${ticketId}`,
    description: 'd',
    reporter: 'r',
    channel: 'phone',
  }) as never;
export const resolve = (groupId = 'desktop', firstLineFix = false) =>
  ({ type: 'ResolveTicket', resolutionCode: 'fixed', rootCause: 'cause', resolvedByGroupId: groupId, firstLineFix }) as never;
