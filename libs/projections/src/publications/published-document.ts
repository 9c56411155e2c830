import type { GroupServiceDeliverySummary } from '../summary/group-summary';
import type { ServiceDeliverySummary } from '../summary/service-delivery-summary';
import { groupSummaryFigures, summaryFigures, type Figure } from './summary-figures';

/** The document of a publication, as kept: a tenant's summary or a group's. */
export type PublishedSummary = { kind: 'tenant'; summary: ServiceDeliverySummary } | { kind: 'group'; summary: GroupServiceDeliverySummary };

/** Every figure of a document, by its stable path. */
export const documentFigures = (d: PublishedSummary): Figure[] => (d.kind === 'tenant' ? summaryFigures(d.summary) : groupSummaryFigures(d.summary));

/** What every format of a published document says about the publication itself. */
export interface PublicationStamp {
  publicationId: string;
  report: string;
  month: string;
  /** The log position the figures were built at, and how many events the log held there. */
  position: string;
  eventCount: number;
  /** The global hash chain's value at that position. */
  headGlobalHash: string;
  /** SHA-256 of the canonical JSON of every figure, and how many figures it covers. */
  digest: string;
  figures: number;
  /** The moment the figures stand for. */
  asOf: string;
  /** When the publication was recorded, and by whom. */
  publishedAt: string;
  publishedBy: string;
}
