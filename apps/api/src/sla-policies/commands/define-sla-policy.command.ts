import type { DefineSlaPolicyVersion } from '@itsm/domain';
import type { CommandRequest } from '../../common/command-request';

export class DefineSlaPolicyCommand {
  constructor(
    readonly tenantId: string,
    readonly policy: DefineSlaPolicyVersion,
    readonly request: CommandRequest,
  ) {}
}
