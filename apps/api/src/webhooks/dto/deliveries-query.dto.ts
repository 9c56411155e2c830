import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class DeliveriesQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'delivered', 'failed'] }) @IsOptional() @IsIn(['pending', 'delivered', 'failed']) status?:
    'pending' | 'delivered' | 'failed';
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(2000) cursor?: string;
}
