import { decideSlaPolicy, EVENT_SCHEMA_VERSION, evolveSlaPolicy, initialSlaPolicyState, slaPolicyStream, type DefineSlaPolicyVersion, type SlaPolicyState, type SlaPolicyVersionDefined } from '@itsm/domain';
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
  return handleCommand<SlaPolicyState, SlaPolicyVersionDefined>(store, {
    streamId: slaPolicyStream(policy.tenantId),
    initialState: initialSlaPolicyState,
    evolve: evolveSlaPolicy,
    decide: (state) => (options.unlessDefined && state.versions.length ? [] : decideSlaPolicy(policy, state, now().toISOString())),
    metadata,
    expectedRevision: options.expectedRevision,
    schemaVersion: EVENT_SCHEMA_VERSION,
    now,
  });
}
