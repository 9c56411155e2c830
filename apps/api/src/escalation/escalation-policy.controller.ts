import { Body, Controller, Get, HttpCode, Inject, Param, Put, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { EscalationPolicyRepository } from '@itsm/application';
import { escalationPolicyInForce, type DefineEscalationPolicyVersion, type EscalationPolicyVersion } from '@itsm/domain';
import type { CommandResult } from '@itsm/event-store';
import type { Principal } from '@itsm/auth';
import { Roles } from '../auth/auth.decorators';
import { ApiAuthenticated, ApiCommand } from '../common/api-docs.decorators';
import { CLOCK, type Clock } from '../common/clock';
import { commandRequest, setCommandHeaders } from '../common/command-request';
import { DefineEscalationPolicyCommand } from './commands/define-escalation-policy.command';
import { PutEscalationPolicyDto } from './dto/put-escalation-policy.dto';

/**
 * A tenant's escalation policy: versioned and effective-dated like its SLA policy. A PUT defines the
 * next version (the same rules again define nothing); the SLA timer records EscalationTriggered on a
 * ticket when one of its clocks crosses a rule's percentage.
 */
@ApiTags('escalation-policy')
@ApiParam({ name: 'tenant', example: 'CoL' })
@Controller('v1/tenants/:tenant/escalation-policy')
export class EscalationPolicyController {
  constructor(
    private readonly commands: CommandBus,
    private readonly policies: EscalationPolicyRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Put()
  @HttpCode(200)
  @Roles('admin')
  @ApiCommand('Define the next escalation policy version (EscalationPolicyVersionDefined)')
  async put(
    @Param('tenant') tenant: string,
    @Body() dto: PutEscalationPolicyDto,
    @Req() req: Request & { principal: Principal },
    @Res({ passthrough: true }) res: Response,
  ) {
    const policy: DefineEscalationPolicyVersion = {
      tenantId: tenant,
      rules: dto.rules.map(({ kind, priority, metric, atPercent, notify }) => ({
        kind,
        priority,
        metric,
        atPercent,
        notify,
      })) as DefineEscalationPolicyVersion['rules'],
      ...(dto.effectiveFrom !== undefined ? { effectiveFrom: dto.effectiveFrom } : {}),
    };
    const result = await this.commands.execute<DefineEscalationPolicyCommand, CommandResult>(
      new DefineEscalationPolicyCommand(tenant, policy, commandRequest(req, dto)),
    );
    setCommandHeaders(res, result);
    const latest = (await this.policies.load(tenant)).state.versions.at(-1)!;
    return { ...latest, revision: result.revision.toString(), events: result.events };
  }

  @Get()
  @Roles('admin', 'operator', 'auditor', 'reporter')
  @ApiOperation({ summary: 'Every version of the tenant escalation policy, oldest first, and the one in force now' })
  @ApiOkResponse({ description: '{tenantId, inForce, versions}: inForce is the version number in force now, or null' })
  @ApiAuthenticated()
  async get(@Param('tenant') tenant: string): Promise<{ tenantId: string; inForce: number | null; versions: EscalationPolicyVersion[] }> {
    const { state } = await this.policies.load(tenant);
    return { tenantId: tenant, inForce: escalationPolicyInForce(state, this.clock.now().getTime())?.version ?? null, versions: state.versions };
  }
}
