import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsPositive,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { HOLIDAY_REGIONS, PRIORITIES, SLA_METRICS, TICKET_KINDS, type HolidayRegion, type Priority, type SlaMetric, type TicketKind } from '@itsm/domain';

export const SLA_TEMPLATES = ['city-of-london-2023', 'shared-ict-2019'] as const;

export class CalendarDto {
  @ApiProperty({ example: 'working-hours' }) @IsString() @Length(1, 64) id: string;
  @ApiProperty({ enum: ['24x7', 'working_hours'] }) @IsIn(['24x7', 'working_hours']) kind: '24x7' | 'working_hours';
  @ApiPropertyOptional({ example: 'Europe/London' }) @IsOptional() @IsString() timeZone?: string;
  @ApiPropertyOptional({ example: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']] }, description: 'local opening hours per weekday' })
  @IsOptional()
  @IsObject()
  hours?: Record<string, Array<[string, string]>>;
  @ApiPropertyOptional({ enum: Object.keys(HOLIDAY_REGIONS), example: 'england-and-wales' })
  @IsOptional()
  @IsIn(Object.keys(HOLIDAY_REGIONS))
  holidays?: HolidayRegion;
  @ApiPropertyOptional({ example: ['2023-12-27'] }) @IsOptional() @IsArray() @IsString({ each: true }) closures?: string[];
}

export class SlaTargetDto {
  @ApiProperty({ enum: TICKET_KINDS }) @IsIn(TICKET_KINDS) kind: TicketKind;
  @ApiProperty({ enum: PRIORITIES }) @IsIn(PRIORITIES) priority: Priority;
  @ApiProperty({ enum: SLA_METRICS }) @IsIn(SLA_METRICS) metric: SlaMetric;
  @ApiProperty({ example: 120 }) @IsNumber() @IsPositive() targetMinutes: number;
  @ApiProperty({ example: '24x7' }) @IsString() calendarId: string;
  @ApiProperty({ example: 98 }) @IsNumber() @Min(0) @Max(100) goalPct: number;
  @ApiPropertyOptional({ example: 'IM1' }) @IsOptional() @IsString() @Length(1, 20) reference?: string;
}

export class HoldRuleDto {
  @ApiProperty() @IsBoolean() pausesTenantClocks: boolean;
  @ApiProperty() @IsBoolean() pausesSupplierClock: boolean;
}

export class HoldRulesDto {
  @ApiProperty({ type: HoldRuleDto }) @ValidateNested() @Type(() => HoldRuleDto) awaiting_customer: HoldRuleDto;
  @ApiProperty({ type: HoldRuleDto }) @ValidateNested() @Type(() => HoldRuleDto) awaiting_supplier: HoldRuleDto;
  @ApiProperty({ type: HoldRuleDto }) @ValidateNested() @Type(() => HoldRuleDto) awaiting_problem: HoldRuleDto;
  @ApiProperty({ type: HoldRuleDto }) @ValidateNested() @Type(() => HoldRuleDto) awaiting_change: HoldRuleDto;
}

export class SlaRulesDto {
  @ApiPropertyOptional({ enum: ['keep_elapsed', 'restart'], default: 'keep_elapsed' }) @IsOptional() @IsIn(['keep_elapsed', 'restart']) priorityChange?:
    'keep_elapsed' | 'restart';
  @ApiPropertyOptional({ enum: ['resume', 'restart'], default: 'resume' }) @IsOptional() @IsIn(['resume', 'restart']) reopen?: 'resume' | 'restart';
  @ApiPropertyOptional({ type: HoldRulesDto }) @IsOptional() @ValidateNested() @Type(() => HoldRulesDto) holds?: HoldRulesDto;
}

/** A new policy version: either a shipped template, or calendars and targets spelled out. */
export class DefineSlaPolicyDto {
  @ApiProperty({ example: '2023-01-01T00:00:00Z', description: 'Tickets raised from then on are measured by this version' })
  @IsISO8601({ strict: true, strictSeparator: true })
  effectiveFrom: string;

  @ApiPropertyOptional({ enum: SLA_TEMPLATES, example: 'city-of-london-2023', description: 'The policies of DOMAIN.md, as shipped seed data' })
  @IsOptional()
  @IsIn(SLA_TEMPLATES)
  template?: (typeof SLA_TEMPLATES)[number];

  @ApiPropertyOptional({ example: 'City of London IT service levels 2023' }) @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ type: [CalendarDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CalendarDto)
  calendars?: CalendarDto[];
  @ApiPropertyOptional({ type: [SlaTargetDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => SlaTargetDto)
  targets?: SlaTargetDto[];
  @ApiPropertyOptional({ type: SlaRulesDto }) @IsOptional() @ValidateNested() @Type(() => SlaRulesDto) rules?: SlaRulesDto;
  @ApiPropertyOptional({
    type: [Number],
    uniqueItems: true,
    example: [75],
    default: [75],
    description: 'Percentages of a target at which an SLA warning is raised, each strictly between 0 and 100',
  })
  @IsOptional()
  @IsArray()
  @IsNumber({}, { each: true })
  warningThresholdsPct?: number[];
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) commandId?: string;
}
