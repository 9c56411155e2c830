import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../auth/auth.decorators';
import { ApiAuthenticated } from '../common/api-docs.decorators';
import { CLOCK, type Clock } from '../common/clock';
import { QueueQueryDto } from './dto/queue-query.dto';
import { OperationalQueue, type OperationalQueueAnswer } from './operational-queue';

/** The live operational queue: what needs attention first, now. */
@ApiTags('queue')
@ApiParam({ name: 'tenant', example: 'CoL' })
@Controller('v1/tenants/:tenant/queue')
export class QueueController {
  constructor(
    private readonly queue: OperationalQueue,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('operator', 'reporter')
  @ApiOperation({
    summary:
      "Open tickets, least remaining working time first, with each running clock's used %, remaining time and deadline at the request's now; " +
      "counts of open, unassigned, on-hold and at-risk tickets per resolver group and supplier. At risk: a running clock past the policy's first warning threshold, or breached and still running.",
  })
  @ApiAuthenticated()
  @ApiOkResponse({ description: 'A page of the queue with the counts; X-Log-Position says how far the read models had got' })
  async get(@Param('tenant') tenant: string, @Query() q: QueueQueryDto, @Res({ passthrough: true }) res: Response): Promise<OperationalQueueAnswer> {
    const answer = await this.queue.at({
      tenantId: tenant,
      groupId: q.group,
      supplierId: q.supplier,
      atRiskOnly: q.atRisk === 'true',
      limit: q.limit ?? 100,
      offset: q.offset ?? 0,
      now: this.clock.now().getTime(),
    });
    res.setHeader('X-Log-Position', answer.logPosition ?? 'none');
    return answer;
  }
}
