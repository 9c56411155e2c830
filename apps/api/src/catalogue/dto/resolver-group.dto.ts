import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';
import { CATALOGUE_ID } from '@itsm/domain';

export class ResolverGroupSettingsDto {
  @ApiProperty({ example: 'Service Desk' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: ['CoL', 'CoLP'] })
  @IsArray()
  @ArrayMinSize(1)
  @IsString({ each: true })
  tenantIds: string[];

  @ApiPropertyOptional({ example: true, default: false, description: 'Resolutions by this group count as first-line fixes' })
  @IsOptional()
  @IsBoolean()
  serviceDesk?: boolean;
}

export class RegisterResolverGroupDto extends ResolverGroupSettingsDto {
  @ApiProperty({ example: 'service-desk' })
  @Matches(CATALOGUE_ID)
  groupId: string;
}
