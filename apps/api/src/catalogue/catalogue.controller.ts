import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DEFAULT_PRIORITY_MATRIX, type CatalogueKind, type ResolverGroup, type Service, type Supplier } from '@itsm/domain';
import type { CommandResult } from '@itsm/event-store';
import { Roles } from '../auth/auth.decorators';
import { mayTouchTenant, type Principal } from '@itsm/auth';
import { ReportQueries } from '@itsm/projections';
import { ApiAuthenticated, ApiCommand } from '../common/api-docs.decorators';
import { commandRequest, setCommandHeaders } from '../common/command-request';
import { etagOf } from '../common/etag';
import { assertMayListTenant, listedEntry, visibleEntry } from './catalogue-access';
import { CatalogueDirectory } from './catalogue-directory';
import { pageOf } from './catalogue-page';
import { CatalogueListQueryDto } from './dto/catalogue-list-query.dto';
import { ExecuteCatalogueCommand } from './commands/execute-catalogue-command';
import { RegisterResolverGroupDto, ResolverGroupSettingsDto } from './dto/resolver-group.dto';
import { RegisterServiceDto, ServiceSettingsDto } from './dto/service.dto';
import { RegisterSupplierDto, SupplierSettingsDto } from './dto/supplier.dto';
import { RegisterTenantDto, TenantSettingsDto } from './dto/tenant.dto';
import { GetCatalogueEntryQuery } from './queries/get-catalogue-entry.query';

type Req = Request & { principal: Principal };

const tenantValue = (tenantId: string, d: TenantSettingsDto) => ({
  tenantId,
  name: d.name,
  timeZone: d.timeZone ?? 'Europe/London',
  priorityMatrix: d.priorityMatrix ?? DEFAULT_PRIORITY_MATRIX,
  autoCloseDays: d.autoCloseDays ?? 5,
  reopenWindowDays: d.reopenWindowDays ?? 10,
  ...(d.historyStartsAt ? { historyStartsAt: d.historyStartsAt } : {}),
});
const serviceValue = (serviceId: string, d: ServiceSettingsDto) => ({
  serviceId,
  name: d.name,
  tenantIds: d.tenantIds,
  critical: d.critical,
  ownership: d.ownership,
  ...(d.supplierId ? { supplierId: d.supplierId } : {}),
  availabilityTargetPct: d.availabilityTargetPct,
});
const supplierValue = (supplierId: string, d: SupplierSettingsDto) => ({
  supplierId,
  name: d.name,
  targets: { firstTimeFixPct: d.targets.firstTimeFixPct, uptimePct: d.targets.uptimePct, meanResponseMinutes: d.targets.meanResponseMinutes },
});
const groupValue = (groupId: string, d: ResolverGroupSettingsDto) => ({ groupId, name: d.name, tenantIds: d.tenantIds, serviceDesk: d.serviceDesk ?? false });

const PAGE = '{items, nextCursor}: a page of entries, each with its revision; pass nextCursor as cursor for the next page (null on the last)';
const ENTRY = 'The entry with its revision, showing only the tenants the token may see; ETag carries the revision';

