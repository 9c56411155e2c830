import { CATALOGUE_ID, evolveSlaPolicy, initialSlaPolicyState, slaPolicyStream, toDomainEvent, type SlaPolicyEvent, type SlaPolicyState } from '@itsm/domain';
import { readWhole, type EventStore } from '@itsm/event-store';

/** A tenant's SLA policy versions, folded from its policy stream. */
export class SlaPolicyRepository {
  constructor(private readonly store: EventStore) {}

  async load(tenantId: string): Promise<{ state: SlaPolicyState; revision: bigint | undefined }> {
    if (!CATALOGUE_ID.test(tenantId)) return { state: initialSlaPolicyState(), revision: undefined };
    const events = await readWhole(this.store, slaPolicyStream(tenantId));
    return {
      state: events.reduce((s, e) => evolveSlaPolicy(s, toDomainEvent<SlaPolicyEvent>(e)), initialSlaPolicyState()),
      revision: events.at(-1)?.revision,
    };
  }
}
