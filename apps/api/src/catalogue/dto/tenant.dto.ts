import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { CATALOGUE_ID, PRIORITIES, type PriorityMatrix } from '@itsm/domain';
import { IsInstant } from '../../common/instant.validator';

/** A tenant's settings, as registered or revised (the id comes from the path on revise). */
export class TenantSettingsDto {
  @ApiProperty({ example: 'City of London Corporation' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ example: 'Europe/London', default: 'Europe/London' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  timeZone?: string;

  // A matrix of priorities: the property's own type (an array) would document an array of strings.
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'array', items: { type: 'string', enum: [...PRIORITIES] }, minItems: 3, maxItems: 3 },
    minItems: 3,
    maxItems: 3,
    example: [
      ['P1', 'P2', 'P3'],
      ['P2', 'P3', 'P4'],
      ['P3', 'P4', 'P4'],
    ],
    description: 'rows: impact 1..3, columns: urgency 1..3. Default: the ITIL matrix.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(3)
  @ArrayMaxSize(3)
  @IsArray({ each: true })
  @ArrayMinSize(3, { each: true })
  @ArrayMaxSize(3, { each: true })
  priorityMatrix?: PriorityMatrix;

  @ApiPropertyOptional({ example: 5, default: 5, description: 'Resolved tickets close themselves after this many days' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  autoCloseDays?: number;

  @ApiPropertyOptional({ example: 10, default: 10, description: 'Closed tickets may be reopened for this many days' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  reopenWindowDays?: number;

  @ApiPropertyOptional({
    example: '2015-04-01T00:00:00Z',
    default: '2000-01-01T00:00:00.000Z',
    description: "No fact of this tenant's tickets may be dated before this instant (1970 or later)",
  })
  @IsOptional()
  @IsInstant()
  historyStartsAt?: string;
}

export class RegisterTenantDto extends TenantSettingsDto {
  @ApiProperty({ example: 'CoL' })
  @Matches(CATALOGUE_ID)
  tenantId: string;
}
