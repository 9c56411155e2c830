import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { EVENT_STORE, showPosition, type EventStore } from '@itsm/event-store';
import { APP_CONFIG, type AppConfig } from '@itsm/config';
import { Public } from '../auth/auth.decorators';
import { Projector } from '@itsm/projections';
import { READ_STORE, type ReadStore } from '@itsm/read-store';

/** Open to all: says which adapters are in use and whether the store answers. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly projector: Projector,
  ) {}

  @Get()
  @ApiOperation({
    summary: "Adapters in use, whether the stores answer, and the projector's state",
    description: 'status is ok when both stores answer and the projector has neither failed nor lost the log; degraded otherwise.',
    // Open to all (@Public): no token is asked for, so the document says no security applies.
    security: [],
  })
  @ApiOkResponse({ description: 'The health report (also when degraded: read status)' })
  @ApiTooManyRequestsResponse({
    description: "Over the caller's allowance (ITSM_RATE_LIMIT_PER_MINUTE, per client address here); Retry-After says when to try again",
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
  })
  async health() {
    const reachable = await this.eventStore.ping();
    const headPosition = reachable ? showPosition(await this.eventStore.headPosition()) : null;
    const readReachable = await this.readStore.ping();
    const projection = reachable ? await this.projector.status() : undefined;
    return {
      status: reachable && readReachable && projection?.state !== 'failed' && projection?.state !== 'reconnecting' ? 'ok' : 'degraded',
      eventStore: { adapter: this.eventStore.kind, reachable, headPosition },
      readStore: { adapter: this.readStore.kind, reachable: readReachable },
      projections: projection ? [projection] : [],
    };
  }
}
