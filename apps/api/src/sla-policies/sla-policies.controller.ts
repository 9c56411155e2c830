import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { SlaPolicyRepository } from '@itsm/application';
import {
  DEFAULT_SLA_RULES,
  DEFAULT_WARNING_THRESHOLDS,
  cityOfLondon2023,
  invalid,
  notFound,
  sharedIct2019,
  type DefineSlaPolicyVersion,
  type SlaPolicyVersion,
} from '@itsm/domain';
import type { CommandResult } from '@itsm/event-store';
import { Roles } from '../auth/auth.decorators';
import type { Principal } from '@itsm/auth';
import { ApiAuthenticated, ApiCommand } from '../common/api-docs.decorators';
import { commandRequest, setCommandHeaders } from '../common/command-request';
import { DefineSlaPolicyCommand } from './commands/define-sla-policy.command';
import { DefineSlaPolicyDto } from './dto/define-sla-policy.dto';

const TEMPLATES = { 'city-of-london-2023': cityOfLondon2023, 'shared-ict-2019': sharedIct2019 } as const;

/** Versioned, effective-dated SLA policies per tenant (admin). Versions are never edited. */
@ApiTags('sla-policies')
@ApiParam({ name: 'tenant', example: 'CoL' })
@Controller('v1/tenants/:tenant/sla-policies')
export class SlaPoliciesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly policies: SlaPolicyRepository,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiCommand('Define the next SLA policy version (SlaPolicyVersionDefined)', 201)
  async define(@Param('tenant') tenant: string, @Body() dto: DefineSlaPolicyDto, @Req() req: Request & { principal: Principal }, @Res({ passthrough: true }) res: Response) {
    const policy = toPolicy(tenant, dto);
    const result = await this.commands.execute<DefineSlaPolicyCommand, CommandResult>(new DefineSlaPolicyCommand(tenant, policy, commandRequest(req, dto)));
    setCommandHeaders(res, result);
    return { tenantId: tenant, version: Number(result.revision) + 1, revision: result.revision.toString(), events: result.events };
  }

  @Get()
  @Roles('admin', 'operator', 'auditor', 'reporter')
  @ApiOperation({ summary: 'Every version of the tenant policy, oldest first' })
  @ApiAuthenticated()
  async list(@Param('tenant') tenant: string): Promise<SlaPolicyVersion[]> {
    return (await this.policies.load(tenant)).state.versions;
  }

  @Get(':version')
  @Roles('admin', 'operator', 'auditor', 'reporter')
  @ApiOperation({ summary: 'One version of the tenant policy' })
  @ApiAuthenticated()
  async get(@Param('tenant') tenant: string, @Param('version', ParseIntPipe) version: number): Promise<SlaPolicyVersion> {
    const found = (await this.policies.load(tenant)).state.versions.find((v) => v.version === version);
    if (!found) throw notFound('SLA_POLICY.NOT_FOUND', `Tenant ${tenant} has no SLA policy version ${version}`);
    return found;
  }
}

function toPolicy(tenantId: string, dto: DefineSlaPolicyDto): DefineSlaPolicyVersion {
  if (dto.template) {
    if (dto.calendars || dto.targets) throw invalid('SLA_POLICY.TEMPLATE_OR_TARGETS', 'give a template, or calendars and targets, not both', 'template');
    const base = TEMPLATES[dto.template](tenantId, dto.effectiveFrom);
    return { ...base, ...(dto.name ? { name: dto.name } : {}), ...(dto.warningThresholdsPct ? { warningThresholdsPct: dto.warningThresholdsPct } : {}), rules: { ...base.rules, ...stripUndefined(dto.rules ?? {}) } as typeof base.rules };
  }
  if (!dto.calendars || !dto.targets || !dto.name) {
    throw invalid('SLA_POLICY.INCOMPLETE', 'without a template, name, calendars and targets are required', dto.name ? (dto.calendars ? 'targets' : 'calendars') : 'name');
  }
  return {
    tenantId,
    effectiveFrom: dto.effectiveFrom,
    name: dto.name,
    calendars: dto.calendars.map((c) => stripUndefined({ ...c })) as DefineSlaPolicyVersion['calendars'],
    targets: dto.targets.map((t) => stripUndefined({ ...t })) as DefineSlaPolicyVersion['targets'],
    rules: { ...DEFAULT_SLA_RULES, ...stripUndefined(dto.rules ?? {}) } as DefineSlaPolicyVersion['rules'],
    warningThresholdsPct: dto.warningThresholdsPct ?? DEFAULT_WARNING_THRESHOLDS,
  };
}

function stripUndefined<T extends object>(o: T): T {
  return JSON.parse(JSON.stringify(o));
}
