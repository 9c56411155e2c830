import { Inject, Injectable } from '@nestjs/common';
import { catalogueStream, evolveCatalogue, initialCatalogueState, type CatalogueKind } from '@itsm/domain';
import { EVENT_STORE, readWhole, type EventStore } from '@itsm/event-store';

/** Reads one catalogue entry's current value by folding its stream (small: a few events each). */
@Injectable()
export class CatalogueReader {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async get<T>(kind: CatalogueKind, id: string | undefined): Promise<{ value: T; revision: bigint } | undefined> {
    if (id === undefined || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(id)) return undefined;
    const events = await readWhole(this.store, catalogueStream[kind](id));
    if (events.length === 0) return undefined;
    const state = events.reduce((s, e) => evolveCatalogue<T>(s, e), initialCatalogueState<T>());
    return state.value === undefined ? undefined : { value: state.value, revision: events[events.length - 1].revision };
  }

  async value<T>(kind: CatalogueKind, id: string | undefined): Promise<T | undefined> {
    return (await this.get<T>(kind, id))?.value;
  }
}
