import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IsInstant } from '../../common/instant.validator';
import { GRANULARITIES, type Granularity } from '@itsm/projections';
import { SUMMARY_FORMAT_NAMES, type SummaryFormat } from '@itsm/report-rendering';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Every report can be asked as the log stood at a position, or as the system knew it at an instant. */
export class ReportAsOfDto {
  @ApiPropertyOptional({
    example: '1200',
    description: 'answer from a replay of the log up to this position (see the X-Log-Position header of an earlier answer)',
  })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'asOfPosition must be a log position (a non-negative integer)' })
  asOfPosition?: string;

  @ApiPropertyOptional({ example: '2023-08-01T09:00:00Z', description: 'answer from a replay of what the system had recorded by this instant' })
  @IsOptional()
  @IsInstant()
  asOfRecorded?: string;
}

export class PeriodQueryDto extends ReportAsOfDto {
  @ApiPropertyOptional({ example: '2023-07', description: 'first month (YYYY-MM); default: 11 months before "to"' })
  @IsOptional()
  @Matches(MONTH)
  from?: string;
  @ApiPropertyOptional({ example: '2023-07', description: 'last month (YYYY-MM); default: this month' }) @IsOptional() @Matches(MONTH) to?: string;
  @ApiPropertyOptional({
    enum: GRANULARITIES,
    default: 'month',
    description: 'Calendar month, quarter (2023-Q3) or year; or financial-quarter (2023-24 Q2) and financial-year (2023-24), April to March',
  })
  @IsOptional()
  @IsIn(GRANULARITIES)
  granularity?: Granularity;
}

export class SlaPerformanceQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: ['all', 'service', 'supplier', 'group'], default: 'all' }) @IsOptional() @IsIn(['all', 'service', 'supplier', 'group']) by?:
    'all' | 'service' | 'supplier' | 'group';
  @ApiPropertyOptional({ example: 'konica', description: 'one service, supplier or group' }) @IsOptional() @IsString() value?: string;
}

export class MonthQueryDto extends ReportAsOfDto {
  @ApiPropertyOptional({ example: '2023-07', description: 'YYYY-MM; default: this month' }) @IsOptional() @Matches(MONTH) month?: string;
  @ApiPropertyOptional({ example: 'konica' }) @IsOptional() @IsString() supplier?: string;
}

export class BacklogQueryDto extends ReportAsOfDto {
  @ApiPropertyOptional({ example: 30, default: 30, description: 'age threshold in days for "now"' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  days?: number;
  @ApiPropertyOptional({ example: '2023-06-01', description: 'first week (date); default: 12 weeks ago' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  from?: string;
  @ApiPropertyOptional({ example: '2023-09-01', description: 'last week (date); default: now' }) @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) to?: string;
}

export class TicketListQueryDto extends ReportAsOfDto {
  @ApiPropertyOptional({ enum: ['incident', 'service_request', 'starter_mover_leaver'] })
  @IsOptional()
  @IsIn(['incident', 'service_request', 'starter_mover_leaver'])
  kind?: string;
  @ApiPropertyOptional({ enum: ['new', 'in_progress', 'on_hold', 'resolved', 'closed'] })
  @IsOptional()
  @IsIn(['new', 'in_progress', 'on_hold', 'resolved', 'closed'])
  status?: string;
  @ApiPropertyOptional({ enum: ['P1', 'P2', 'P3', 'P4'] }) @IsOptional() @IsIn(['P1', 'P2', 'P3', 'P4']) priority?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() service?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() supplier?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() group?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'open with a recorded breach' }) @IsOptional() @IsIn(['true', 'false']) breached?: string;
  @ApiPropertyOptional({ example: 30, description: 'only tickets open longer than this many days' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  aged?: number;
  @ApiPropertyOptional({ enum: ['raisedAt', 'lastOccurredAt', 'priority'], default: 'raisedAt' })
  @IsOptional()
  @IsIn(['raisedAt', 'lastOccurredAt', 'priority'])
  sort?: string;
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' }) @IsOptional() @IsIn(['asc', 'desc']) order?: 'asc' | 'desc';
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() cursor?: string;
}

export class SummaryQueryDto extends ReportAsOfDto {
  @ApiPropertyOptional({ example: '2023-07', description: 'YYYY-MM; default: last month' }) @IsOptional() @Matches(MONTH) month?: string;
  @ApiPropertyOptional({
    enum: SUMMARY_FORMAT_NAMES,
    description:
      'overrides the Accept header (csv: one row per figure; pdf: the A4 committee document; xlsx: a sheet per table and per ticket list; pdf and xlsx are stamped with the log position and the global chain head hash)',
  })
  @IsOptional()
  @IsIn(SUMMARY_FORMAT_NAMES)
  format?: SummaryFormat;
}
