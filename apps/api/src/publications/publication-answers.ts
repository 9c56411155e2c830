import type { Request, Response } from 'express';
import type { PublicationStamp } from '@itsm/projections';
import { PUBLICATION_FORMATS, PUBLICATION_RENDERERS, renderPublication, type PublicationFormat } from '@itsm/report-rendering';
import type { PublicationEntry, Publications } from './publications.service';

/** What a publication answer says of it: its stamp (the subject and zone are in the list's entries). */
export const stampOf = ({ subject: _s, zone: _z, ...stamp }: PublicationEntry): PublicationStamp => stamp;

/** The answer to a publish request: where the figures stand, and their digest. */
export const publishedAnswer = (entry: PublicationEntry) => ({ ...stampOf(entry), subject: entry.subject });

/** The format asked: `format=`, else the Accept header's choice among the renderers', else JSON. */
function formatOf(asked: PublicationFormat | undefined, req: Request): PublicationFormat {
  if (asked) return asked;
  const accepted = req.accepts(PUBLICATION_FORMATS.map((f) => PUBLICATION_RENDERERS[f].mediaType));
  return PUBLICATION_FORMATS.find((f) => PUBLICATION_RENDERERS[f].mediaType === accepted) ?? 'json';
}

/** Sends a published document in the format asked, from what was kept, with its stamp in the headers too. */
export async function sendPublishedDocument(
  publications: Publications,
  entry: PublicationEntry,
  asked: PublicationFormat | undefined,
  req: Request,
  res: Response,
): Promise<void> {
  const format = formatOf(asked, req);
  const document = await publications.document(entry, res);
  const { contentType, body } = await renderPublication(format, document, stampOf(entry));
  setPublicationHeaders(res, entry);
  res.type(contentType).send(body);
}

/** The publication's own position (a rebuild by replay sets the replay's headers first). */
export function setPublicationHeaders(res: Response, entry: PublicationEntry): void {
  res.removeHeader('X-As-Of');
  res.setHeader('X-Log-Position', entry.position);
  res.setHeader('X-Publication-Digest', entry.digest);
  res.setHeader('X-Head-Global-Hash', entry.headGlobalHash);
}
