import { defineSlaPolicyVersion, executeCatalogueCommand } from '@itsm/application';
import { EVENT_SCHEMA_VERSION, ticketStream, type CatalogueKind } from '@itsm/domain';
import { commandEvents, systemCommand, type EventStore, type EventToAppend } from '@itsm/event-store';
import type { Catalogue } from './demo-catalogue';
import type { TicketStep } from './history-generator';

/**
 * Registers a catalogue and its SLA policies through the command path the admin API takes, so the
 * catalogue decider judges every entry by the same rules (idempotent: the command ids are fixed and
 * entries are ensured, so a second load appends nothing). Entries are registered in the order the
 * rules need: tenants and suppliers before the services and groups that name them.
 */
export async function loadCatalogue(store: EventStore, catalogue: Catalogue, at: Date): Promise<void> {
  const ensure = (kind: CatalogueKind, id: string, value: object, tenantId: string) =>
    executeCatalogueCommand(store, { kind, id, action: 'ensure', value }, systemCommand(`sim/catalogue/${kind}/${id}`, 'sim:admin', tenantId), () => at);
  for (const t of catalogue.tenants) await ensure('Tenant', t.tenantId, t, t.tenantId);
  for (const s of catalogue.suppliers) await ensure('Supplier', s.supplierId, s, '*');
  for (const s of catalogue.services) await ensure('Service', s.serviceId, s, '*');
  for (const g of catalogue.groups) await ensure('ResolverGroup', g.groupId, g, '*');
  for (const p of catalogue.policies) {
    await defineSlaPolicyVersion(store, p, systemCommand(`sim/sla-policy/${p.tenantId}`, 'sim:admin', p.tenantId), () => at, { unlessDefined: true });
  }
}

export interface LoadProgress {
  steps: number;
  events: number;
}

/**
 * Appends generated ticket steps in bulk: each step becomes the events its command would have
 * appended (same metadata, same hash chain), recorded at the step's own time, many streams per
 * transaction. For benchmarks and demo data where the HTTP path would take hours; the store must
 * not hold these tickets yet.
 */
export async function appendHistory(
  store: EventStore,
  steps: Iterable<TicketStep>,
  options: { seed: number; chunk?: number; onProgress?: (p: LoadProgress) => void } = { seed: 0 },
): Promise<LoadProgress> {
  const chunk = options.chunk ?? 2000;
  const last = new Map<string, { revision: bigint; hash: string }>();
  const progress: LoadProgress = { steps: 0, events: 0 };
  let batch = new Map<string, { expected: bigint | 'no_stream'; events: EventToAppend[] }>();
  const flush = async () => {
    await Promise.all([...batch].map(([streamId, b]) => store.append(streamId, b.events, { expectedRevision: b.expected })));
    batch = new Map();
    options.onProgress?.(progress);
  };
  let inBatch = 0;
  for (const step of steps) {
    const streamId = ticketStream(step.tenantId, step.ticketId);
    const previous = last.get(streamId);
    const events = commandEvents(
      streamId,
      previous,
      step.events,
      systemCommand(`sim/${options.seed}/${step.ticketId}/${step.index}`, 'sim:desk', step.tenantId),
      EVENT_SCHEMA_VERSION,
      new Date(step.at).toISOString(),
    );
    const pending = batch.get(streamId) ?? { expected: previous?.revision ?? 'no_stream', events: [] };
    pending.events.push(...events);
    batch.set(streamId, pending);
    const hash = events.at(-1)?.metadata?.hash;
    if (typeof hash !== 'string') throw new Error(`Step ${step.index} of ticket ${step.ticketId} produced no hashed event`);
    last.set(streamId, { revision: (previous?.revision ?? -1n) + BigInt(events.length), hash });
    progress.steps++;
    progress.events += events.length;
    if (++inBatch >= chunk) {
      await flush();
      inBatch = 0;
    }
  }
  if (batch.size) await flush();
  return progress;
}
