import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { TicketCommand, TicketKind } from '@itsm/domain';
import type { CommandResult } from '@itsm/event-store';
import { Roles } from '../auth/auth.decorators';
import { mayTouchTenant, type Principal } from '@itsm/auth';
import { ApiAuthenticated, ApiCommand } from '../common/api-docs.decorators';
import { commandRequest, setCommandHeaders } from '../common/command-request';
import { etagOf } from '../common/etag';
import { ExecuteTicketCommand } from './commands/execute-ticket-command';
import { AssignTicketDto } from './dto/assign-ticket.dto';
import { ChangeTicketPriorityDto } from './dto/change-ticket-priority.dto';
import { CloseTicketDto } from './dto/close-ticket.dto';
import { CommandBaseDto } from './dto/command-base.dto';
import { DeclareMajorIncidentDto } from './dto/declare-major-incident.dto';
import { EndOutageDto } from './dto/end-outage.dto';
import { PutTicketOnHoldDto } from './dto/put-ticket-on-hold.dto';
import { RaiseTicketDto } from './dto/raise-ticket.dto';
import { RecordComplaintDto } from './dto/record-complaint.dto';
import { RecordFeedbackDto } from './dto/record-feedback.dto';
import { RecordOutageDto } from './dto/record-outage.dto';
import { ReopenTicketDto } from './dto/reopen-ticket.dto';
import { ResolveTicketDto } from './dto/resolve-ticket.dto';
import { RespondToTicketDto } from './dto/respond-to-ticket.dto';
import { ResumeTicketDto } from './dto/resume-ticket.dto';
import type { TicketView } from './handlers/get-ticket.handler';
import { GetTicketQuery } from './queries/get-ticket.query';
import { GetTicketSlaQuery } from './queries/get-ticket-sla.query';
import type { SlaExplanation, TicketCommandInput } from '@itsm/application';
import { AsOfQueryDto, toAsOf } from './dto/as-of-query.dto';
import { GetTicketHistoryQuery } from './queries/get-ticket-history.query';
import type { TicketHistory } from './ticket-history-view';

type Req = Request & { principal: Principal };
type Distribute<T> = T extends unknown ? Omit<T, 'occurredAt'> : never;
type CommandWithoutTime = Distribute<TicketCommand>;

const PREFIX: Record<TicketKind, string> = { incident: 'INC', service_request: 'REQ', starter_mover_leaver: 'SML' };

