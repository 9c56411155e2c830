import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import { CommandBaseDto } from './command-base.dto';

export class ResolveTicketDto extends CommandBaseDto {
  @ApiProperty({ example: 'fixed' })
  @IsString()
  @Length(1, 100)
  resolutionCode: string;

  @ApiProperty({ example: 'Print server spooler crashed' })
  @IsString()
  @Length(1, 2000)
  rootCause: string;

  @ApiPropertyOptional({ example: 'Restarted the spooler and cleared the queue' })
  @IsOptional()
  @IsString()
  @Length(1, 10_000)
  resolution?: string;

  @ApiPropertyOptional({
    example: 'service-desk',
    description:
      'Default: the resolver group the ticket is assigned to (at occurredAt); without an assignment it is required (422 TICKET.RESOLVED_BY_GROUP_REQUIRED).',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  resolvedByGroupId?: string;

  @ApiProperty({ example: true, description: 'Resolved at first contact by the service desk (SD2).' })
  @IsBoolean()
  firstLineFix: boolean;
}
