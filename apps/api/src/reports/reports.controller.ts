import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { EVENT_STORE, type EventStore } from '@itsm/event-store';
import { buildServiceDeliverySummary, definitionText, summaryStamp } from '@itsm/projections';
import {
  renderSummaryHtml,
  renderSummaryMarkdown,
  renderSummaryPdf,
  renderSummaryXlsx,
  SUMMARY_FORMATS,
  summaryCharts,
  summaryFormatFor,
} from '@itsm/report-rendering';
import type { Filter } from '@itsm/read-store';
import { Roles } from '../auth/auth.decorators';
import { ApiAuthenticated } from '../common/api-docs.decorators';
import { respond } from './report-format';
import { REPORT_ZONE, ReportSource } from './report-source';
import {
  BacklogQueryDto,
  MonthQueryDto,
  PeriodQueryDto,
  ReportAsOfDto,
  SlaPerformanceQueryDto,
  SummaryQueryDto,
  TicketListQueryDto,
} from './dto/report-query.dto';

const ZONE = REPORT_ZONE;

/** The read models, per tenant; JSON by default, CSV with Accept: text/csv. */
@ApiTags('reports')
@ApiParam({ name: 'tenant', example: 'CoL' })
@ApiProduces('application/json', 'text/csv')
@ApiAuthenticated()
@Controller('v1/tenants/:tenant/reports')
export class ReportsController {
  constructor(
    private readonly source: ReportSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('tickets')
  @Roles('operator', 'reporter', 'auditor')
  @ApiOperation({ summary: 'Tickets: current state; filter by kind, status, priority, service, supplier, group, breached, aged; sort; cursor paging' })
  async tickets(@Param('tenant') tenant: string, @Query() q: TicketListQueryDto, @Req() req: Request, @Res() res: Response) {
    const filter: Filter = {};
    if (q.kind) filter.kind = q.kind;
    if (q.status) filter.status = q.status;
    if (q.priority) filter.priority = q.priority;
    if (q.service) filter.serviceId = q.service;
    if (q.supplier) filter.supplierId = q.supplier;
    if (q.group) filter.groupId = q.group;
    if (q.breached) filter.breachedOpen = q.breached === 'true';
    const { reports, now } = await this.source.at(q, res);
    const page = await reports.tickets({
      tenantId: tenant,
      filter,
      aged: q.aged ? { now: now.getTime(), days: q.aged } : undefined,
      sort: { field: q.sort ?? 'raisedAt', direction: q.order ?? 'desc' },
      limit: q.limit,
      cursor: q.cursor,
    });
    return respond(req, res, page, page.items);
  }

  @Get('sla-performance')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({
    summary: '% within SLA per metric × kind × priority × month/quarter/year, overall or by service/supplier/group; breached tickets still open',
    description: definitionText('slaPerformance'),
  })
  async slaPerformance(@Param('tenant') tenant: string, @Query() q: SlaPerformanceQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now } = await this.source.at(q, res);
    const body = await reports.slaPerformance({
      tenantId: tenant,
      range: this.source.range(q, now),
      granularity: q.granularity ?? 'month',
      dimension: q.by ?? 'all',
      value: q.value,
    });
    return respond(req, res, body, body.rows);
  }

