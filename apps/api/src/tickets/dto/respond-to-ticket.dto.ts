import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { CommandBaseDto } from './command-base.dto';

export class RespondToTicketDto extends CommandBaseDto {
  @ApiProperty({ example: 'service-desk', description: 'Who made the first response (a person or group).' })
  @IsString()
  @Length(1, 200)
  respondedBy: string;
}
