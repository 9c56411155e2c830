import { Controller, Get, Inject, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { EVENT_STORE, type EventStore } from '@itsm/event-store';
import { buildGroupServiceDeliverySummary, GroupReports, GROUP_TOTAL, summaryStamp } from '@itsm/projections';
import {
  renderGroupSummaryHtml,
  renderGroupSummaryMarkdown,
  renderGroupSummaryPdf,
  renderGroupSummaryXlsx,
  SUMMARY_FORMATS,
  summaryFormatFor,
} from '@itsm/report-rendering';
import { Roles } from '../auth/auth.decorators';
import { CurrentTenantGroup, TenantGroupGuard, type ReadableTenantGroup } from '../auth/tenant-group.guard';
import { ApiAuthenticated } from '../common/api-docs.decorators';
import { respond } from './report-format';
import { REPORT_ZONE, ReportSource } from './report-source';
import { BacklogQueryDto, MonthQueryDto, PeriodQueryDto, ReportAsOfDto, SlaPerformanceQueryDto, SummaryQueryDto } from './dto/report-query.dto';

const ZONE = REPORT_ZONE;

const SIDE_BY_SIDE =
  "Each member's own figures (rows with its tenantId, exactly its own report's), then the group's total (tenantId '*') per key: counts summed, percentages recomputed from the summed counts (never averaged). asOfPosition / asOfRecorded answer from a replay, as the tenants' reports do (the group's members are its current ones). The token must cover every member, else 404 as for an unknown group.";
const HIDDEN = 'Unknown group, or a group with a member outside the token: both answer the same 404 (TENANT_GROUP.NOT_FOUND)';

/** A ticket of a group report, named with its tenant (ticket ids are each tenant's own). */
const ticketName = (t: { tenantId: string; ticketId: string }) => `${t.tenantId}.${t.ticketId}`;

/**
 * The reports of a tenant group: its members side by side with the group's totals (CoL and CoLP on
 * one page; the boroughs' KPI and demand tables). JSON by default, CSV (flat rows, tenantId first)
 * with Accept: text/csv.
 */
@ApiTags('reports')
@ApiParam({ name: 'groupId', example: 'boroughs' })
@ApiProduces('application/json', 'text/csv')
@ApiAuthenticated()
@ApiResponse({ status: 404, description: HIDDEN })
@UseGuards(TenantGroupGuard)
@Controller('v1/tenant-groups/:groupId/reports')
export class GroupReportsController {
  constructor(
    private readonly source: ReportSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The read models (live, or a replay) and what the answer is about. */
  private async at(group: ReadableTenantGroup, q: ReportAsOfDto, res: Response) {
    const moment = await this.source.at(q, res);
    res.setHeader('X-Tenant-Group-Revision', group.revision.toString());
    const about = { groupId: group.value.groupId, name: group.value.name, tenantIds: group.value.tenantIds };
    return { ...moment, reports: new GroupReports(moment.reports), group: moment.reports, tenantIds: group.value.tenantIds, about };
  }

  @Get('sla-performance')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({
    summary: '% within SLA per metric × kind × priority × period, per member and for the group; breached tickets still open per member',
    description: SIDE_BY_SIDE,
  })
  async slaPerformance(@CurrentTenantGroup() group: ReadableTenantGroup, @Query() q: SlaPerformanceQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now, tenantIds, about } = await this.at(group, q, res);
    const body = await reports.slaPerformance({
      tenantIds,
      range: this.source.range(q, now),
      granularity: q.granularity ?? 'month',
      dimension: q.by ?? 'all',
      value: q.value,
    });
    return respond(req, res, { ...about, ...body }, body.rows);
  }

  @Get('demand')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({ summary: 'Tickets raised, resolved and open at period end per kind × priority, per member and for the group', description: SIDE_BY_SIDE })
  async demand(@CurrentTenantGroup() group: ReadableTenantGroup, @Query() q: PeriodQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now, tenantIds, about } = await this.at(group, q, res);
    const body = await reports.demand({ tenantIds, range: this.source.range(q, now), granularity: q.granularity ?? 'month', now: now.getTime(), zone: ZONE });
    return respond(req, res, { ...about, ...body }, body.rows);
  }

  @Get('aged-backlog')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({
    summary: "IM10: tickets open over 30 days at each Monday 00:00, and now, per member and for the group (whose ticket ids read '<tenantId>.<ticketId>')",
    description: SIDE_BY_SIDE,
  })
  async agedBacklog(@CurrentTenantGroup() group: ReadableTenantGroup, @Query() q: BacklogQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now: at, tenantIds, about } = await this.at(group, q, res);
    const now = at.getTime();
    const { fromWeek, toWeek } = this.source.backlogWeeks(q, at);
    const body = await reports.agedBacklog({ tenantIds, fromWeek, toWeek, now, days: q.days ?? 30, zone: ZONE });
    return respond(
      req,
      res,
      { ...about, ...body },
      body.weeks.map(({ ticketIds, ...w }) => ({ ...w, ticketIds })),
    );
  }

  @Get('supplier-scorecards')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({
    summary:
      "Per supplier for a month: each member's card and the group's (volumes and lists summed; first-time fix and reopen rate from the summed counts; availability of its services to the group)",
    description: `${SIDE_BY_SIDE} The group's mean time to respond is null: the members' answers do not say how many responses each mean is made of.`,
  })
  async scorecards(@CurrentTenantGroup() group: ReadableTenantGroup, @Query() q: MonthQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now, tenantIds, about } = await this.at(group, q, res);
    const month = this.source.month(q, now);
    const body = await reports.supplierScorecards({ tenantIds, month, zone: ZONE, supplierId: q.supplier, now: now.getTime() });
    const rows = body.cards.map(({ p1p2, raisedTickets, resolvedTickets, sla: _sla, availability: _a, ...c }) => ({
      ...c,
      raisedTickets: raisedTickets.map(ticketName),
      p1p2: p1p2.map(ticketName),
      resolvedTickets: resolvedTickets.map(ticketName),
    }));
    return respond(req, res, { ...about, ...body }, rows);
  }

  @Get('service-availability')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({
    summary:
      "Outage minutes and availability % per service for a month against target: each member's, and the group's (the union of the members' outages, never a sum)",
    description: SIDE_BY_SIDE,
  })
  async availability(@CurrentTenantGroup() group: ReadableTenantGroup, @Query() q: MonthQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now, tenantIds, about } = await this.at(group, q, res);
    const month = this.source.month(q, now);
    const body = await reports.serviceAvailability({ tenantIds, month, zone: ZONE, now: now.getTime() });
    return respond(
      req,
      res,
      { ...about, ...body },
      body.services.map(({ outages, ...s }) => ({ ...s, outages: outages.length })),
    );
  }

  @Get('satisfaction')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({
    summary: 'Feedback volume and response rate, positive/neutral/negative, NPS, % good or very good, complaints: per member and for the group',
    description: SIDE_BY_SIDE,
  })
  async satisfaction(@CurrentTenantGroup() group: ReadableTenantGroup, @Query() q: PeriodQueryDto, @Req() req: Request, @Res() res: Response) {
    const { reports, now, tenantIds, about } = await this.at(group, q, res);
    const body = await reports.satisfaction({ tenantIds, range: this.source.range(q, now), granularity: q.granularity ?? 'month' });
    return respond(req, res, { ...about, ...body }, body.rows);
  }

  @Get('major-incidents')
  @Roles('reporter', 'auditor', 'operator')
  @ApiOperation({
    summary: `The major incident register: each member's, then each major incident once (tenantId '${GROUP_TOTAL}') with memberTenantIds, the members it affected`,
    description: SIDE_BY_SIDE,
  })
  async majorIncidents(@CurrentTenantGroup() group: ReadableTenantGroup, @Query() q: ReportAsOfDto, @Req() req: Request, @Res() res: Response) {
    const { reports, tenantIds, about } = await this.at(group, q, res);
    const body = await reports.majorIncidents({ tenantIds });
    return respond(req, res, { ...about, ...body }, body.rows);
  }

  @Get('service-delivery-summary')
  @Roles('reporter', 'auditor', 'operator')
  @ApiProduces(...Object.values(SUMMARY_FORMATS))
  @ApiOperation({
    summary:
      "The monthly Service Delivery Summary of the group (default: last month): each member's figures side by side with the group's (seed 000: CoL and CoLP on one page). JSON (with each member's own summary), Markdown, HTML, CSV (one row per figure), an A4 PDF or an XLSX workbook (a sheet per table, and every member's ticket lists), the last two stamped with the log position and the global hash chain head hash there.",
    description: SIDE_BY_SIDE,
  })
  async serviceDeliverySummary(@CurrentTenantGroup() group: ReadableTenantGroup, @Query() q: SummaryQueryDto, @Req() req: Request, @Res() res: Response) {
    const { group: queries, now, position, about } = await this.at(group, q, res);
    const month = this.source.month(q, now, 1);
    const summary = await buildGroupServiceDeliverySummary(queries, { group: about, month, zone: ZONE, logPosition: position, now });
    const format = q.format ?? summaryFormatFor(req.accepts(Object.values(SUMMARY_FORMATS)));
    if (format === 'md') return res.type('text/markdown; charset=utf-8').send(renderGroupSummaryMarkdown(summary));
    if (format === 'html') return res.type('text/html; charset=utf-8').send(renderGroupSummaryHtml(summary));
    if (format === 'csv') {
      const tables = {
        metrics: summary.metrics,
        demand: summary.demand,
        backlog: summary.backlog,
        suppliers: summary.suppliers,
        availability: summary.availability,
        satisfaction: summary.satisfaction,
      };
      const rows = Object.entries(tables).flatMap(([table, xs]) =>
        xs.flatMap((r) =>
          [...summary.tenantIds.map((t) => [t, r.byTenant[t]] as const), [GROUP_TOTAL, r.group] as const].flatMap(([tenantId, c]) =>
            c === undefined ? [] : [{ table, figure: r.label, reference: r.reference, tenantId, actual: c.actual, met: c.met, total: c.total }],
          ),
        ),
      );
      return respond(req, res, summary, rows, true);
    }
    if (format === 'pdf' || format === 'xlsx') {
      const stamp = await summaryStamp(this.store, position);
      const body = format === 'pdf' ? await renderGroupSummaryPdf(summary, stamp) : await renderGroupSummaryXlsx(summary, stamp);
      res.setHeader('X-Head-Global-Hash', stamp.headGlobalHash);
      return res.attachment(`service-delivery-summary-${about.groupId}-${month}.${format}`).type(SUMMARY_FORMATS[format]).send(body);
    }
    return res.json(summary);
  }
}
