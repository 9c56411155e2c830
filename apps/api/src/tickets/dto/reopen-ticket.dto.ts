import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { CommandBaseDto } from './command-base.dto';

export class ReopenTicketDto extends CommandBaseDto {
  @ApiProperty({ example: 'Printers offline again' })
  @IsString()
  @Length(1, 2000)
  reason: string;
}
