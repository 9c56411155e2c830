import type { DefineEscalationPolicyVersion } from '@itsm/domain';
import type { CommandRequest } from '../../common/command-request';

export class DefineEscalationPolicyCommand {
  constructor(
    readonly tenantId: string,
    readonly policy: DefineEscalationPolicyVersion,
    readonly request: CommandRequest,
  ) {}
}
