import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

/** Why a command is dated before the ticket's latest fact: a missed step recorded late. */
export class CorrectionDto {
  @ApiProperty({ example: 'The customer was asked for logs at 10:00 by phone; the hold was not recorded then' })
  @IsString()
  @Length(1, 2000)
  reason: string;
}
