import { CATALOGUE_ID, catalogueStream, evolveCatalogue, initialCatalogueState, toDomainEvent, type CatalogueEvent, type CatalogueKind } from '@itsm/domain';
import { readWhole, type EventStore } from '@itsm/event-store';

/** Reads one catalogue entry's current value by folding its stream (a few events each). */
export class CatalogueRepository {
  constructor(private readonly store: EventStore) {}

  async get<T>(kind: CatalogueKind, id: string | undefined): Promise<{ value: T; revision: bigint } | undefined> {
    if (id === undefined || !CATALOGUE_ID.test(id)) return undefined;
    const events = await readWhole(this.store, catalogueStream[kind](id));
    const latest = events.at(-1);
    if (latest === undefined) return undefined;
    const state = events.reduce((s, e) => evolveCatalogue<T>(s, toDomainEvent<CatalogueEvent>(e)), initialCatalogueState<T>());
    return state.value === undefined ? undefined : { value: state.value, revision: latest.revision };
  }

  async value<T>(kind: CatalogueKind, id: string | undefined): Promise<T | undefined> {
    return (await this.get<T>(kind, id))?.value;
  }
}
