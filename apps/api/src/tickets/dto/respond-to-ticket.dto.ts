import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { CommandBaseDto } from './command-base.dto';

export class RespondToTicketDto extends CommandBaseDto {
  @ApiPropertyOptional({ example: 'service-desk', description: "Who made the first response (a person or group). Default: the token's subject." })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  respondedBy?: string;
}
