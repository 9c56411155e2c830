import {
  catalogueDecider,
  catalogueReferences,
  catalogueStream,
  EVENT_SCHEMA_VERSION,
  toDomainEvent,
  type CatalogueCommand,
  type CatalogueContext,
  type CatalogueEvent,
  type CatalogueKind,
  type CatalogueState,
  type CatalogueValues,
  type Supplier,
  type Tenant,
} from '@itsm/domain';
import { handleCommand, type CommandMetadata, type CommandResult, type EventStore } from '@itsm/event-store';
import { CatalogueRepository } from './catalogue-repository';

/** register / revise as operators ask; ensure: register unless it exists (loaders and importers). */
export type CatalogueAction = 'register' | 'revise' | 'ensure';

const COMMAND_TYPES = { register: 'RegisterCatalogueEntry', revise: 'ReviseCatalogueEntry', ensure: 'EnsureCatalogueEntry' } as const;

/**
 * What the catalogue decider needs beyond the entry's stream: of the tenants and suppliers the value
 * names, those that are registered.
 */
export async function lookUpCatalogueContext(catalogue: CatalogueRepository, command: Pick<CatalogueCommand, 'kind' | 'value'>): Promise<CatalogueContext> {
  const named = catalogueReferences(command);
  const [tenants, suppliers] = await Promise.all([
    Promise.all(named.tenantIds.map((id) => catalogue.value<Tenant>('Tenant', id))),
    Promise.all(named.supplierIds.map((id) => catalogue.value<Supplier>('Supplier', id))),
  ]);
  return {
    knownTenantIds: new Set(tenants.flatMap((t) => (t ? [t.tenantId] : []))),
    knownSupplierIds: new Set(suppliers.flatMap((s) => (s ? [s.supplierId] : []))),
  };
}

/**
 * The one command path for catalogue entries: the admin API, the demo loader and the importers.
 * The catalogue decider holds every rule: the entries the value names are looked up here, and the
 * decider refuses a value that breaks a rule, a second registration or a revision of nothing.
 */
export async function executeCatalogueCommand(
  store: EventStore,
  entry: { kind: CatalogueKind; id: string; action: CatalogueAction; value: object },
  metadata: CommandMetadata,
  now: () => Date,
  expectedRevision?: bigint,
  /** When the system learns it (metadata.recordedAt): `now` unless an importer keeps the two apart. */
  recordedNow: () => Date = now,
): Promise<CommandResult> {
  const command = { kind: entry.kind, value: entry.value as CatalogueValues[CatalogueKind] };
  const context = await lookUpCatalogueContext(new CatalogueRepository(store), command);
  return handleCommand<CatalogueState<CatalogueValues[CatalogueKind]>, CatalogueEvent>(store, {
    streamId: catalogueStream[entry.kind](entry.id),
    initialState: catalogueDecider.initialState,
    evolve: (state, event) => catalogueDecider.evolve(state, toDomainEvent(event)),
    decide: (state) =>
      catalogueDecider.decide({ ...command, type: COMMAND_TYPES[entry.action], occurredAt: now().toISOString() } as CatalogueCommand, state, context),
    metadata,
    expectedRevision,
    schemaVersion: EVENT_SCHEMA_VERSION,
    now: recordedNow,
  });
}
