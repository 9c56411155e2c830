import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { CommandBaseDto } from './command-base.dto';

export class RecordOutageDto extends CommandBaseDto {
  @ApiPropertyOptional({ example: 'network-guildhall-5', description: "Default: the ticket's service." })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  serviceId?: string;

  @ApiProperty({ example: '2023-07-03T08:41:00Z' })
  @IsISO8601({ strict: true, strictSeparator: true })
  from: string;

  @ApiPropertyOptional({
    example: '2023-07-03T09:00:00Z',
    description: 'Absent: the outage is still going on (OutageStarted, with an outageId); end it with POST .../outages/{outageId}/end.',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;

  @ApiPropertyOptional({
    example: ['CoL', 'CoLP'],
    description:
      "The tenants the outage affected; their availability figures count it. Default: [the ticket's tenant]. " +
      "Each tenant once (422 TICKET.OUTAGE_TENANTS), each served by the outage's service and within your token " +
      '(422 TICKET.OUTAGE_TENANT_NOT_SERVED: a tenant outside your token is refused in the same words as one the service does not serve). ' +
      'Recorded in OutageRecorded.tenantIds.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  tenantIds?: string[];
}
