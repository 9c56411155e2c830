import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { MAJOR_INCIDENT_TRIGGERS, type MajorIncidentTrigger } from '@itsm/domain';
import { CommandBaseDto } from './command-base.dto';

export class DeclareMajorIncidentDto extends CommandBaseDto {
  @ApiProperty({
    example: 'MIR101',
    description:
      'Major incident register number, one major incident per tenant: MIR101, MIR-101 and MIR0101 are one number. ' +
      'Reserved in the register of every tenant in tenantsAffected (stream major-incidents-<tenant>) before the ticket records it; ' +
      'taken there by another ticket: 409 TICKET.MAJOR_INCIDENT_REFERENCE_TAKEN (the holding ticket is named only if your token covers its tenant).',
  })
  @Matches(/^MIR-?\d{1,9}$/)
  reference: string;

  @ApiProperty({
    example: ['LBB', 'LBL', 'LBS'],
    description:
      "The tenants affected: the ticket's own among them, each registered and within your token (422 TICKET.MAJOR_INCIDENT_TENANTS: " +
      'a tenant outside your token is refused in the same words as an unknown one); at least two for multi_tenant_outage.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  tenantsAffected: string[];

  @ApiProperty({ enum: MAJOR_INCIDENT_TRIGGERS, example: 'multi_tenant_outage' })
  @IsIn(MAJOR_INCIDENT_TRIGGERS)
  trigger: MajorIncidentTrigger;

  @ApiPropertyOptional({ example: 'Email unavailable for all three boroughs' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  description?: string;
}
