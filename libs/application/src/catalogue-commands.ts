import { catalogueStream, decideCatalogue, EVENT_SCHEMA_VERSION, evolveCatalogue, initialCatalogueState, type CatalogueKind, type CatalogueState } from '@itsm/domain';
import { handleCommand, type CommandMetadata, type CommandResult, type EventStore } from '@itsm/event-store';

/** register / revise as operators ask; ensure: register unless it exists (loaders and importers). */
export type CatalogueAction = 'register' | 'revise' | 'ensure';

/**
 * The one command path for catalogue entries: the admin API, the demo loader and the importers.
 * The caller validates the value against the catalogue first (names that must exist).
 */
export function executeCatalogueCommand(
  store: EventStore,
  entry: { kind: CatalogueKind; id: string; action: CatalogueAction; value: object },
  metadata: CommandMetadata,
  now: () => Date,
  expectedRevision?: bigint,
  /** When the system learns it (metadata.recordedAt): `now` unless an importer keeps the two apart. */
  recordedNow: () => Date = now,
): Promise<CommandResult> {
  return handleCommand<CatalogueState<object>, { type: string; data: object }>(store, {
    streamId: catalogueStream[entry.kind](entry.id),
    initialState: initialCatalogueState,
    evolve: evolveCatalogue,
    decide: (state) =>
      entry.action === 'ensure' && state.value ? [] : decideCatalogue(entry.kind, { type: entry.action === 'revise' ? 'revise' : 'register', value: entry.value }, state, now().toISOString()),
    metadata,
    expectedRevision,
    schemaVersion: EVENT_SCHEMA_VERSION,
    now: recordedNow,
  });
}
