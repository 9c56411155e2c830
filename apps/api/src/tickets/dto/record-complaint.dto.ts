import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { CommandBaseDto } from './command-base.dto';

export class RecordComplaintDto extends CommandBaseDto {
  @ApiProperty({ example: 'Nobody called me back for two days' })
  @IsString()
  @Length(1, 10_000)
  description: string;
}
