import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DateTime } from 'luxon';
import { buildServiceDeliverySummary, definitionText, Projector, renderSummaryHtml, renderSummaryMarkdown, ReplaysBusyError, ReportQueries, ReportReplays, summaryCharts } from '@itsm/projections';
import type { Filter } from '@itsm/read-store';
import { parseLogPosition, showPosition, type LogPosition } from '@itsm/event-store';
import { Roles } from '../auth/auth.decorators';
import { ApiAuthenticated } from '../common/api-docs.decorators';
import { CLOCK, type Clock } from '../common/clock';
import { respond } from './report-format';
import { BacklogQueryDto, MonthQueryDto, PeriodQueryDto, ReportAsOfDto, SlaPerformanceQueryDto, SummaryQueryDto, TicketListQueryDto } from './dto/report-query.dto';
import { problem, ProblemException } from '../common/problem-details';

const ZONE = 'Europe/London';
/** Ten years of weeks. */
const MAX_BACKLOG_WEEKS = 530;

const invalidQuery = (field: string, rule: string, message: string) => new ProblemException(problem(400, 'REQUEST.INVALID', message, { errors: [{ field, rule, message }] }));

/** The read models, per tenant; JSON by default, CSV with Accept: text/csv. */
@ApiTags('reports')
@ApiParam({ name: 'tenant', example: 'CoL' })
@ApiProduces('application/json', 'text/csv')
@ApiAuthenticated()
@Controller('v1/tenants/:tenant/reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportQueries,
    private readonly projector: Projector,
    private readonly replays: ReportReplays,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The read models to answer from, and the moment they stand for: the live ones now, or a replay
   * of the log up to asOfPosition / asOfRecorded. X-Log-Position says which, so any answer can be
   * reproduced later by asking again with asOfPosition.
   */
  private async source(q: ReportAsOfDto, res: Response): Promise<{ reports: ReportQueries; now: Date; position: LogPosition | undefined }> {
    if (q.asOfPosition !== undefined && q.asOfRecorded !== undefined) {
      const message = 'asOfRecorded cannot be combined with asOfPosition: give one moment';
      throw new ProblemException(problem(400, 'REQUEST.INVALID', message, { errors: [{ field: 'asOfRecorded', rule: 'exclusiveWith', message }] }));
    }
    if (q.asOfPosition === undefined && q.asOfRecorded === undefined) {
      // Another process may run the projector, and may have taken a new version over: follow it.
      await this.projector.refresh();
      res.setHeader('X-Log-Position', showPosition(this.projector.checkpoint) ?? 'none');
      return { reports: this.reports, now: this.clock.now(), position: this.projector.checkpoint };
    }
    const recorded = q.asOfRecorded === undefined ? undefined : new Date(q.asOfRecorded);
    const replay = await this.replays.at(recorded ? await this.replays.positionAtRecorded(recorded) : parseLogPosition(q.asOfPosition)).catch((error: unknown) => {
      if (!(error instanceof ReplaysBusyError)) throw error;
      res.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw new ProblemException(problem(503, error.code, error.message));
    });
    const now = recorded ?? replay.recordedAt;
    res.setHeader('X-Log-Position', showPosition(replay.position) ?? 'none');
    res.setHeader('X-As-Of', now.toISOString());
    return { reports: replay.queries, now, position: replay.position };
  }

  private range(q: PeriodQueryDto, now: Date) {
    const to = q.to ?? DateTime.fromJSDate(now, { zone: ZONE }).toFormat('yyyy-MM');
    const from = q.from ?? DateTime.fromFormat(to, 'yyyy-MM').minus({ months: 11 }).toFormat('yyyy-MM');
    return { from, to };
  }

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
    const { reports, now } = await this.source(q, res);
    const page = await reports.tickets({
      tenantId: tenant,
      filter,
      aged: q.aged ? { now: now.getTime(), days: q.aged } : undefined,
      sort: { field: q.sort ?? 'raisedAt', direction: q.order ?? 'desc' },
      limit: q.limit,
      cursor: q.cursor,
    });
    return respond(req, res, page, page.items as never);
  }

  @Get('sla-performance')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({ summary: '% within SLA per metric × kind × priority × month/quarter/year, overall or by service/supplier/group; breached tickets still open', description: definitionText('slaPerformance') })
  async slaPerformance(@Param('tenant') tenant: string, @Query() q: SlaPerformanceQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now } = await this.source(q, res);
    const body = await reports.slaPerformance({ tenantId: tenant, range: this.range(q, now), granularity: q.granularity ?? 'month', dimension: q.by ?? 'all', value: q.value });
    return respond(req, res, body, body.rows);
  }

  @Get('demand')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({ summary: 'Tickets raised, resolved and open at period end per kind × priority', description: definitionText('demand') })
  async demand(@Param('tenant') tenant: string, @Query() q: PeriodQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now } = await this.source(q, res);
    const rows = await reports.demand({ tenantId: tenant, range: this.range(q, now), granularity: q.granularity ?? 'month', now: now.getTime(), zone: ZONE });
    return respond(req, res, rows, rows);
  }

  @Get('aged-backlog')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({ summary: 'IM10: tickets open over 30 days at each Monday 00:00, and now; by priority, kind, group, supplier, age bucket, with ids', description: definitionText('agedBacklog') })
  async agedBacklog(@Param('tenant') tenant: string, @Query() q: BacklogQueryDto, @Req() req: Request, @Res() res: Response) {
    const source = await this.source(q, res);
    const now = source.now.getTime();
    const today = DateTime.fromMillis(now, { zone: ZONE });
    const fromWeek = q.from ?? today.minus({ weeks: 12 }).toISODate()!;
    const toWeek = q.to ?? today.toISODate()!;
    for (const [field, value] of [['from', fromWeek], ['to', toWeek]] as const) {
      if (!DateTime.fromISO(value).isValid) throw invalidQuery(field, 'date', `${field} must be a calendar date (YYYY-MM-DD)`);
    }
    // Every week in the range is a row (empty ones too): a range is bounded like any page.
    if (DateTime.fromISO(toWeek).diff(DateTime.fromISO(fromWeek), 'weeks').weeks > MAX_BACKLOG_WEEKS) throw invalidQuery('from', 'maxRange', `from and to may span at most ${MAX_BACKLOG_WEEKS} weeks`);
    const body = await source.reports.agedBacklog({ tenantId: tenant, fromWeek, toWeek, now, days: q.days ?? 30, zone: ZONE });
    return respond(req, res, body, body.weeks.map(({ ticketIds, ...w }) => ({ ...w, ticketIds })));
  }

  @Get('supplier-scorecards')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({ summary: 'Per supplier for a month: volumes, P1/P2 list, SLA, breaches, outages, availability, first-time fix, mean times, reopen rate; contract targets with RAG', description: definitionText('suppliers') })
  async scorecards(@Param('tenant') tenant: string, @Query() q: MonthQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now } = await this.source(q, res);
    const month = q.month ?? DateTime.fromJSDate(now, { zone: ZONE }).toFormat('yyyy-MM');
    const cards = await reports.supplierScorecards({ month, zone: ZONE, supplierId: q.supplier, tenantId: tenant });
    return respond(req, res, cards, cards.map(({ p1p2, raisedTickets, resolvedTickets, sla, availability, ...c }) => ({ ...c, raisedTickets: raisedTickets.map((t) => t.ticketId), p1p2: p1p2.map((t) => t.ticketId), resolvedTickets: resolvedTickets.map((t) => t.ticketId) })));
  }

  @Get('service-availability')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({ summary: 'Outage minutes and availability % per service for a month against target, split by IT management', description: definitionText('availability') })
  async availability(@Param('tenant') tenant: string, @Query() q: MonthQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now } = await this.source(q, res);
    const month = q.month ?? DateTime.fromJSDate(now, { zone: ZONE }).toFormat('yyyy-MM');
    const body = await reports.serviceAvailability({ month, zone: ZONE, tenantId: tenant });
    return respond(req, res, body, body.services.map(({ outages, ...s }) => ({ ...s, outages: outages.length })));
  }

  @Get('satisfaction')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({ summary: 'Feedback volume and response rate, positive/neutral/negative, NPS, % good or very good, complaints', description: definitionText('satisfaction') })
  async satisfaction(@Param('tenant') tenant: string, @Query() q: PeriodQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now } = await this.source(q, res);
    const rows = await reports.satisfaction({ tenantId: tenant, range: this.range(q, now), granularity: q.granularity ?? 'month' });
    return respond(req, res, rows, rows);
  }

  @Get('service-delivery-summary')
  @Roles('reporter', 'auditor', 'operator')
  @ApiProduces('application/json', 'text/markdown', 'text/html')
  @ApiOperation({
    summary:
      'The monthly Service Delivery Summary for committees (default: last month): JSON (with SVG charts), Markdown (Accept: text/markdown or format=md) or one self-contained HTML page (Accept: text/html or format=html). States the log position it was built at.',
  })
  async serviceDeliverySummary(@Param('tenant') tenant: string, @Query() q: SummaryQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now, position } = await this.source(q, res);
    const month = q.month ?? DateTime.fromJSDate(now, { zone: ZONE }).minus({ months: 1 }).toFormat('yyyy-MM');
    const summary = await buildServiceDeliverySummary(reports, { tenantId: tenant, month, zone: ZONE, logPosition: position, now });
    const format = q.format ?? (req.accepts(['application/json', 'text/markdown', 'text/html']) === 'text/markdown' ? 'md' : req.accepts(['application/json', 'text/html']) === 'text/html' ? 'html' : 'json');
    if (format === 'md') return res.type('text/markdown; charset=utf-8').send(renderSummaryMarkdown(summary));
    if (format === 'html') return res.type('text/html; charset=utf-8').send(renderSummaryHtml(summary));
    return res.json({ ...summary, charts: summaryCharts(summary) });
  }

  @Get('major-incidents')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({ summary: 'The major incident register', description: definitionText('majorIncidents') })
  async majorIncidents(@Param('tenant') tenant: string, @Query() q: ReportAsOfDto, @Req() req: Request, @Res() res: Response) {
    const { reports } = await this.source(q, res);
    const rows = await reports.majorIncidents({ tenantId: tenant });
    return respond(req, res, rows, rows);
  }
}
