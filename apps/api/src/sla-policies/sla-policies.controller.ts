import { Body, Controller, Get, Headers, HttpCode, Param, ParseIntPipe, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CatalogueRepository, draftSlaPolicy, SimulationCancelledError, SlaPolicyRepository, type SlaPolicySimulationResult } from '@itsm/application';
import { DomainError, notFound, type SlaPolicyVersion } from '@itsm/domain';
import type { CommandResult } from '@itsm/event-store';
import { Roles } from '../auth/auth.decorators';
import type { Principal } from '@itsm/auth';
import { ApiAuthenticated, ApiCommand } from '../common/api-docs.decorators';
import { commandRequest, setCommandHeaders } from '../common/command-request';
import { problem, ProblemDetails, ProblemException } from '../common/problem-details';
import { DefineSlaPolicyCommand } from './commands/define-sla-policy.command';
import { DefineSlaPolicyDto } from './dto/define-sla-policy.dto';
import { SimulateSlaPolicyDto } from './dto/simulate-sla-policy.dto';
import { policyDefinition } from './sla-policy-definition';
import { SlaPolicySimulations, SimulationsBusyError, SYNC_MAX_TICKETS, type SimulationJobView } from './sla-policy-simulations';
import { simulationRange } from './simulation-range';

/** Versioned, effective-dated SLA policies per tenant (admin). Versions are never edited. */
@ApiTags('sla-policies')
@ApiParam({ name: 'tenant', example: 'CoL' })
@Controller('v1/tenants/:tenant/sla-policies')
export class SlaPoliciesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly policies: SlaPolicyRepository,
    private readonly simulations: SlaPolicySimulations,
    private readonly catalogue: CatalogueRepository,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiCommand('Define the next SLA policy version (SlaPolicyVersionDefined)', 201)
  async define(
    @Param('tenant') tenant: string,
    @Body() dto: DefineSlaPolicyDto,
    @Req() req: Request & { principal: Principal },
    @Res({ passthrough: true }) res: Response,
  ) {
    const policy = policyDefinition(tenant, dto);
    const result = await this.commands.execute<DefineSlaPolicyCommand, CommandResult>(new DefineSlaPolicyCommand(tenant, policy, commandRequest(req, dto)));
    setCommandHeaders(res, result);
    return { tenantId: tenant, version: Number(result.revision) + 1, revision: result.revision.toString(), events: result.events };
  }

  @Post('simulate')
  @HttpCode(200)
  @Roles('admin', 'reporter')
  @ApiOperation({
    summary: 'Policy what-if: the tickets raised in a range measured by a draft version, beside their pinned versions; appends nothing',
    description: `Small ranges (up to ${SYNC_MAX_TICKETS} tickets) answer at once (200); larger ones, or with Prefer: respond-async, run as a job: 202 and Location of GET .../simulations/{id}. 503 with Retry-After when too many run or wait.`,
  })
  @ApiHeader({ name: 'Prefer', required: false, description: 'respond-async: always answer 202 with a job' })
  @ApiOkResponse({ description: 'The result: performance side by side, RAG changes, flipped tickets with both clocks explained' })
  @ApiAcceptedResponse({ description: 'A job: poll its Location' })
  @ApiResponse({ status: 400, type: ProblemDetails, description: 'Malformed body (errors[] names the field, e.g. policy.targets.0.targetMinutes)' })
  @ApiResponse({ status: 404, type: ProblemDetails, description: 'Unknown tenant' })
  @ApiResponse({
    status: 422,
    type: ProblemDetails,
    description: 'A draft a definition would refuse (policy.<field>), or a range empty or over 12 months (to)',
  })
  @ApiResponse({ status: 503, type: ProblemDetails, description: 'Too many simulations running or waiting (Retry-After)' })
  @ApiAuthenticated()
  async simulate(
    @Param('tenant') tenant: string,
    @Body() dto: SimulateSlaPolicyDto,
    @Headers('prefer') prefer: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SlaPolicySimulationResult | SimulationJobView> {
    if (!(await this.catalogue.value('Tenant', tenant))) throw notFound('TENANT.NOT_FOUND', `Tenant ${tenant} is not registered`);
    const range = simulationRange(dto.from, dto.to);
    const draft = inField('policy', () => draftSlaPolicy(policyDefinition(tenant, { ...dto.policy, effectiveFrom: dto.policy.effectiveFrom ?? range.from })));
    const preferAsync = /(^|[,;\s])respond-async($|[,;\s])/i.test(prefer ?? '');
    const answer = await this.simulations.simulate(tenant, range, draft, preferAsync).catch((error: unknown) => {
      if (error instanceof SimulationsBusyError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
        throw new ProblemException(problem(503, error.code, error.message, { title: 'Service Unavailable' }));
      }
      if (error instanceof SimulationCancelledError) throw new ProblemException(problem(503, error.code, error.message, { title: 'Service Unavailable' }));
      throw error;
    });
    if ('result' in answer) {
      res.setHeader('X-Log-Position', answer.result.position ?? 'none');
      return answer.result;
    }
    res.status(202);
    res.setHeader('Location', simulationPath(tenant, answer.job.id));
    if (preferAsync) res.setHeader('Preference-Applied', 'respond-async');
    return answer.job;
  }

  @Get('simulations/:id')
  @Roles('admin', 'reporter')
  @ApiOperation({ summary: 'A policy what-if job: its progress, and its result when done' })
  @ApiOkResponse({ description: 'The job: its state and progress, and its result once done' })
  @ApiResponse({ status: 404, type: ProblemDetails, description: "Unknown job, or another tenant's (the same 404)" })
  @ApiAuthenticated()
  simulation(@Param('tenant') tenant: string, @Param('id') id: string): SimulationJobView {
    const job = this.simulations.job(tenant, id);
    if (!job) throw notFound('SLA_SIMULATION.NOT_FOUND', 'Simulation not found');
    return job;
  }

  @Get()
  @Roles('admin', 'operator', 'auditor', 'reporter')
  @ApiOperation({ summary: 'Every version of the tenant policy, oldest first' })
  @ApiOkResponse({ description: 'The versions, oldest first (an empty array before the first is defined)' })
  @ApiAuthenticated()
  async list(@Param('tenant') tenant: string): Promise<SlaPolicyVersion[]> {
    return (await this.policies.load(tenant)).state.versions;
  }

  @Get(':version')
  @Roles('admin', 'operator', 'auditor', 'reporter')
  @ApiOperation({ summary: 'One version of the tenant policy' })
  @ApiOkResponse({ description: 'The version: its targets, calendars, rules, warning thresholds and when it took effect' })
  @ApiResponse({ status: 404, type: ProblemDetails, description: 'The tenant has no such version (SLA_POLICY.NOT_FOUND)' })
  @ApiAuthenticated()
  async get(@Param('tenant') tenant: string, @Param('version', ParseIntPipe) version: number): Promise<SlaPolicyVersion> {
    const found = (await this.policies.load(tenant)).state.versions.find((v) => v.version === version);
    if (!found) throw notFound('SLA_POLICY.NOT_FOUND', `Tenant ${tenant} has no SLA policy version ${version}`);
    return found;
  }
}

const simulationPath = (tenant: string, id: string) => `/v1/tenants/${encodeURIComponent(tenant)}/sla-policies/simulations/${encodeURIComponent(id)}`;

/** A draft's domain refusals name the field inside the request body (`policy.targets[0].calendarId`). */
function inField<T>(prefix: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'invalid')
      throw new DomainError(error.code, error.message, error.kind, error.field ? `${prefix}.${error.field}` : prefix);
    throw error;
  }
}
