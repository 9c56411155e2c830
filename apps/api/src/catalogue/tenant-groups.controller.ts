import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Principal } from '@itsm/auth';
import type { TenantGroup } from '@itsm/domain';
import type { CommandResult } from '@itsm/event-store';
import { Roles } from '../auth/auth.decorators';
import { CurrentTenantGroup, mayReadTenantGroup, TenantGroupGuard, type ReadableTenantGroup } from '../auth/tenant-group.guard';
import { ApiAuthenticated, ApiCommand } from '../common/api-docs.decorators';
import { commandRequest, setCommandHeaders } from '../common/command-request';
import { etagOf } from '../common/etag';
import { ExecuteCatalogueCommand } from './commands/execute-catalogue-command';
import { RegisterTenantGroupDto, TenantGroupSettingsDto } from './dto/tenant-group.dto';
import { TenantGroupDirectory } from './tenant-group-directory';

type Req = Request & { principal: Principal };

const groupValue = (groupId: string, d: TenantGroupSettingsDto): TenantGroup => ({ groupId, name: d.name, tenantIds: d.tenantIds });

const HIDDEN = 'Unknown group, or a group with a member outside the token: both answer the same 404 (TENANT_GROUP.NOT_FOUND)';

/**
 * Tenant groups (admin): tenants whose reports are read side by side with totals (CoL and CoLP;
 * the three boroughs). Reading one needs a token covering every member, else 404 as for an unknown
 * group (TenantGroupGuard); changing one needs an admin of every member it has and would have.
 */
@ApiTags('catalogue')
@Controller('v1/tenant-groups')
export class TenantGroupsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly directory: TenantGroupDirectory,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiCommand(
    'Register a tenant group: at least two registered tenants, each once (422 naming tenantIds); the token must cover every member (403); an id already taken is 409',
    201,
  )
  register(@Body() dto: RegisterTenantGroupDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run(dto.groupId, 'register', groupValue(dto.groupId, dto), dto, req, res);
  }

  @Put(':groupId')
  @HttpCode(200)
  @Roles('admin')
  @UseGuards(TenantGroupGuard)
  @ApiParam({ name: 'groupId', example: 'boroughs' })
  @ApiCommand('Revise a tenant group (name, members): the token must cover every member before and after')
  @ApiResponse({ status: 404, description: HIDDEN })
  revise(@Param('groupId') groupId: string, @Body() dto: TenantGroupSettingsDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run(groupId, 'revise', groupValue(groupId, dto), dto, req, res);
  }

  @Get()
  @Roles('admin', 'operator', 'auditor', 'reporter')
  @ApiOperation({ summary: 'The tenant groups this token covers entirely (every member in the token, or *), by id' })
  @ApiAuthenticated()
  @ApiOkResponse({ description: '[{groupId, name, tenantIds}], by groupId' })
  async list(@Req() req: Req): Promise<TenantGroup[]> {
    return (await this.directory.all()).filter((g) => mayReadTenantGroup(req.principal, g));
  }

  @Get(':groupId')
  @Roles('admin', 'operator', 'auditor', 'reporter')
  @UseGuards(TenantGroupGuard)
  @ApiParam({ name: 'groupId', example: 'boroughs' })
  @ApiOperation({ summary: 'A tenant group: name and members; ETag = revision' })
  @ApiAuthenticated()
  @ApiOkResponse({ description: '{groupId, name, tenantIds, revision}' })
  @ApiResponse({ status: 404, description: HIDDEN })
  get(@CurrentTenantGroup() group: ReadableTenantGroup, @Res({ passthrough: true }) res: Response) {
    res.setHeader('ETag', etagOf(group.revision));
    return { ...group.value, revision: group.revision.toString() };
  }

  private async run(groupId: string, action: 'register' | 'revise', value: TenantGroup, dto: object, req: Req, res: Response) {
    const result = await this.commands.execute<ExecuteCatalogueCommand, CommandResult>(
      new ExecuteCatalogueCommand('TenantGroup', groupId, action, value, commandRequest(req, dto)),
    );
    setCommandHeaders(res, result);
    return { id: groupId, revision: result.revision.toString(), position: result.position.toString(), events: result.events };
  }
}
