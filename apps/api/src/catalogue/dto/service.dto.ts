import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsBoolean, IsIn, IsNumber, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { CATALOGUE_ID, OWNERSHIP, type Ownership } from '@itsm/domain';

export class ServiceSettingsDto {
  @ApiProperty({ example: 'Printing' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: ['CoL', 'CoLP'], description: 'Tenants this service is offered to' })
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  tenantIds: string[];

  @ApiProperty({ example: false, description: 'A P1 is a general outage of a critical service' })
  @IsBoolean()
  critical: boolean;

  @ApiProperty({ enum: OWNERSHIP, example: 'it_owned' })
  @IsIn(OWNERSHIP)
  ownership: Ownership;

  @ApiPropertyOptional({ example: 'konica' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  supplierId?: string;

  @ApiProperty({ example: 99.5 })
  @IsNumber()
  @Min(0)
  @Max(100)
  availabilityTargetPct: number;
}

export class RegisterServiceDto extends ServiceSettingsDto {
  @ApiProperty({ example: 'printing' })
  @Matches(CATALOGUE_ID)
  serviceId: string;
}
