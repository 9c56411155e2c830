import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { CommandBaseDto } from './command-base.dto';

export class RecordFeedbackDto extends CommandBaseDto {
  @ApiPropertyOptional({ example: 5, description: '1 very poor … 5 very good' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  satisfaction?: number;

  @ApiPropertyOptional({ example: 9, description: 'Net Promoter answer, 0–10' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  nps?: number;

  @ApiPropertyOptional({ example: 'Fixed within the hour, thank you' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  comment?: string;
}
