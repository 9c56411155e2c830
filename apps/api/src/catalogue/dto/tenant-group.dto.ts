import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Length, Matches } from 'class-validator';
import { CATALOGUE_ID, TENANT_GROUP_MAX_MEMBERS, TENANT_GROUP_MIN_MEMBERS } from '@itsm/domain';

/** A group's name and members, as registered or revised (the id comes from the path on revise). */
export class TenantGroupSettingsDto {
  @ApiProperty({ example: 'Shared ICT Service boroughs' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({
    example: ['LBB', 'LBL', 'LBS'],
    description: `Member tenants, in the order reports show them: ${TENANT_GROUP_MIN_MEMBERS} to ${TENANT_GROUP_MAX_MEMBERS} registered tenants, each once (else 422 naming tenantIds). The admin's token must cover every one (else 403).`,
  })
  @IsArray()
  @ArrayMaxSize(TENANT_GROUP_MAX_MEMBERS)
  @IsString({ each: true })
  tenantIds: string[];
}

export class RegisterTenantGroupDto extends TenantGroupSettingsDto {
  @ApiProperty({ example: 'boroughs' })
  @Matches(CATALOGUE_ID)
  groupId: string;
}
