import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { WEBHOOK_EVENT_TYPES } from '@itsm/application';

export class RegisterWebhookDto {
  @ApiProperty({
    example: 'https://alerts.example.org/itsm',
    description:
      'The receiver: https, no credentials, a host that resolves only to public addresses (else 422 naming url); receivers on premises (private addresses, plain http) need ITSM_WEBHOOKS_ALLOW_PRIVATE=on',
  })
  @IsString()
  @MaxLength(2000)
  url: string;

  @ApiProperty({
    example: ['SlaWarningRaised', 'SlaBreached'],
    description: `Event types to receive, among ${WEBHOOK_EVENT_TYPES.join(', ')}. Asking for SlaWarningRaised or SlaBreached brings their retractions (SlaEventRetracted) too.`,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsString({ each: true })
  events: string[];

  @ApiProperty({
    example: 'a-long-random-shared-secret',
    description: 'Signs every delivery (X-ITSM-Signature). Stored sealed (AES-256-GCM), never shown again.',
    writeOnly: true,
  })
  @IsString()
  @Length(16, 256)
  secret: string;

  @ApiPropertyOptional({ description: 'Idempotency key, as an alternative to the Idempotency-Key header' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  commandId?: string;
}
