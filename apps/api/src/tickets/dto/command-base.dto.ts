import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length } from 'class-validator';

/** Fields every ticket command accepts. */
export class CommandBaseDto {
  @ApiPropertyOptional({
    example: '2023-07-03T09:00:00Z',
    description: 'When it happened (ISO-8601 with offset). Default: now. Never in the future, never before the previous fact.',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  occurredAt?: string;

  @ApiPropertyOptional({
    example: '5d1c0f3e-2b1a-4c47-9a51-8f7f2f0a9e11',
    description: 'Idempotency key, as an alternative to the Idempotency-Key header: a retry with it appends nothing.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  commandId?: string;
}
