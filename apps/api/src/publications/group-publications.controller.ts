import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Principal } from '@itsm/auth';
import type { PublicationSubject } from '@itsm/domain';
import { Roles } from '../auth/auth.decorators';
import { CurrentTenantGroup, TenantGroupGuard, type ReadableTenantGroup } from '../auth/tenant-group.guard';
import { ApiAuthenticated } from '../common/api-docs.decorators';
import { commandRequest } from '../common/command-request';
import { PublicationDocumentQueryDto } from './dto/publication-query.dto';
import { PublishFiguresDto } from './dto/publish-figures.dto';
import { publishedAnswer, sendPublishedDocument } from './publication-answers';
import { ApiPublish, DRIFT } from './publication-api-docs';
import { Publications } from './publications.service';

type Req = Request & { principal: Principal };

const HIDDEN =
  'Unknown group or publication, a group with a member outside the token, or a publication naming a tenant outside it (its members when published): all answer 404 (TENANT_GROUP.NOT_FOUND for the group, PUBLICATION.NOT_FOUND for the publication)';

/** The subject of a group publication: the group and its members as they are now (kept with the publication). */
const subjectOf = (g: ReadableTenantGroup): PublicationSubject => ({
  kind: 'group',
  groupId: g.value.groupId,
  name: g.value.name,
  tenantIds: g.value.tenantIds,
  revision: g.revision.toString(),
});

/**
 * A tenant group's published figures (its monthly summary, members side by side). The token must
 * cover every member (TenantGroupGuard), and every member a publication was made of.
 */
@ApiTags('publications')
@ApiParam({ name: 'groupId', example: 'city' })
@ApiAuthenticated()
@ApiResponse({ status: 404, description: HIDDEN })
@UseGuards(TenantGroupGuard)
@Controller('v1/tenant-groups/:groupId/publications')
export class GroupPublicationsController {
  constructor(private readonly publications: Publications) {}

  @Post()
  @HttpCode(201)
  @Roles('reporter')
  @ApiPublish('Publish the group’s monthly summary (service-delivery-summary), as for a tenant; the group’s members are recorded with it')
  async publish(@CurrentTenantGroup() group: ReadableTenantGroup, @Body() dto: PublishFiguresDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    const { entry, replayed } = await this.publications.publish(subjectOf(group), dto, commandRequest(req, dto), res);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.setHeader('Location', `/v1/tenant-groups/${group.value.groupId}/publications/${entry.publicationId}`);
    return publishedAnswer(entry);
  }

  @Get()
  @Roles('reporter', 'auditor')
  @ApiOperation({ summary: 'The group’s publications, oldest first (those whose members as published the token covers)' })
  async list(@CurrentTenantGroup() group: ReadableTenantGroup, @Req() req: Req) {
    return (await this.publications.list(subjectOf(group), req.principal)).map(publishedAnswer);
  }

  @Get(':publicationId')
  @Roles('reporter', 'auditor')
  @ApiProduces('application/json', 'text/markdown', 'text/html')
  @ApiOperation({ summary: 'The group’s document exactly as published (format=json|md|html, or Accept), from what was kept' })
  async document(
    @CurrentTenantGroup() group: ReadableTenantGroup,
    @Param('publicationId') id: string,
    @Query() q: PublicationDocumentQueryDto,
    @Req() req: Req,
    @Res() res: Response,
  ) {
    await sendPublishedDocument(this.publications, await this.publications.find(subjectOf(group), id, req.principal), q.format, req, res);
  }

  @Get(':publicationId/drift')
  @Roles('reporter', 'auditor')
  @ApiOperation({ summary: 'What changed since, for the group: its members’ figures (members[T].…) and totals (total.…)', description: DRIFT })
  async drift(
    @CurrentTenantGroup() group: ReadableTenantGroup,
    @Param('publicationId') id: string,
    @Req() req: Req,
    @Res({ passthrough: true }) res: Response,
  ) {
    const entry = await this.publications.find(subjectOf(group), id, req.principal);
    const drift = await this.publications.drift(entry, res);
    res.removeHeader('X-As-Of');
    res.setHeader('X-Published-Position', entry.position);
    return drift;
  }
}
