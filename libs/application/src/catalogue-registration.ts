import { catalogueStream, decideCatalogue, EVENT_SCHEMA_VERSION, evolveCatalogue, initialCatalogueState, type CatalogueKind, type CatalogueState } from '@itsm/domain';
import { handleCommand, type CommandMetadata, type CommandResult, type EventStore } from '@itsm/event-store';

/**
 * Registers a catalogue entry unless it exists, through the command path (as the admin API does,
 * without its HTTP layer): for loaders and importers. The command id makes it idempotent.
 */
export function registerCatalogueEntry(
  store: EventStore,
  entry: { kind: CatalogueKind; id: string; value: object },
  metadata: CommandMetadata,
  at: Date,
): Promise<CommandResult> {
  return handleCommand<CatalogueState<object>, { type: string; data: object }>(store, {
    streamId: catalogueStream[entry.kind](entry.id),
    initialState: initialCatalogueState,
    evolve: evolveCatalogue,
    decide: (state) => (state.value ? [] : decideCatalogue(entry.kind, { type: 'register', value: entry.value }, state, at.toISOString())),
    metadata,
    schemaVersion: EVENT_SCHEMA_VERSION,
    now: () => at,
  });
}
