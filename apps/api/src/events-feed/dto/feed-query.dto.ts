import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export const MAX_FEED_TYPES = 50;

export class FeedQueryDto {
  @ApiPropertyOptional({
    example: '1200',
    description:
      "resume strictly after this position: the `next` of a previous page, or an event's `position` (absent: from the start). With text/event-stream, the Last-Event-ID header wins.",
  })
  @IsOptional()
  @Matches(/^\d{1,20}$/, { message: "after must be a log position (the next of a previous page, or an event's position)" })
  after?: string;

  @ApiPropertyOptional({ example: 'IncidentRaised,SlaBreached', description: `only these event types, comma-separated (at most ${MAX_FEED_TYPES})` })
  @IsOptional()
  @Matches(/^[A-Z][A-Za-z0-9]{0,99}(,[A-Z][A-Za-z0-9]{0,99}){0,49}$/, {
    message: `types must be event type names (PascalCase), comma-separated, at most ${MAX_FEED_TYPES}`,
  })
  types?: string;

  @ApiPropertyOptional({ default: 100, description: 'events per page (1 to 1000)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
