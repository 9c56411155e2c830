import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { CATALOGUE_ID, CHANNELS, PRIORITIES, TICKET_KINDS, type Channel, type Priority, type TicketKind } from '@itsm/domain';
import { CommandBaseDto } from './command-base.dto';

export class RaiseTicketDto extends CommandBaseDto {
  @ApiPropertyOptional({ example: 'INC0012345', description: 'Default: derived from the idempotency key (or generated).' })
  @IsOptional()
  @Matches(CATALOGUE_ID)
  ticketId?: string;

  @ApiProperty({ enum: TICKET_KINDS, example: 'incident' })
  @IsIn(TICKET_KINDS)
  kind: TicketKind;

  @ApiPropertyOptional({ enum: PRIORITIES, example: 'P2', description: 'Either priority, or impact and urgency.' })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @ApiPropertyOptional({ example: 1, description: '1 high, 2 medium, 3 low; mapped with urgency through the tenant matrix.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  impact?: number;

  @ApiPropertyOptional({ example: 2 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3)
  urgency?: number;

  @ApiProperty({ example: 'printing' })
  @IsString()
  @Length(1, 64)
  serviceId: string;

  @ApiProperty({ example: 'Guildhall 5th floor printers offline' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiProperty({ example: 'No printer on the floor answers since 08:40.' })
  @IsString()
  @Length(1, 10_000)
  description: string;

  @ApiProperty({ example: 'jane.doe@cityoflondon.gov.uk' })
  @IsString()
  @Length(1, 200)
  reporter: string;

  @ApiProperty({ enum: CHANNELS, example: 'phone' })
  @IsIn(CHANNELS)
  channel: Channel;
}
