import {
  CATALOGUE_ID,
  escalationPolicyDecider,
  escalationPolicyStream,
  EVENT_SCHEMA_VERSION,
  foldEvents,
  namedNotifyTargets,
  toDomainEvent,
  type DefineEscalationPolicyVersion,
  type EscalationPolicyEvent,
  type EscalationPolicyState,
  type ResolverGroup,
  type Supplier,
} from '@itsm/domain';
import { handleCommand, readWhole, type CommandMetadata, type CommandResult, type EventStore } from '@itsm/event-store';
import { CatalogueRepository } from './catalogue-repository';

/** A tenant's escalation policy versions, folded from its stream. */
export class EscalationPolicyRepository {
  constructor(private readonly store: EventStore) {}

  async load(tenantId: string): Promise<{ state: EscalationPolicyState; revision: bigint | undefined }> {
    if (!CATALOGUE_ID.test(tenantId)) return { state: escalationPolicyDecider.initialState(), revision: undefined };
    const events = await readWhole(this.store, escalationPolicyStream(tenantId));
    return {
      state: foldEvents(
        escalationPolicyDecider,
        events.map((e) => toDomainEvent<EscalationPolicyEvent>(e)),
      ),
      revision: events.at(-1)?.revision,
    };
  }
}

/**
 * The one command path for a tenant's next escalation policy version: the groups and suppliers its
 * rules notify are looked up (a group must serve the tenant), then the pure decider rules.
 */
export async function defineEscalationPolicyVersion(
  store: EventStore,
  policy: DefineEscalationPolicyVersion,
  metadata: CommandMetadata,
  now: () => Date,
  options: { expectedRevision?: bigint } = {},
): Promise<CommandResult> {
  const catalogue = new CatalogueRepository(store);
  const named = namedNotifyTargets(policy.rules);
  const [groups, suppliers] = await Promise.all([
    Promise.all(named.groupIds.map((id) => catalogue.value<ResolverGroup>('ResolverGroup', id))),
    Promise.all(named.supplierIds.map((id) => catalogue.value<Supplier>('Supplier', id))),
  ]);
  const knownGroupIds = new Set(groups.filter((g): g is ResolverGroup => !!g && g.tenantIds.includes(policy.tenantId)).map((g) => g.groupId));
  const knownSupplierIds = new Set(suppliers.filter((s): s is Supplier => !!s).map((s) => s.supplierId));
  return handleCommand<EscalationPolicyState, EscalationPolicyEvent>(store, {
    streamId: escalationPolicyStream(policy.tenantId),
    initialState: escalationPolicyDecider.initialState,
    evolve: (state, event) => escalationPolicyDecider.evolve(state, toDomainEvent(event)),
    decide: (state) =>
      escalationPolicyDecider.decide({ type: 'DefineEscalationPolicyVersion', policy, occurredAt: now().toISOString() }, state, {
        knownGroupIds,
        knownSupplierIds,
      }),
    metadata,
    expectedRevision: options.expectedRevision,
    schemaVersion: EVENT_SCHEMA_VERSION,
    now,
  });
}
