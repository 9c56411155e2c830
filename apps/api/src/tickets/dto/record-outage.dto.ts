import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length } from 'class-validator';
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

  @ApiProperty({ example: '2023-07-03T09:00:00Z' })
  @IsISO8601({ strict: true, strictSeparator: true })
  to: string;
}
