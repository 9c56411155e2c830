import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { HOLD_REASONS, type HoldReason } from '@itsm/domain';
import { CommandBaseDto } from './command-base.dto';

export class PutTicketOnHoldDto extends CommandBaseDto {
  @ApiProperty({ enum: HOLD_REASONS, example: 'awaiting_customer' })
  @IsIn(HOLD_REASONS)
  reason: HoldReason;

  @ApiPropertyOptional({ example: 'Asked the user to restart the device' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}
