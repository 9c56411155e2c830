import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { PUBLISHABLE_REPORTS } from '@itsm/domain';

/**
 * A publication request. Both fields are required; their rules (a known report, a month that has
 * begun) are the domain's, answered 422 naming the field. A value of the wrong type is a malformed
 * body (400), as everywhere.
 */
export class PublishFiguresDto {
  @ApiPropertyOptional({ enum: PUBLISHABLE_REPORTS, example: 'service-delivery-summary', description: 'required: the report to publish' })
  @IsOptional()
  @IsString()
  report?: string;

  @ApiPropertyOptional({ example: '2023-07', description: 'required: the month (YYYY-MM, Europe/London); it must have begun' })
  @IsOptional()
  @IsString()
  month?: string;

  @ApiPropertyOptional({
    example: 'publish-2023-07',
    description: 'Idempotency key, as an alternative to the Idempotency-Key header: a retry with it records nothing new and answers the same publication.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  commandId?: string;
}
