import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { EventFeed, type FeedQuery, type FeedSubscription } from '@itsm/application';
import { mayTouchTenant, type Principal } from '@itsm/auth';
import { InvalidPositionError, parseLogPosition, showPosition, type LogPosition } from '@itsm/event-store';
import { Roles } from '../auth/auth.decorators';
import { ApiAuthenticated } from '../common/api-docs.decorators';
import { problem, ProblemException } from '../common/problem-details';
import { FeedQueryDto } from './dto/feed-query.dto';
import { LiveFeeds } from './live-feeds';

type Req = Request & { principal: Principal };

/** A live feed says how far it has read at least this often, so an idle one stays open through proxies. */
const KEEPALIVE_MS = 15_000;

const badPosition = (field: string) =>
  new ProblemException(
    problem(400, 'REQUEST.INVALID_POSITION', `${field} is not a position of this log: give the next of a previous page, or an event's position`, {
      errors: [{ field, rule: 'position', message: `${field} must be a position handed out by this log` }],
    }),
  );

/**
 * The tenant's events in log order, for consumers that build their own reports: a page at a time,
 * or live as server-sent events (`Accept: text/event-stream`), resumable with Last-Event-ID.
 */
@ApiTags('events')
@ApiParam({ name: 'tenant', example: 'CoL' })
@Controller('v1/tenants/:tenant/events')
export class EventsFeedController {
  constructor(
    private readonly feed: EventFeed,
    private readonly live: LiveFeeds,
  ) {}

  @Get()
  @Roles('reporter', 'auditor')
  @ApiAuthenticated()
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ description: 'application/json: a page {events, next, atHead}. text/event-stream: the events live, one message each, its id the position' })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'text/event-stream only: resume after this event (an EventSource sends it on reconnecting)',
  })
  @ApiOperation({
    summary:
      "The tenant's events in log order: {events, next, atHead}; ask again with after=next. Another tenant's events never appear; services and resolver groups appear where they serve (or stopped serving) the tenant, suppliers everywhere. With Accept: text/event-stream, the same events live, each message's id its position.",
  })
  async events(@Param('tenant') tenantId: string, @Query() q: FeedQueryDto, @Req() req: Req, @Res() res: Response): Promise<void> {
    const live = (req.header('accept') ?? '').includes('text/event-stream');
    const lastEventId = live ? req.header('last-event-id') : undefined;
    const field = lastEventId !== undefined ? 'Last-Event-ID' : 'after';
    const text = lastEventId ?? q.after;
    const after = text === undefined || text === '' ? undefined : parseLogPosition(text);
    if (text !== undefined && text !== '' && after === undefined) throw badPosition(field);
    const query: FeedQuery = {
      tenantId,
      after,
      types: q.types ? new Set(q.types.split(',')) : undefined,
      mayView: (t) => mayTouchTenant(req.principal, t),
    };
    try {
      await this.feed.checkPosition(after);
    } catch (error) {
      // A number no position can be (beyond the store's 64 bits) is refused by the driver with a RangeError.
      throw error instanceof InvalidPositionError || (error as Error)?.name === 'RangeError' ? badPosition(field) : error;
    }
    if (!live) {
      res.json(await this.feed.page(query, q.limit ?? 100));
      return;
    }
    if (this.live.full) {
      res.setHeader('Retry-After', '5');
      throw new ProblemException(
        problem(503, 'FEED.TOO_MANY_LIVE_FEEDS', 'Too many live feeds are open on this server; try again shortly, or read pages', {
          title: 'Service Unavailable',
        }),
      );
    }
    await this.stream(query, req, res);
  }

  /** Server-sent events: `id: <position>` and `data: <event JSON>` per event; keepalives carry the position read so far. */
  private async stream(query: FeedQuery, req: Req, res: Response): Promise<void> {
    const subscription: FeedSubscription = this.feed.follow(query);
    this.live.add(subscription);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    let read: LogPosition | undefined = query.after;
    let told = read;
    const keepalive = setInterval(() => {
      // An id alone moves the client's Last-Event-ID past events this tenant does not see.
      res.write(read !== told ? `: keepalive\nid: ${showPosition(read)}\n\n` : ': keepalive\n\n');
      told = read;
    }, KEEPALIVE_MS);
    const closed = new Promise<void>((resolve) => req.on('close', resolve));
    void closed.then(() => subscription.close());
    try {
      for await (const { position, event } of subscription) {
        read = position;
        if (!event) continue;
        told = position;
        if (!res.write(`id: ${position}\ndata: ${JSON.stringify(event)}\n\n`)) await Promise.race([new Promise((r) => res.once('drain', r)), closed]);
      }
    } catch {
      // The log failed under the stream: end it; the client resumes with its Last-Event-ID.
    } finally {
      clearInterval(keepalive);
      this.live.delete(subscription);
      await subscription.close();
      res.end();
    }
  }
}
