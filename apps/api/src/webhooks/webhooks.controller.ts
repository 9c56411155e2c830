import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  CatalogueRepository,
  deliveryKey,
  deliveryView,
  LEDGER,
  SecretBox,
  subscriptionKey,
  WebhookCommands,
  WebhookDeliveryProcessor,
  type DeliveryDoc,
} from '@itsm/application';
import type { Principal } from '@itsm/auth';
import { notFound } from '@itsm/domain';
import { READ_STORE, type ReadStore } from '@itsm/read-store';
import { Roles } from '../auth/auth.decorators';
import { ApiAuthenticated, ApiCommand } from '../common/api-docs.decorators';
import { commandMetadata, commandRequest, setCommandHeaders } from '../common/command-request';
import { problem, ProblemException } from '../common/problem-details';
import { DeliveriesQueryDto } from './dto/deliveries-query.dto';
import { RegisterWebhookDto } from './dto/register-webhook.dto';
import { UUID, webhookProblem } from './webhook-problems';
import { SECRET_BOX } from './webhooks.providers';

type Req = Request & { principal: Principal };

/**
 * A tenant's webhooks (admin of the tenant): register, list, remove; the delivery ledger of each,
 * and a retry for a parked delivery. Secrets are taken once and never shown again.
 */
@ApiTags('webhooks')
@ApiParam({ name: 'tenant', example: 'CoL' })
@Controller('v1/tenants/:tenant/webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhookCommands,
    private readonly catalogue: CatalogueRepository,
    private readonly processor: WebhookDeliveryProcessor,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(SECRET_BOX) private readonly box: SecretBox | null,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiCommand("Register a webhook: the tenant's events of the types asked for are POSTed to the url, signed with the secret", 201)
  async register(@Param('tenant') tenant: string, @Body() dto: RegisterWebhookDto, @Req() req: Req, @Res({ passthrough: true }) res: Response) {
    await this.assertTenant(tenant);
    // The request's fingerprint (kept in the log to tell a retry from a reused key) holds a keyed digest of the secret, never the secret.
    const fingerprinted = { ...dto, secret: this.box ? this.box.digest(dto.secret) : '' };
    const request = commandRequest(req, fingerprinted);
    try {
      const { webhookId, result } = await this.webhooks.register(tenant, dto, commandMetadata(request, tenant));
      setCommandHeaders(res, result);
      res.setHeader('Location', `/v1/tenants/${tenant}/webhooks/${webhookId}`);
      return { webhookId };
    } catch (error) {
      throw webhookProblem(error);
    }
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'The webhooks in force (without their secrets)' })
  @ApiAuthenticated()
  @ApiOkResponse({ description: '{webhooks}: each webhook in force, without its secret' })
  async list(@Param('tenant') tenant: string) {
    return { webhooks: await this.webhooks.list(tenant) };
  }

  @Get(':webhookId')
  @Roles('admin')
  @ApiOperation({ summary: 'One webhook (without its secret)' })
  @ApiAuthenticated()
  @ApiOkResponse({ description: 'The webhook, without its secret' })
  get(@Param('tenant') tenant: string, @Param('webhookId') webhookId: string) {
    return this.webhooks.get(tenant, webhookId);
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @Roles('admin')
  @ApiCommand('Remove a webhook: nothing more is sent to it', 204)
  async remove(
    @Param('tenant') tenant: string,
    @Param('webhookId') webhookId: string,
    @Req() req: Req,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const result = await this.webhooks.remove(tenant, webhookId, commandMetadata(commandRequest(req, {}), tenant));
    setCommandHeaders(res, result);
  }

  @Get(':webhookId/deliveries')
  @Roles('admin')
  @ApiAuthenticated()
  @ApiOperation({ summary: "The delivery ledger, in log order: each event's attempts, status (pending, delivered, failed), last HTTP status and time" })
  @ApiOkResponse({ description: '{deliveries, nextCursor?}: a page of the ledger; ask again with cursor=nextCursor for the next' })
  async deliveries(@Param('tenant') tenant: string, @Param('webhookId') webhookId: string, @Query() q: DeliveriesQueryDto) {
    await this.webhooks.get(tenant, webhookId);
    const page = await this.reads.find<DeliveryDoc>(LEDGER.deliveries, {
      filter: { hook: subscriptionKey(tenant, webhookId), ...(q.status ? { status: q.status } : {}) },
      sort: { field: 'seq', direction: 'asc' },
      limit: q.limit ?? 100,
      cursor: q.cursor,
    });
    return { deliveries: page.items.map(deliveryView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  @Post(':webhookId/deliveries/:eventId/retry')
  @HttpCode(202)
  @Roles('admin')
  @ApiCommand("Send a parked (failed) delivery again: it goes back in line, before the webhook's later deliveries", 202)
  async retry(
    @Param('tenant') tenant: string,
    @Param('webhookId') webhookId: string,
    @Param('eventId') eventId: string,
    @Req() req: Req,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.webhooks.get(tenant, webhookId);
    const delivery = UUID.test(eventId) ? await this.reads.get<DeliveryDoc>(LEDGER.deliveries, deliveryKey(tenant, webhookId, eventId)) : undefined;
    if (!delivery) throw notFound('WEBHOOK.DELIVERY_NOT_FOUND', `No delivery of event ${eventId} to webhook ${webhookId}`);
    if (delivery.status !== 'failed') {
      throw new ProblemException(
        problem(409, 'WEBHOOK.DELIVERY_NOT_FAILED', `The delivery is ${delivery.status}: only a parked (failed) delivery can be retried`),
      );
    }
    const result = await this.webhooks.requestRetry(tenant, webhookId, eventId, commandMetadata(commandRequest(req, {}), tenant));
    setCommandHeaders(res, result);
    this.processor.wake();
    return { webhookId, eventId, status: 'retry_requested' };
  }

  /** A tenant that is not registered has no webhooks: 404, as for any unknown tenant. */
  private async assertTenant(tenant: string): Promise<void> {
    if (!(await this.catalogue.value('Tenant', tenant))) throw notFound('TENANT.NOT_FOUND', `Tenant ${tenant} is not registered`);
  }
}
