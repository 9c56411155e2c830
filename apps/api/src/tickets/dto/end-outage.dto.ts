import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601 } from 'class-validator';
import { CommandBaseDto } from './command-base.dto';

export class EndOutageDto extends CommandBaseDto {
  @ApiProperty({ example: '2023-07-03T09:00:00Z', description: 'When the service came back: after the outage began, not in the future.' })
  @IsISO8601({ strict: true, strictSeparator: true })
  to: string;
}
