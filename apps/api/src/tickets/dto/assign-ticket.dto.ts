import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { CommandBaseDto } from './command-base.dto';

export class AssignTicketDto extends CommandBaseDto {
  @ApiProperty({ example: 'service-desk' })
  @IsString()
  @Length(1, 64)
  groupId: string;

  @ApiPropertyOptional({ example: 'konica', description: 'Passed to a supplier: its own clock runs while assigned.' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  supplierId?: string;
}
