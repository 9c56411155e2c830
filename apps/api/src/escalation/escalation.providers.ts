import type { Provider } from '@nestjs/common';
import { EscalationPolicyRepository } from '@itsm/application';
import { EVENT_STORE, type EventStore } from '@itsm/event-store';
import { DefineEscalationPolicyHandler } from './handlers/define-escalation-policy.handler';

export { EscalationPolicyController } from './escalation-policy.controller';

/** The escalation policy's repository and command handler, registered in AppModule. */
export const escalationProviders: Provider[] = [
  { provide: EscalationPolicyRepository, inject: [EVENT_STORE], useFactory: (store: EventStore) => new EscalationPolicyRepository(store) },
  DefineEscalationPolicyHandler,
];
