import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PUBLICATION_FORMATS, type PublicationFormat } from '@itsm/report-rendering';

/** Which format of a published document: every format the renderers know, or the Accept header's. */
export class PublicationDocumentQueryDto {
  @ApiPropertyOptional({ enum: PUBLICATION_FORMATS, description: 'overrides the Accept header; default json' })
  @IsOptional()
  @IsIn(PUBLICATION_FORMATS)
  format?: PublicationFormat;
}