/** The catalogue (admin): tenants, services, suppliers and resolver groups, each event-sourced. */
@ApiTags('catalogue')
@Controller('v1')
export class CatalogueController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly reports: ReportQueries,
    private readonly directory: CatalogueDirectory,
  ) {}

  @Post('tenants')
  @HttpCode(201)
  @Roles('admin')
  @ApiCommand('Register a tenant', 201)
  registerTenant(@Body() dto: RegisterTenantDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run('Tenant', dto.tenantId, 'register', tenantValue(dto.tenantId, dto), dto, req, res);
  }
  @Put('tenants/:tenant')
  @HttpCode(200)
  @Roles('admin')
  @ApiCommand('Revise a tenant')
  reviseTenant(@Param('tenant') id: string, @Body() dto: TenantSettingsDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run('Tenant', id, 'revise', tenantValue(id, dto), dto, req, res);
  }
  @Get('tenants')
  @Roles('admin', 'operator', 'auditor', 'reporter')
  @ApiOperation({ summary: 'The tenants this token may see (from the read models), by id' })
  @ApiAuthenticated()
  @ApiOkResponse({ description: '[{tenantId, name}], by tenantId' })
  async listTenants(@Req() req: Req) {
    const names = await this.reports.catalogueNames();
    return [...names]
      .filter(([key]) => key.startsWith('tenant:'))
      .map(([key, name]) => ({ tenantId: key.slice('tenant:'.length), name }))
      .filter((t) => mayTouchTenant(req.principal, t.tenantId))
      .sort((a, b) => a.tenantId.localeCompare(b.tenantId));
  }
  @Get('tenants/:tenant')
  @Roles('admin', 'operator', 'auditor', 'reporter')
  @ApiOperation({ summary: 'A tenant' })
  @ApiAuthenticated()
  @ApiOkResponse({ description: ENTRY })
  getTenant(@Param('tenant') id: string, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.get('Tenant', id, req, res);
  }

  @Post('services')
  @HttpCode(201)
  @Roles('admin')
  @ApiCommand('Register a service', 201)
  registerService(@Body() dto: RegisterServiceDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run('Service', dto.serviceId, 'register', serviceValue(dto.serviceId, dto), dto, req, res);
  }
  @Put('services/:id')
  @HttpCode(200)
  @Roles('admin')
  @ApiCommand('Revise a service')
  reviseService(@Param('id') id: string, @Body() dto: ServiceSettingsDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run('Service', id, 'revise', serviceValue(id, dto), dto, req, res);
  }
  @Get('services')
  @Roles('admin', 'operator', 'auditor', 'reporter')
  @ApiAuthenticated()
  @ApiOperation({
    summary: 'Services serving the tenants this token covers, by id, a page at a time; tenantIds shows only those tenants; ?tenant= one of them',
  })
  @ApiOkResponse({ description: PAGE })
  async listServices(@Query() q: CatalogueListQueryDto, @Req() req: Req) {
    assertMayListTenant(req.principal, q.tenant);
    return this.page(this.listedServing(await this.directory.withRevisions<Service>('Service'), req, q.tenant), q);
  }
  @Get('services/:id')
  @Roles('admin', 'operator', 'auditor', 'reporter')
  @ApiOperation({ summary: 'A service' })
  @ApiAuthenticated()
  @ApiOkResponse({ description: ENTRY })
  getService(@Param('id') id: string, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.get('Service', id, req, res);
  }

  @Post('suppliers')
  @HttpCode(201)
  @Roles('admin')
  @ApiCommand('Register a supplier with its contract targets', 201)
  registerSupplier(@Body() dto: RegisterSupplierDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run('Supplier', dto.supplierId, 'register', supplierValue(dto.supplierId, dto), dto, req, res);
  }
  @Put('suppliers/:id')
  @HttpCode(200)
  @Roles('admin')
  @ApiCommand('Revise a supplier')
  reviseSupplier(@Param('id') id: string, @Body() dto: SupplierSettingsDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run('Supplier', id, 'revise', supplierValue(id, dto), dto, req, res);
  }
  @Get('suppliers')
  @Roles('admin', 'operator', 'auditor', 'reporter')
  @ApiAuthenticated()
  @ApiOperation({
    summary: "Every supplier (any tenant's ticket may be passed to any supplier), by id, a page at a time; ?tenant= those behind that tenant's services",
  })
  @ApiOkResponse({ description: PAGE })
  async listSuppliers(@Query() q: CatalogueListQueryDto, @Req() req: Req) {
    assertMayListTenant(req.principal, q.tenant);
    const suppliers = await this.directory.withRevisions<Supplier>('Supplier');
    if (q.tenant === undefined) return this.page(suppliers, q);
    const tenant = q.tenant;
    const behind = new Set((await this.directory.all<Service>('Service')).flatMap((s) => (s.tenantIds.includes(tenant) && s.supplierId ? [s.supplierId] : [])));
    return this.page(
      suppliers.filter((s) => behind.has(s.id)),
      q,
    );
  }
  @Get('suppliers/:id')
  @Roles('admin', 'operator', 'auditor', 'reporter')
  @ApiOperation({ summary: 'A supplier' })
  @ApiAuthenticated()
  @ApiOkResponse({ description: ENTRY })
  getSupplier(@Param('id') id: string, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.get('Supplier', id, req, res);
  }

  @Post('resolver-groups')
  @HttpCode(201)
  @Roles('admin')
  @ApiCommand('Register a resolver group', 201)
  registerGroup(@Body() dto: RegisterResolverGroupDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run('ResolverGroup', dto.groupId, 'register', groupValue(dto.groupId, dto), dto, req, res);
  }
  @Put('resolver-groups/:id')
  @HttpCode(200)
  @Roles('admin')
  @ApiCommand('Revise a resolver group')
  reviseGroup(@Param('id') id: string, @Body() dto: ResolverGroupSettingsDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run('ResolverGroup', id, 'revise', groupValue(id, dto), dto, req, res);
  }
  @Get('resolver-groups')
  @Roles('admin', 'operator', 'auditor', 'reporter')
  @ApiAuthenticated()
  @ApiOperation({
    summary: 'Resolver groups serving the tenants this token covers, by id, a page at a time; tenantIds shows only those tenants; ?tenant= one of them',
  })
  @ApiOkResponse({ description: PAGE })
  async listGroups(@Query() q: CatalogueListQueryDto, @Req() req: Req) {
    assertMayListTenant(req.principal, q.tenant);
    return this.page(this.listedServing(await this.directory.withRevisions<ResolverGroup>('ResolverGroup'), req, q.tenant), q);
  }
  @Get('resolver-groups/:id')
  @Roles('admin', 'operator', 'auditor', 'reporter')
  @ApiOperation({ summary: 'A resolver group' })
  @ApiAuthenticated()
  @ApiOkResponse({ description: ENTRY })
  getGroup(@Param('id') id: string, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.get('ResolverGroup', id, req, res);
  }

  private async run(kind: CatalogueKind, id: string, action: 'register' | 'revise', value: object, dto: object, req: Req, res: Response) {
    const result = await this.commands.execute<ExecuteCatalogueCommand, CommandResult>(
      new ExecuteCatalogueCommand(kind, id, action, value, commandRequest(req, dto)),
    );
    setCommandHeaders(res, result);
    return { id, revision: result.revision.toString(), position: result.position.toString(), events: result.events };
  }

  /** Services or groups as the token may list them (catalogue-access.ts). */
  private listedServing<T extends { tenantIds: string[] }>(entries: Array<{ id: string; value: T; revision: bigint }>, req: Req, tenant: string | undefined) {
    return entries.flatMap((e) => {
      const value = listedEntry(req.principal, e.value, tenant);
      return value ? [{ ...e, value }] : [];
    });
  }

  /** One page, each entry as GET of one shows it (with its revision). */
  private page(entries: Array<{ id: string; value: object; revision: bigint }>, q: CatalogueListQueryDto) {
    const page = pageOf(entries, q.limit, q.cursor);
    return { items: page.items.map((e) => ({ ...e.value, revision: e.revision.toString() })), nextCursor: page.nextCursor };
  }

  /** An entry, showing only the tenants the token may see among those it serves. */
  private async get(kind: CatalogueKind, id: string, req: Req, res: Response) {
    const entry = await this.queries.execute<GetCatalogueEntryQuery, { value: object; revision: string }>(new GetCatalogueEntryQuery(kind, id));
    res.setHeader('ETag', etagOf(entry.revision));
    return { ...visibleEntry(req.principal, entry.value), revision: entry.revision };
  }
}
