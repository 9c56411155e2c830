import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CatalogueRepository } from '@itsm/application';
import type { Principal } from '@itsm/auth';
import { CATALOGUE_ID, notFound, type PublicationSubject } from '@itsm/domain';
import { Roles } from '../auth/auth.decorators';
import { ApiAuthenticated } from '../common/api-docs.decorators';
import { commandRequest } from '../common/command-request';
import { PublicationDocumentQueryDto } from './dto/publication-query.dto';
import { PublishFiguresDto } from './dto/publish-figures.dto';
import { ApiPublish, DRIFT, UNKNOWN } from './publication-api-docs';
import { publishedAnswer, sendPublishedDocument } from './publication-answers';
import { Publications } from './publications.service';

type Req = Request & { principal: Principal };

/**
 * A tenant's published figures: the monthly summary as handed to a committee, fixed to the log
 * position it was built at, served as published every time, and compared with today's figures.
 */
@ApiTags('publications')
@ApiParam({ name: 'tenant', example: 'CoL' })
@ApiAuthenticated()
@Controller('v1/tenants/:tenant/publications')
export class PublicationsController {
  constructor(
    private readonly publications: Publications,
    private readonly catalogue: CatalogueRepository,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('reporter')
  @ApiPublish(
    'Publish a report (service-delivery-summary) of a month: built from the read models at the projector’s checkpoint and recorded as FiguresPublished with that position, the global hash chain’s head there and a digest of every figure. 422 names report or month (unknown report, not YYYY-MM, a month not yet begun).',
  )
  async publish(@Param('tenant') tenant: string, @Body() dto: PublishFiguresDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    if (!(await this.catalogue.value('Tenant', tenant))) throw notFound('TENANT.NOT_FOUND', `Tenant ${tenant} is not registered`);
    const { entry, replayed } = await this.publications.publish({ kind: 'tenant', tenantId: tenant }, dto, commandRequest(req, dto), res);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.setHeader('Location', `/v1/tenants/${tenant}/publications/${entry.publicationId}`);
    return publishedAnswer(entry);
  }

  @Get()
  @Roles('reporter', 'auditor')
  @ApiOperation({ summary: 'The tenant’s publications, oldest first: id, report, month, position, head hash, digest, when and by whom' })
  async list(@Param('tenant') tenant: string, @Req() req: Req) {
    return CATALOGUE_ID.test(tenant) ? (await this.publications.list(subject(tenant), req.principal)).map(publishedAnswer) : [];
  }

  @Get(':publicationId')
  @Roles('reporter', 'auditor')
  @ApiProduces('application/json', 'text/markdown', 'text/html')
  @ApiOkResponse({ description: 'The published document, byte for byte as kept, in the format asked for' })
  @ApiResponse({ status: 404, description: UNKNOWN })
  @ApiOperation({
    summary:
      'The document exactly as published (format=json|md|html, or Accept), from what was kept: the same bytes every time, the publication stamped in it and in X-Log-Position, X-Publication-Digest, X-Head-Global-Hash',
  })
  async document(
    @Param('tenant') tenant: string,
    @Param('publicationId') id: string,
    @Query() q: PublicationDocumentQueryDto,
    @Req() req: Req,
    @Res() res: Response,
  ) {
    await sendPublishedDocument(this.publications, await this.find(tenant, id, req), q.format, req, res);
  }

  @Get(':publicationId/drift')
  @Roles('reporter', 'auditor')
  @ApiOkResponse({ description: 'The figures that changed since publication ([] when none did); X-Published-Position: where the publication stands' })
  @ApiResponse({ status: 404, description: UNKNOWN })
  @ApiOperation({
    summary: 'What changed since: each figure whose value today differs from the published one, both values, and the facts that moved it',
    description: DRIFT,
  })
  async drift(@Param('tenant') tenant: string, @Param('publicationId') id: string, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    const entry = await this.find(tenant, id, req);
    const drift = await this.publications.drift(entry, res);
    res.removeHeader('X-As-Of');
    res.setHeader('X-Published-Position', entry.position);
    return drift;
  }

  private find(tenant: string, id: string, req: Req) {
    if (!CATALOGUE_ID.test(tenant)) throw notFound('PUBLICATION.NOT_FOUND', 'No such publication');
    return this.publications.find(subject(tenant), id, req.principal);
  }
}

const subject = (tenantId: string): PublicationSubject => ({ kind: 'tenant', tenantId });
