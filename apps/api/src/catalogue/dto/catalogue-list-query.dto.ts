import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { CATALOGUE_ID } from '@itsm/domain';

/** A page of a catalogue list: entries by id, after the cursor, optionally only those of one tenant. */
export class CatalogueListQueryDto {
  @ApiPropertyOptional({
    example: 'CoL',
    description: 'Only the entries serving this tenant (suppliers: those behind its services). A tenant outside the token is 403.',
  })
  @IsOptional()
  @Matches(CATALOGUE_ID)
  tenant?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 2048)
  cursor?: string;
}
