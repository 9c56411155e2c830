import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsInstant } from '../../common/instant.validator';
import type { AsOf } from '@itsm/application';

/** A past moment on either axis: what had happened by then, and what the system knew then. */
export class AsOfQueryDto {
  @ApiPropertyOptional({ example: '2023-07-03T09:00:00Z', description: 'business time: facts that had occurred by then' })
  @IsOptional()
  @IsInstant()
  asOf?: string;

  @ApiPropertyOptional({ example: '2023-07-03T09:30:00Z', description: 'record time: facts the system had recorded by then' })
  @IsOptional()
  @IsInstant()
  asOfRecorded?: string;
}

export const toAsOf = (q: AsOfQueryDto): AsOf => ({
  ...(q.asOf ? { asOf: Date.parse(q.asOf) } : {}),
  ...(q.asOfRecorded ? { asOfRecorded: Date.parse(q.asOfRecorded) } : {}),
});
