import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { CATALOGUE_ID } from '@itsm/domain';

export const MAX_QUEUE_PAGE = 500;

export class QueueQueryDto {
  @ApiPropertyOptional({ example: 'service-desk', description: 'only tickets assigned to this resolver group' })
  @IsOptional()
  @Matches(CATALOGUE_ID, { message: 'group must be a resolver group id' })
  group?: string;

  @ApiPropertyOptional({ example: 'konica', description: 'only tickets with this supplier' })
  @IsOptional()
  @Matches(CATALOGUE_ID, { message: 'supplier must be a supplier id' })
  supplier?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: list only tickets at risk now (counts still cover every ticket selected)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  atRisk?: 'true' | 'false';

  @ApiPropertyOptional({ default: 100, maximum: MAX_QUEUE_PAGE }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_QUEUE_PAGE) limit?: number;
  @ApiPropertyOptional({ default: 0, description: 'nextOffset of the previous page (the order is recomputed at each request)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}
