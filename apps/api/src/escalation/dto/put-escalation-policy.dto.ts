import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsNumber, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { MAX_ESCALATION_PERCENT, MAX_ESCALATION_RULES, MAX_NOTIFY_TARGETS, PRIORITIES, SLA_METRICS, TICKET_KINDS } from '@itsm/domain';
import { IsInstant } from '../../common/instant.validator';

/**
 * Types only: which kinds, priorities, metrics, percentages and targets are allowed is the domain's
 * rule (libs/domain/src/sla/escalation-policy.ts), answered 422 naming the field.
 */
export class EscalationRuleDto {
  @ApiProperty({ enum: TICKET_KINDS, example: 'incident' }) @IsString() kind: string;
  @ApiProperty({ enum: PRIORITIES, example: 'P1' }) @IsString() priority: string;
  @ApiProperty({ enum: SLA_METRICS, example: 'resolution' }) @IsString() metric: string;
  @ApiProperty({ example: 75, description: `percentage of the SLA target used, above 0 and at most ${MAX_ESCALATION_PERCENT}` }) @IsNumber() atPercent: number;
  @ApiProperty({
    example: ['group:service-desk', 'role:incident-manager', 'email:duty.manager@example.org'],
    description: `1 to ${MAX_NOTIFY_TARGETS} targets: group:<resolver group serving the tenant>, supplier:<supplier id>, role:<a-z, 0-9, ->, email:<address>`,
  })
  @IsArray()
  @IsString({ each: true })
  notify: string[];
}

/** The tenant's next escalation policy version: every rule, as a whole. */
export class PutEscalationPolicyDto {
  @ApiProperty({ type: [EscalationRuleDto], description: `at most ${MAX_ESCALATION_RULES}; an empty list escalates nothing` })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => EscalationRuleDto)
  rules: EscalationRuleDto[];

  @ApiPropertyOptional({
    example: '2023-07-01T00:00:00Z',
    description: 'crossings from then on escalate by this version (default: now); not before the latest version',
  })
  @IsOptional()
  @IsInstant()
  effectiveFrom?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) commandId?: string;
}
