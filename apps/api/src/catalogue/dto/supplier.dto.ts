import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNumber, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { CATALOGUE_ID } from '@itsm/domain';

export class SupplierTargetsDto {
  @ApiProperty({ example: 95 })
  @IsNumber()
  @Min(0)
  @Max(100)
  firstTimeFixPct: number;

  @ApiProperty({ example: 97 })
  @IsNumber()
  @Min(0)
  @Max(100)
  uptimePct: number;

  @ApiProperty({ example: 240 })
  @IsNumber()
  @Min(1)
  meanResponseMinutes: number;
}

export class SupplierSettingsDto {
  @ApiProperty({ example: 'Konica' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ type: SupplierTargetsDto })
  @ValidateNested()
  @Type(() => SupplierTargetsDto)
  targets: SupplierTargetsDto;
}

export class RegisterSupplierDto extends SupplierSettingsDto {
  @ApiProperty({ example: 'konica' })
  @Matches(CATALOGUE_ID)
  supplierId: string;
}
