import {
  EVENT_SCHEMA_VERSION,
  slaPolicyDecider,
  slaPolicyStream,
  toDomainEvent,
  type DefineSlaPolicyVersion,
  type SlaPolicyEvent,
  type SlaPolicyState,
} from '@itsm/domain';
import { handleCommand, type CommandMetadata, type CommandResult, type EventStore } from '@itsm/event-store';

/**
 * The one command path for a tenant's next SLA policy version (admin API, demo loader).
 * unlessDefined: append nothing when the tenant already has a version (a loader run again).
 */
export function defineSlaPolicyVersion(
  store: EventStore,
  policy: DefineSlaPolicyVersion,
  metadata: CommandMetadata,
  now: () => Date,
  options: { expectedRevision?: bigint; unlessDefined?: boolean } = {},
): Promise<CommandResult> {
  return handleCommand<SlaPolicyState, SlaPolicyEvent>(store, {
    streamId: slaPolicyStream(policy.tenantId),
    initialState: slaPolicyDecider.initialState,
    evolve: (state, event) => slaPolicyDecider.evolve(state, toDomainEvent(event)),
    decide: (state) =>
      options.unlessDefined && state.versions.length
        ? []
        : slaPolicyDecider.decide({ type: 'DefineSlaPolicyVersion', policy, occurredAt: now().toISOString() }, state),
    metadata,
    expectedRevision: options.expectedRevision,
    schemaVersion: EVENT_SCHEMA_VERSION,
    now,
  });
}
