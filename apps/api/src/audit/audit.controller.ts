import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@itsm/event-store';
import { verifyLog, type VerifyReport } from '@itsm/event-audit';
import { Roles } from '../auth/auth.decorators';
import { ApiAuthenticated } from '../common/api-docs.decorators';

/** Tamper evidence for auditors: the log's hash chains recomputed, scoped to their tenant. */
@ApiTags('audit')
@ApiParam({ name: 'tenant', example: 'CoL' })
@ApiAuthenticated()
@Controller('v1/tenants/:tenant/audit')
export class AuditController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('verify')
  @Roles('auditor')
  @ApiOperation({
    summary:
      "Recomputes every event's hash chain and the global chain's checkpoints; reports the first break. Breaks in other tenants' streams are reported without naming them.",
  })
  verify(@Param('tenant') tenant: string): Promise<VerifyReport> {
    return verifyLog(this.store, { tenantId: tenant });
  }
}
