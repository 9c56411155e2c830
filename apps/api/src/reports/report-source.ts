import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { DateTime } from 'luxon';
import { Projector, ReplaysBusyError, ReportQueries, ReportReplays } from '@itsm/projections';
import { parseLogPosition, showPosition, type LogPosition } from '@itsm/event-store';
import { CLOCK, type Clock } from '../common/clock';
import { problem, ProblemException } from '../common/problem-details';
import type { PeriodQueryDto, ReportAsOfDto } from './dto/report-query.dto';

/** Reporting periods are read in this zone. */
export const REPORT_ZONE = 'Europe/London';

/** What a report answers from: the read models and the moment they stand for. */
export interface ReportMoment {
  reports: ReportQueries;
  now: Date;
  position: LogPosition | undefined;
}

export const invalidQuery = (field: string, rule: string, message: string) =>
  new ProblemException(problem(400, 'REQUEST.INVALID', message, { errors: [{ field, rule, message }] }));

/**
 * The read models a report answers from, for a tenant's reports and a group's alike: the live ones
 * now, or a replay of the log up to asOfPosition / asOfRecorded. X-Log-Position says which, so any
 * answer can be reproduced later by asking again with asOfPosition.
 */
@Injectable()
export class ReportSource {
  constructor(
    private readonly reports: ReportQueries,
    private readonly projector: Projector,
    private readonly replays: ReportReplays,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async at(q: ReportAsOfDto, res: Response): Promise<ReportMoment> {
    if (q.asOfPosition !== undefined && q.asOfRecorded !== undefined) {
      throw invalidQuery('asOfRecorded', 'exclusiveWith', 'asOfRecorded cannot be combined with asOfPosition: give one moment');
    }
    if (q.asOfPosition === undefined && q.asOfRecorded === undefined) {
      // Another process may run the projector, and may have taken a new version over: follow it.
      await this.projector.refresh();
      res.setHeader('X-Log-Position', showPosition(this.projector.checkpoint) ?? 'none');
      return { reports: this.reports, now: this.clock.now(), position: this.projector.checkpoint };
    }
    const recorded = q.asOfRecorded === undefined ? undefined : new Date(q.asOfRecorded);
    const replay = await this.replays
      .at(recorded ? await this.replays.positionAtRecorded(recorded) : parseLogPosition(q.asOfPosition))
      .catch((error: unknown) => {
        if (!(error instanceof ReplaysBusyError)) throw error;
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
        throw new ProblemException(problem(503, error.code, error.message));
      });
    const now = recorded ?? replay.recordedAt;
    res.setHeader('X-Log-Position', showPosition(replay.position) ?? 'none');
    res.setHeader('X-As-Of', now.toISOString());
    return { reports: replay.queries, now, position: replay.position };
  }

  /** from/to of a period report: to defaults to this month, from to 11 months before it. */
  range(q: PeriodQueryDto, now: Date): { from: string; to: string } {
    const to = q.to ?? DateTime.fromJSDate(now, { zone: REPORT_ZONE }).toFormat('yyyy-MM');
    const from = q.from ?? DateTime.fromFormat(to, 'yyyy-MM').minus({ months: 11 }).toFormat('yyyy-MM');
    return { from, to };
  }

  /** The month of a monthly report: this month by default (`monthsBack` 1: last month). */
  month(q: { month?: string }, now: Date, monthsBack = 0): string {
    return q.month ?? DateTime.fromJSDate(now, { zone: REPORT_ZONE }).minus({ months: monthsBack }).toFormat('yyyy-MM');
  }

  /** The weeks of an aged-backlog report: the last 12 by default, ten years at most. */
  backlogWeeks(q: { from?: string; to?: string }, now: Date): { fromWeek: string; toWeek: string } {
    const today = DateTime.fromJSDate(now, { zone: REPORT_ZONE });
    const fromWeek = q.from ?? today.minus({ weeks: 12 }).toISODate()!;
    const toWeek = q.to ?? today.toISODate()!;
    for (const [field, value] of [
      ['from', fromWeek],
      ['to', toWeek],
    ] as const) {
      if (!DateTime.fromISO(value).isValid) throw invalidQuery(field, 'date', `${field} must be a calendar date (YYYY-MM-DD)`);
    }
    // Every week in the range is a row (empty ones too): a range is bounded like any page.
    if (DateTime.fromISO(toWeek).diff(DateTime.fromISO(fromWeek), 'weeks').weeks > MAX_BACKLOG_WEEKS)
      throw invalidQuery('from', 'maxRange', `from and to may span at most ${MAX_BACKLOG_WEEKS} weeks`);
    return { fromWeek, toWeek };
  }
}

/** Ten years of weeks. */
const MAX_BACKLOG_WEEKS = 530;
