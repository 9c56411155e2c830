import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { PRIORITIES, type Priority } from '@itsm/domain';
import { CommandBaseDto } from './command-base.dto';

export class ChangeTicketPriorityDto extends CommandBaseDto {
  @ApiProperty({ enum: PRIORITIES, example: 'P1' })
  @IsIn(PRIORITIES)
  priority: Priority;

  @ApiProperty({ example: 'Whole floor affected' })
  @IsString()
  @Length(1, 2000)
  reason: string;
}
