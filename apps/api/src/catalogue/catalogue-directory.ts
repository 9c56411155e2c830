import { Inject, Injectable } from '@nestjs/common';
import {
  catalogueEventOf,
  evolveCatalogue,
  initialCatalogueState,
  parseStreamId,
  toDomainEvent,
  type CatalogueEvent,
  type CatalogueKind,
  type CatalogueState,
} from '@itsm/domain';
import { EVENT_STORE, type EventStore, type LogPosition } from '@itsm/event-store';

/** The kinds listed from here; tenants are listed from the read models (GET /v1/tenants). */
export type ListedKind = Exclude<CatalogueKind, 'Tenant'>;
const LISTED: ListedKind[] = ['Service', 'Supplier', 'ResolverGroup', 'TenantGroup'];

const isListed = (kind: CatalogueKind): kind is ListedKind => (LISTED as CatalogueKind[]).includes(kind);

/** Which listed kind and entry a stream holds: by its name, when its event is a catalogue fact of that kind (`ServiceRegistered`). */
function entryOf(streamId: string, type: string): [ListedKind, string] | undefined {
  const s = parseStreamId(streamId);
  if (s?.kind !== 'catalogue' || !isListed(s.catalogueKind) || catalogueEventOf(type)?.kind !== s.catalogueKind) return undefined;
  return [s.catalogueKind, s.id];
}

/**
 * Every service, supplier, resolver group and tenant group, for the list endpoints: folded from the
 * catalogue streams of the log, read forwards from the last event this process saw (the first list
 * reads the whole log once, at readAll's pace; later ones only what was appended since). Each list
 * reads up to the head first, so an entry registered before the request is listed (a 201 is durable
 * before it is answered).
 *
 * Held in memory, per process, and disposable. The reports projection keeps tenants, services and
 * suppliers but not resolver or tenant groups; once it keeps every kind, lists should be read from
 * there like GET /v1/tenants, and this goes.
 */
@Injectable()
export class CatalogueDirectory {
  private readonly entries = new Map<ListedKind, Map<string, { state: CatalogueState<object>; revision: bigint }>>(LISTED.map((k) => [k, new Map()]));
  private position: LogPosition | undefined;
  private reading: Promise<void> = Promise.resolve();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Every registered entry of a kind, by id. */
  async all<T extends object>(kind: ListedKind): Promise<T[]> {
    return (await this.withRevisions<T>(kind)).map((e) => e.value);
  }

  /** Every registered entry of a kind with its stream's revision (its ETag), by id. */
  async withRevisions<T extends object>(kind: ListedKind): Promise<Array<{ id: string; value: T; revision: bigint }>> {
    await this.catchUp();
    return [...this.entries.get(kind)!]
      .filter(([, e]) => e.state.value !== undefined)
      .map(([id, e]) => ({ id, value: e.state.value as T, revision: e.revision }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** One reader at a time, each from where the last stopped; a failed read is retried by the next call. */
  private catchUp(): Promise<void> {
    const next = this.reading.catch(() => undefined).then(() => this.readNewEvents());
    this.reading = next;
    return next;
  }

  private async readNewEvents(): Promise<void> {
    for await (const e of this.store.readAll({ after: this.position })) {
      const entry = entryOf(e.streamId, e.type);
      if (entry) {
        const [kind, id] = entry;
        const byId = this.entries.get(kind)!;
        byId.set(id, {
          state: evolveCatalogue(byId.get(id)?.state ?? initialCatalogueState<object>(), toDomainEvent<CatalogueEvent>(e)),
          revision: e.revision,
        });
      }
      this.position = e.position;
    }
  }
}
