import { DateTime } from 'luxon';
import { conflict, invalid } from '../shared/domain-error';
import type { DomainEvent } from '../shared/event';

/**
 * A publication: the figures of a report as they were handed to a committee, fixed to the log
 * position they were built at, so that they can be shown again exactly and compared with what the
 * log says today. Only the facts about the publication are events (where, which report, the chain's
 * head hash there, a digest of every figure); the document itself is kept beside the log as a
 * snapshot that a replay up to that position rebuilds.
 */

/** The reports that can be published: the committees' monthly summary. */
export const PUBLISHABLE_REPORTS = ['service-delivery-summary'] as const;
export type PublishableReport = (typeof PUBLISHABLE_REPORTS)[number];

/** Whose figures: one tenant's, or a tenant group's (its members as they were when published). */
export type PublicationSubject = { kind: 'tenant'; tenantId: string } | { kind: 'group'; groupId: string; name: string; tenantIds: string[]; revision: string };

/** The tenants whose figures a publication holds. */
export const publicationTenants = (s: PublicationSubject): string[] => (s.kind === 'tenant' ? [s.tenantId] : s.tenantIds);

export interface FiguresPublishedData {
  publicationId: string;
  report: PublishableReport;
  /** The report's parameters, all of them: the month, and the zone its boundaries are read in. */
  parameters: { month: string; zone: string };
  subject: PublicationSubject;
  /** The last event the figures reflect (the projector's checkpoint when they were built). */
  position: string;
  /** How many events the log held up to and including `position`... */
  eventCount: number;
  /** ...and the global hash chain's value there: a later verify proves nothing before it changed. */
  headGlobalHash: string;
  /** How many figures the digest covers. */
  figures: number;
  /** SHA-256 (hex) of the canonical JSON of every figure, by its stable path. */
  digest: string;
  /**
   * The moment the figures stand for (the report's "now"). Deliberately not called `occurredAt`:
   * readers of the log that follow business time (the reports projection's clock) must not see
   * a publication move it, or publishing would itself change figures.
   */
  asOf: string;
}

export type FiguresPublished = DomainEvent<'FiguresPublished', FiguresPublishedData>;
export type PublicationEvent = FiguresPublished;

/** Publish figures already built: the request as asked, and what the build found. */
export interface PublishFigures {
  type: 'PublishFigures';
  /** As the caller asked (checked here). */
  report: unknown;
  month: unknown;
  publicationId: string;
  subject: PublicationSubject;
  builtAt: { position: string; eventCount: number; headGlobalHash: string; asOf: string };
  figures: { count: number; digest: string };
}

export interface PublicationContext {
  /** The zone report months are read in. */
  zone: string;
}

/** The publications recorded in one stream (a tenant's, or a group's). */
export interface PublicationsState {
  publicationIds: string[];
}

export const initialPublicationsState = (): PublicationsState => ({ publicationIds: [] });

export function evolvePublications(state: PublicationsState, event: { type: string; data: object }): PublicationsState {
  if (event.type !== 'FiguresPublished') return state;
  return { publicationIds: [...state.publicationIds, (event.data as FiguresPublishedData).publicationId] };
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * The rules of a publication request, before anything is built: a report that can be published,
 * and a month (YYYY-MM) that had begun by `asOf` (a month to come has no figures to publish).
 */
export function validatePublicationRequest(
  request: { report?: unknown; month?: unknown },
  asOf: string,
  zone: string,
): { report: PublishableReport; month: string } {
  const { report, month } = request;
  if (typeof report !== 'string' || !(PUBLISHABLE_REPORTS as readonly string[]).includes(report)) {
    throw invalid('PUBLICATION.UNKNOWN_REPORT', `report must be one of: ${PUBLISHABLE_REPORTS.join(', ')}`, 'report');
  }
  if (typeof month !== 'string' || !MONTH.test(month)) throw invalid('PUBLICATION.INVALID_MONTH', 'month must be a month (YYYY-MM)', 'month');
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone });
  if (start.toMillis() > Date.parse(asOf))
    throw invalid('PUBLICATION.MONTH_NOT_BEGUN', `month ${month} had not begun at ${asOf}: there are no figures to publish`, 'month');
  return { report: report as PublishableReport, month };
}

/** Records the publication; a publication id is recorded once. */
export function decidePublication(command: PublishFigures, state: PublicationsState, context: PublicationContext): PublicationEvent[] {
  const { report, month } = validatePublicationRequest(command, command.builtAt.asOf, context.zone);
  if (state.publicationIds.includes(command.publicationId))
    throw conflict('PUBLICATION.ALREADY_RECORDED', `Publication ${command.publicationId} is already recorded`);
  return [
    {
      type: 'FiguresPublished',
      data: {
        publicationId: command.publicationId,
        report,
        parameters: { month, zone: context.zone },
        subject: command.subject,
        position: command.builtAt.position,
        eventCount: command.builtAt.eventCount,
        headGlobalHash: command.builtAt.headGlobalHash,
        figures: command.figures.count,
        digest: command.figures.digest,
        asOf: command.builtAt.asOf,
      },
    },
  ];
}