/** One POST per command under /v1/tenants/{tenant}/tickets; GET for the current state. */
@ApiTags('tickets')
@ApiParam({ name: 'tenant', example: 'CoL' })
@Controller('v1/tenants/:tenant/tickets')
export class TicketsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('operator')
  @ApiCommand('Raise a ticket (IncidentRaised)', 201)
  async raise(@Param('tenant') tenant: string, @Body() dto: RaiseTicketDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    const request = commandRequest(req, dto);
    const ticketId =
      dto.ticketId ?? `${PREFIX[dto.kind]}${createHash('sha256').update(`${tenant}/${request.commandId}`).digest('hex').slice(0, 10).toUpperCase()}`;
    const { commandId: _c, occurredAt: _o, ticketId: _t, correction: _k, ...fields } = dto;
    const result = await this.run(tenant, ticketId, { type: 'RaiseTicket', ticketId, tenantId: tenant, ...fields }, dto, req, res);
    res.location(`/v1/tenants/${tenant}/tickets/${ticketId}`);
    return result;
  }

  @Get(':id')
  @Roles('operator', 'auditor', 'reporter')
  @ApiOperation({ summary: 'The ticket as it stands now, or as it stood at asOf (business time) / asOfRecorded (record time); ETag is its revision' })
  @ApiAuthenticated()
  @ApiOkResponse({ description: 'The ticket with its revision' })
  async get(
    @Param('tenant') tenant: string,
    @Param('id') id: string,
    @Query() q: AsOfQueryDto,
    @Req() req: Req,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TicketView> {
    const view = await this.queries.execute<GetTicketQuery, TicketView>(new GetTicketQuery(tenant, id, toAsOf(q), (t) => mayTouchTenant(req.principal, t)));
    res.setHeader('ETag', etagOf(view.revision));
    return view;
  }

  @Get(':id/sla')
  @Roles('operator', 'auditor', 'reporter')
  @ApiOperation({
    summary:
      'Explain each SLA clock: policy version, target, calendar, running periods, pauses, elapsed, deadline, state, crossings; supplier clocks; recorded warnings and breaches',
  })
  @ApiAuthenticated()
  @ApiOkResponse({ description: "The ticket's SLA clocks explained" })
  sla(@Param('tenant') tenant: string, @Param('id') id: string, @Query() q: AsOfQueryDto): Promise<SlaExplanation> {
    return this.queries.execute(new GetTicketSlaQuery(tenant, id, toAsOf(q)));
  }

  @Get(':id/history')
  @Roles('auditor', 'operator')
  @ApiOperation({
    summary:
      'Every event of the ticket. Auditors: type, data, occurredAt, recordedAt, actor, command, correlation and causation ids, schema version, revision, position. ' +
      "Operators (without auditor): type, data, occurredAt, recordedAt, actor, revision, event id: no global log position, idempotency key or callers' tracing ids",
  })
  @ApiAuthenticated()
  @ApiOkResponse({ description: "The ticket's events in stream order, with the fields the caller's role may see" })
  history(@Param('tenant') tenant: string, @Param('id') id: string, @Req() req: Req): Promise<TicketHistory> {
    const view = req.principal.roles.includes('auditor') ? 'audit' : 'operator';
    return this.queries.execute(new GetTicketHistoryQuery(tenant, id, (t) => mayTouchTenant(req.principal, t), view));
  }

  @Post(':id/respond')
  @HttpCode(200)
  @Roles('operator')
  @ApiCommand("Record the first response (IncidentResponded); respondedBy defaults to the token's subject")
  respond(@Param('tenant') t: string, @Param('id') id: string, @Body() dto: RespondToTicketDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run(t, id, { type: 'RespondToTicket', respondedBy: dto.respondedBy ?? req.principal.sub }, dto, req, res);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Roles('operator')
  @ApiCommand('Assign to a resolver group, optionally a supplier (IncidentAssigned)')
  assign(@Param('tenant') t: string, @Param('id') id: string, @Body() dto: AssignTicketDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run(t, id, { type: 'AssignTicket', groupId: dto.groupId, supplierId: dto.supplierId }, dto, req, res);
  }

  @Post(':id/priority')
  @HttpCode(200)
  @Roles('operator')
  @ApiCommand('Change priority (IncidentPriorityChanged)')
  changePriority(
    @Param('tenant') t: string,
    @Param('id') id: string,
    @Body() dto: ChangeTicketPriorityDto,
    @Req() req: Req,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run(t, id, { type: 'ChangeTicketPriority', priority: dto.priority, reason: dto.reason }, dto, req, res);
  }

  @Post(':id/hold')
  @HttpCode(200)
  @Roles('operator')
  @ApiCommand('Put on hold (IncidentPutOnHold)')
  hold(@Param('tenant') t: string, @Param('id') id: string, @Body() dto: PutTicketOnHoldDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run(t, id, { type: 'PutTicketOnHold', reason: dto.reason, note: dto.note }, dto, req, res);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @Roles('operator')
  @ApiCommand('Resume from hold (IncidentResumed)')
  resume(@Param('tenant') t: string, @Param('id') id: string, @Body() dto: ResumeTicketDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run(t, id, { type: 'ResumeTicket' }, dto, req, res);
  }

  @Post(':id/outages')
  @HttpCode(200)
  @Roles('operator')
  @ApiCommand(
    "Record a service outage against the tenants it affected (OutageRecorded; tenantIds default: the ticket's tenant). " +
      'Without `to` it is still going on (OutageStarted; the answer carries its outageId): availability counts it up to now until it ends',
  )
  async outage(@Param('tenant') t: string, @Param('id') id: string, @Body() dto: RecordOutageDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    const answer = await this.run(
      t,
      id,
      { type: 'RecordOutage', serviceId: dto.serviceId, from: dto.from, to: dto.to ?? undefined, tenantIds: dto.tenantIds },
      dto,
      req,
      res,
    );
    const started = answer.events.find((e) => e.type === 'OutageStarted');
    if (!started) return answer;
    // An ongoing outage is ended by its id: the answer names it (read back from the fact recorded).
    const history = await this.queries.execute<GetTicketHistoryQuery, TicketHistory>(new GetTicketHistoryQuery(t, id, () => false, 'operator'));
    const fact = history.find((e) => e.revision === started.revision);
    return { ...answer, outageId: (fact?.data as { outageId?: string } | undefined)?.outageId };
  }

  @Post(':id/outages/:outageId/end')
  @HttpCode(200)
  @Roles('operator')
  @ApiParam({ name: 'outageId', example: '1', description: "The outageId of the ticket's OutageStarted (also in the ticket's ongoingOutages)" })
  @ApiCommand('End an ongoing outage at `to` (OutageEnded): 404 TICKET.OUTAGE_NOT_FOUND for no such outage, 409 TICKET.OUTAGE_ALREADY_ENDED')
  endOutage(
    @Param('tenant') t: string,
    @Param('id') id: string,
    @Param('outageId') outageId: string,
    @Body() dto: EndOutageDto,
    @Req() req: Req,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.run(t, id, { type: 'EndOutage', outageId, to: dto.to }, dto, req, res);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('operator')
  @ApiCommand('Resolve (IncidentResolved); resolvedByGroupId defaults to the group the ticket is assigned to')
  resolve(@Param('tenant') t: string, @Param('id') id: string, @Body() dto: ResolveTicketDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    const { resolutionCode, rootCause, resolution, resolvedByGroupId, firstLineFix } = dto;
    return this.run(t, id, { type: 'ResolveTicket', resolutionCode, rootCause, resolution, resolvedByGroupId, firstLineFix }, dto, req, res);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @Roles('operator')
  @ApiCommand('Reopen a resolved ticket, or a closed one inside the reopen window (IncidentReopened)')
  reopen(@Param('tenant') t: string, @Param('id') id: string, @Body() dto: ReopenTicketDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run(t, id, { type: 'ReopenTicket', reason: dto.reason }, dto, req, res);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('operator')
  @ApiCommand('Close a resolved ticket (IncidentClosed)')
  close(@Param('tenant') t: string, @Param('id') id: string, @Body() dto: CloseTicketDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run(t, id, { type: 'CloseTicket' }, dto, req, res);
  }

  @Post(':id/major-incident')
  @HttpCode(200)
  @Roles('operator')
  @ApiCommand(
    "Declare a major incident (MajorIncidentDeclared); its reference is unique in each affected tenant's register (409 TICKET.MAJOR_INCIDENT_REFERENCE_TAKEN)",
  )
  declareMajor(
    @Param('tenant') t: string,
    @Param('id') id: string,
    @Body() dto: DeclareMajorIncidentDto,
    @Req() req: Req,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { reference, tenantsAffected, trigger, description } = dto;
    return this.run(t, id, { type: 'DeclareMajorIncident', reference, tenantsAffected, trigger, description }, dto, req, res);
  }

  @Post(':id/feedback')
  @HttpCode(200)
  @Roles('operator')
  @ApiCommand('Record satisfaction / NPS feedback (FeedbackRecorded)')
  feedback(@Param('tenant') t: string, @Param('id') id: string, @Body() dto: RecordFeedbackDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run(t, id, { type: 'RecordFeedback', satisfaction: dto.satisfaction, nps: dto.nps, comment: dto.comment }, dto, req, res);
  }

  @Post(':id/complaints')
  @HttpCode(200)
  @Roles('operator')
  @ApiCommand('Record a complaint (ComplaintRecorded)')
  complaint(@Param('tenant') t: string, @Param('id') id: string, @Body() dto: RecordComplaintDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    return this.run(t, id, { type: 'RecordComplaint', description: dto.description }, dto, req, res);
  }

  /** Dispatches one command and answers with the revision it produced (ETag) and the events it recorded. */
  private async run(tenant: string, ticketId: string, command: CommandWithoutTime, dto: CommandBaseDto, req: Req, res: Response) {
    const request = commandRequest(req, dto);
    // Without occurredAt the command is dated when it is decided (again after a concurrent write), not here.
    const said = dto.correction === undefined ? dropUndefined(command) : { ...dropUndefined(command), correction: { reason: dto.correction.reason } };
    const dated = (dto.occurredAt === undefined ? said : { ...said, occurredAt: dto.occurredAt }) as TicketCommandInput;
    const result = await this.commands.execute<ExecuteTicketCommand, CommandResult>(new ExecuteTicketCommand(tenant, ticketId, dated, request));
    setCommandHeaders(res, result);
    return { ticketId, revision: result.revision.toString(), position: result.position.toString(), events: result.events };
  }
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
