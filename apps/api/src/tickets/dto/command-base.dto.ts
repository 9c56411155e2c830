import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { CorrectionDto } from './correction.dto';

/** Fields every ticket command accepts. */
export class CommandBaseDto {
  @ApiPropertyOptional({
    example: '2023-07-03T09:00:00Z',
    description:
      'When it happened (ISO-8601 with offset). Default: now. Never in the future, never before the raise, and before the previous fact only with a correction.',
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

  @ApiPropertyOptional({
    type: CorrectionDto,
    description:
      "A missed step recorded late: with it, occurredAt may be before the ticket's latest fact (else 422 TICKET.OUT_OF_ORDER). " +
      'Respond, assign, priority, hold, resume, resolve, feedback and complaints only (else 422 TICKET.CORRECTION_NOT_ALLOWED). ' +
      'Judged as the ticket stood at occurredAt; a fact recorded after it that it contradicts is 409 TICKET.CORRECTION_CONFLICT. ' +
      'The fact carries it (history), and GET /sla lists it under corrections.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CorrectionDto)
  correction?: CorrectionDto;
}
