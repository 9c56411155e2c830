import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { MAJOR_INCIDENT_TRIGGERS, type MajorIncidentTrigger } from '@itsm/domain';
import { CommandBaseDto } from './command-base.dto';

export class DeclareMajorIncidentDto extends CommandBaseDto {
  @ApiProperty({ example: 'MIR101', description: 'Major incident register number.' })
  @Matches(/^MIR-?\d{1,9}$/)
  reference: string;

  @ApiProperty({ example: ['LBB', 'LBL', 'LBS'] })
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
