import { Inject, Injectable } from '@nestjs/common';
import { evolveCatalogue, initialCatalogueState, tenantGroupOfStream, type CatalogueState, type TenantGroup } from '@itsm/domain';
import { EVENT_STORE, type EventStore, type LogPosition } from '@itsm/event-store';

/**
 * Every tenant group, for GET /v1/tenant-groups: folded from the group streams of the log, read
 * forwards from the last event this process saw (the first list reads the whole log once, at
 * readAll's pace; later ones only what was appended since). Each list reads up to the head first, so
 * a group registered before the request is listed (a 201 is durable before it is answered).
 *
 * Held in memory, per process, and disposable. The reports projection ignores group streams (its
 * splitStream knows no `tenantgroup-`); once it records them in its catalogue collection, the list
 * should be read from there like GET /v1/tenants, and this goes.
 */
@Injectable()
export class TenantGroupDirectory {
  private readonly groups = new Map<string, CatalogueState<TenantGroup>>();
  private position: LogPosition | undefined;
  private reading: Promise<void> = Promise.resolve();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Every registered group, by id. */
  async all(): Promise<TenantGroup[]> {
    await this.catchUp();
    return [...this.groups.values()]
      .map((s) => s.value)
      .filter((g): g is TenantGroup => g !== undefined)
      .sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  /** One reader at a time, each from where the last stopped; a failed read is retried by the next call. */
  private catchUp(): Promise<void> {
    const next = this.reading.catch(() => undefined).then(() => this.readNewEvents());
    this.reading = next;
    return next;
  }

  private async readNewEvents(): Promise<void> {
    for await (const e of this.store.readAll({ after: this.position })) {
      const groupId = tenantGroupOfStream(e.streamId);
      if (groupId !== undefined) this.groups.set(groupId, evolveCatalogue(this.groups.get(groupId) ?? initialCatalogueState<TenantGroup>(), e));
      this.position = e.position;
    }
  }
}