  @Get('demand')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({ summary: 'Tickets raised, resolved and open at period end per kind × priority', description: definitionText('demand') })
  async demand(@Param('tenant') tenant: string, @Query() q: PeriodQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now } = await this.source.at(q, res);
    const rows = await reports.demand({
      tenantId: tenant,
      range: this.source.range(q, now),
      granularity: q.granularity ?? 'month',
      now: now.getTime(),
      zone: ZONE,
    });
    return respond(req, res, rows, rows);
  }

  @Get('aged-backlog')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({
    summary: 'IM10: tickets open over 30 days at each Monday 00:00, and now; by priority, kind, group, supplier, age bucket, with ids',
    description: definitionText('agedBacklog'),
  })
  async agedBacklog(@Param('tenant') tenant: string, @Query() q: BacklogQueryDto, @Req() req: Request, @Res() res: Response) {
    const source = await this.source.at(q, res);
    const { fromWeek, toWeek } = this.source.backlogWeeks(q, source.now);
    const body = await source.reports.agedBacklog({ tenantId: tenant, fromWeek, toWeek, now: source.now.getTime(), days: q.days ?? 30, zone: ZONE });
    return respond(
      req,
      res,
      body,
      body.weeks.map(({ ticketIds, ...w }) => ({ ...w, ticketIds })),
    );
  }

  @Get('supplier-scorecards')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({
    summary:
      'Per supplier for a month: volumes, P1/P2 list, SLA, breaches, outages, availability, first-time fix, mean times, reopen rate; contract targets with RAG',
    description: definitionText('suppliers'),
  })
  async scorecards(@Param('tenant') tenant: string, @Query() q: MonthQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now } = await this.source.at(q, res);
    const month = this.source.month(q, now);
    const cards = await reports.supplierScorecards({ month, zone: ZONE, supplierId: q.supplier, tenantId: tenant, now: now.getTime() });
    return respond(
      req,
      res,
      cards,
      cards.map(({ p1p2, raisedTickets, resolvedTickets, sla: _sla, availability: _availability, ...c }) => ({
        ...c,
        raisedTickets: raisedTickets.map((t) => t.ticketId),
        p1p2: p1p2.map((t) => t.ticketId),
        resolvedTickets: resolvedTickets.map((t) => t.ticketId),
      })),
    );
  }

  @Get('service-availability')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({
    summary: 'Outage minutes and availability % per service for a month against target, split by IT management',
    description: definitionText('availability'),
  })
  async availability(@Param('tenant') tenant: string, @Query() q: MonthQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now } = await this.source.at(q, res);
    const month = this.source.month(q, now);
    const body = await reports.serviceAvailability({ month, zone: ZONE, tenantId: tenant, now: now.getTime() });
    return respond(
      req,
      res,
      body,
      body.services.map(({ outages, ...s }) => ({ ...s, outages: outages.length })),
    );
  }

  @Get('satisfaction')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({
    summary: 'Feedback volume and response rate, positive/neutral/negative, NPS, % good or very good, complaints',
    description: definitionText('satisfaction'),
  })
  async satisfaction(@Param('tenant') tenant: string, @Query() q: PeriodQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now } = await this.source.at(q, res);
    const rows = await reports.satisfaction({ tenantId: tenant, range: this.source.range(q, now), granularity: q.granularity ?? 'month' });
    return respond(req, res, rows, rows);
  }

  @Get('service-delivery-summary')
  @Roles('reporter', 'auditor', 'operator')
  @ApiProduces(...Object.values(SUMMARY_FORMATS))
  @ApiOperation({
    summary:
      'The monthly Service Delivery Summary for committees (default: last month): JSON (with SVG charts), Markdown (Accept: text/markdown or format=md), one self-contained HTML page (Accept: text/html or format=html), CSV of the metric table (Accept: text/csv or format=csv), an A4 PDF of the page (Accept: application/pdf or format=pdf) or an XLSX workbook with a sheet per table and per ticket list (format=xlsx). States the log position it was built at; the PDF and XLSX are stamped with it and the global hash chain head hash there (also in X-Head-Global-Hash).',
  })
  async serviceDeliverySummary(@Param('tenant') tenant: string, @Query() q: SummaryQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now, position } = await this.source.at(q, res);
    const month = this.source.month(q, now, 1);
    const summary = await buildServiceDeliverySummary(reports, { tenantId: tenant, month, zone: ZONE, logPosition: position, now });
    const format = q.format ?? summaryFormatFor(req.accepts(Object.values(SUMMARY_FORMATS)));
    if (format === 'md') return res.type('text/markdown; charset=utf-8').send(renderSummaryMarkdown(summary));
    if (format === 'html') return res.type('text/html; charset=utf-8').send(renderSummaryHtml(summary));
    if (format === 'csv') return respond(req, res, summary, summary.metrics, true);
    if (format === 'pdf' || format === 'xlsx') {
      const stamp = await summaryStamp(this.store, position);
      const body = format === 'pdf' ? await renderSummaryPdf(summary, stamp) : await renderSummaryXlsx(summary, stamp);
      res.setHeader('X-Head-Global-Hash', stamp.headGlobalHash);
      return res.attachment(`service-delivery-summary-${tenant}-${month}.${format}`).type(SUMMARY_FORMATS[format]).send(body);
    }
    return res.json({ ...summary, charts: summaryCharts(summary) });
  }

  @Get('major-incidents')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({ summary: 'The major incident register', description: definitionText('majorIncidents') })
  async majorIncidents(@Param('tenant') tenant: string, @Query() q: ReportAsOfDto, @Req() req: Request, @Res() res: Response) {
    const { reports } = await this.source.at(q, res);
    const rows = await reports.majorIncidents({ tenantId: tenant });
    return respond(req, res, rows, rows);
  }
}
