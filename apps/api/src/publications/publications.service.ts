import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { coversTenants, type Principal } from '@itsm/auth';
import {
  catalogueStream,
  decidePublication,
  EVENT_SCHEMA_VERSION,
  evolvePublications,
  initialPublicationsState,
  notFound,
  parseTicketStream,
  publicationStream,
  publicationTenants,
  slaPolicyStream,
  validatePublicationRequest,
  type FiguresPublishedData,
  type PublicationSubject,
  toDomainEvent,
} from '@itsm/domain';
import {
  deterministicUuid,
  EVENT_STORE,
  handleCommand,
  IdempotencyKeyReusedError,
  parseLogPosition,
  readWhole,
  recordedAtOf,
  yieldToEventLoop,
  type EventStore,
  type LogPosition,
} from '@itsm/event-store';
import { globalChainAt } from '@itsm/event-audit';
import {
  buildGroupServiceDeliverySummary,
  buildServiceDeliverySummary,
  documentFigures,
  figureDrift,
  figuresDigest,
  Projector,
  type FigureDrift,
  type LoggedFact,
  type PublicationStamp,
  type PublishedSummary,
  type ReportQueries,
} from '@itsm/projections';
import { CLOCK, type Clock } from '../common/clock';
import { commandMetadata, type CommandRequest } from '../common/command-request';
import { problem, ProblemException } from '../common/problem-details';
import { REPORT_ZONE, ReportSource } from '../reports/report-source';
import { PublicationSnapshots } from './publication-snapshots';

/** A publication as recorded: its stamp, whose figures it holds, and the zone its month is read in. */
export type PublicationEntry = PublicationStamp & { subject: PublicationSubject; zone: string };

/** Builds from the live read models tried this often while the projector moves under them, before a replay is used. */
const LIVE_ATTEMPTS = 3;
/** Events read per step when collecting the facts recorded since a publication. */
const PAGE = 1000;

/**
 * Publishing figures, and reading them back. A publication is built from the live read models at
 * the projector's checkpoint (through ReportSource, as every report is), recorded as a
 * FiguresPublished event in the subject's publications stream (position, the global chain's head
 * hash there, the report's parameters, the digest of every figure), and its document kept as a
 * snapshot. Reading it back serves the snapshot, never a fresh build; its drift compares it with
 * the figures built today.
 */
@Injectable()
export class Publications {
  private readonly logger = new Logger('Publications');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly source: ReportSource,
    private readonly projector: Projector,
    private readonly snapshots: PublicationSnapshots,
  ) {}

  /** Records a publication, or answers the one a retried request (same Idempotency-Key) recorded. */
  async publish(
    subject: PublicationSubject,
    body: { report?: string; month?: string },
    request: CommandRequest,
    res: Response,
  ): Promise<{ entry: PublicationEntry; replayed: boolean }> {
    const streamId = publicationStream(subject);
    const earlier = await this.recordedBy(streamId, request);
    if (earlier) return { entry: earlier, replayed: true };
    const { month } = validatePublicationRequest(body, this.clock.now().toISOString(), REPORT_ZONE);
    const built = await this.buildAtCheckpoint(subject, month, res);
    const figures = documentFigures(built.document);
    const digest = figuresDigest(figures);
    const chain = await globalChainAt(this.store, built.position);
    const publicationId = deterministicUuid(`${streamId}/${request.commandId}/publication`);
    const result = await handleCommand(this.store, {
      streamId,
      initialState: initialPublicationsState,
      evolve: (s, e) => evolvePublications(s, toDomainEvent(e)),
      decide: (state) =>
        decidePublication(
          {
            type: 'PublishFigures',
            report: body.report,
            month: body.month,
            publicationId,
            subject,
            builtAt: { position: built.position.toString(), eventCount: chain.eventCount, headGlobalHash: chain.globalHash, asOf: built.asOf.toISOString() },
            figures: { count: figures.length, digest },
          },
          state,
          { zone: REPORT_ZONE },
        ),
      metadata: commandMetadata(request, subject.kind === 'tenant' ? subject.tenantId : '*'),
      schemaVersion: EVENT_SCHEMA_VERSION,
      now: () => this.clock.now(),
    });
    const entry = await this.recordedBy(streamId, request);
    if (!entry) throw new Error(`publication ${publicationId} was appended but cannot be read back`);
    if (!result.replayed) await this.keep(entry.publicationId, built.document);
    return { entry, replayed: result.replayed };
  }

  /** The subject's publications, oldest first; a group's only where the caller covers its members as published. */
  async list(subject: PublicationSubject, principal: Principal): Promise<PublicationEntry[]> {
    return (await this.recorded(publicationStream(subject))).filter((p) => coversTenants(principal, publicationTenants(p.subject)));
  }

  /** One publication, or 404 exactly as for an id never used (another tenant's, another group's, or one naming a tenant the caller does not cover). */
  async find(subject: PublicationSubject, publicationId: string, principal: Principal): Promise<PublicationEntry> {
    const found = (await this.list(subject, principal)).find((p) => p.publicationId === publicationId);
    if (!found) throw notFound('PUBLICATION.NOT_FOUND', 'No such publication');
    return found;
  }

  /**
   * The document as published: the kept snapshot. Only when it is missing (a new read store) or
   * does not match the recorded digest is it rebuilt, once, by a replay of the log up to the
   * publication's position with the publication's own "now", checked against the digest, and kept again.
   */
  async document(p: PublicationEntry, res: Response): Promise<PublishedSummary> {
    const kept = await this.snapshots.get(p.publicationId).catch((error: unknown) => this.warn(`reading the snapshot of ${p.publicationId}`, error));
    if (kept !== undefined) {
      const document = keptDocument(kept, p.digest);
      if (document) return document;
      this.logger.warn(`The snapshot of publication ${p.publicationId} does not match its digest: rebuilding it from the log`);
    }
    const moment = await this.source.at({ asOfPosition: p.position }, res);
    const document = await buildDocument(moment.reports, p.subject, p.month, new Date(p.asOf), moment.position, p.zone);
    if (figuresDigest(documentFigures(document)) !== p.digest) {
      throw new ProblemException(
        problem(
          409,
          'PUBLICATION.NOT_REPRODUCIBLE',
          `The kept document of this publication is lost, and a replay of the log up to position ${p.position} no longer gives the published figures (digest ${p.digest}): the figures' definitions changed since, or the log did`,
        ),
      );
    }
    await this.keep(p.publicationId, document);
    return document;
  }

  /**
   * Each figure whose value today (the live read models, now) differs from the published one, with
   * the facts recorded since the publication that moved it (the rule: figureDrift).
   */
  async drift(p: PublicationEntry, res: Response): Promise<FigureDrift[]> {
    const published = documentFigures(await this.document(p, res));
    const moment = await this.source.at({}, res);
    const today = documentFigures(await buildDocument(moment.reports, p.subject, p.month, moment.now, moment.position, p.zone));
    if (figureDrift(published, today, []).length === 0) return []; // nothing moved: no need to read what was recorded since
    return figureDrift(published, today, await this.factsSince(p, moment.position));
  }

  /**
   * Builds at the projector's checkpoint: the live read models, checked still to stand there once
   * built (a batch committed meanwhile would mix two positions). While the projector keeps moving,
   * a replay of the log at the last checkpoint seen gives the figures the read models held there.
   */
  private async buildAtCheckpoint(
    subject: PublicationSubject,
    month: string,
    res: Response,
  ): Promise<{ document: PublishedSummary; position: LogPosition; asOf: Date }> {
    let position: LogPosition | undefined;
    for (let attempt = 1; attempt <= LIVE_ATTEMPTS; attempt++) {
      const moment = await this.source.at({}, res);
      position = moment.position;
      if (position === undefined) {
        res.setHeader('Retry-After', '1');
        throw new ProblemException(problem(503, 'PUBLICATION.NOTHING_PROJECTED', 'The read models have not applied any event yet; publish again shortly'));
      }
      const document = await buildDocument(moment.reports, subject, month, moment.now, position);
      await this.projector.refresh();
      if (this.projector.checkpoint === position) return { document, position, asOf: moment.now };
    }
    const asOf = this.clock.now();
    const moment = await this.source.at({ asOfPosition: position!.toString() }, res);
    return { document: await buildDocument(moment.reports, subject, month, asOf, moment.position), position: moment.position!, asOf };
  }

  private async keep(publicationId: string, document: PublishedSummary): Promise<void> {
    // A cache: if it cannot be written now, the next read rebuilds it from the log.
    await this.snapshots.put(publicationId, JSON.stringify(document)).catch((error: unknown) => this.warn(`keeping the snapshot of ${publicationId}`, error));
  }

  private warn(what: string, error: unknown): undefined {
    this.logger.warn(`${what}: ${(error as Error)?.message ?? error}`);
    return undefined;
  }

  /** Every publication of a stream, as recorded. */
  private async recorded(streamId: string): Promise<PublicationEntry[]> {
    return (await readWhole(this.store, streamId))
      .filter((e) => e.type === 'FiguresPublished')
      .map((e) => entryOf(e.data as unknown as FiguresPublishedData, e.metadata, recordedAtOf(e)));
  }

  /** The publication an earlier request with this Idempotency-Key recorded; the same key for another request is refused. */
  private async recordedBy(streamId: string, request: CommandRequest): Promise<PublicationEntry | undefined> {
    const mine = (await readWhole(this.store, streamId)).find((e) => e.metadata.commandId === request.commandId);
    if (!mine) return undefined;
    if (mine.metadata.requestHash !== request.requestHash) throw new IdempotencyKeyReusedError(request.commandId);
    return entryOf(mine.data as unknown as FiguresPublishedData, mine.metadata, recordedAtOf(mine));
  }

  /**
   * The facts of the publication's tenants recorded after its position, up to `until` (the
   * position today's figures stand at): their tickets' events, and their own settings and SLA
   * policy. Its cost grows with what was recorded since.
   */
  private async factsSince(p: PublicationEntry, until: LogPosition | undefined): Promise<LoggedFact[]> {
    const tenants = new Set(publicationTenants(p.subject));
    const ownStreams = new Map(
      [...tenants].flatMap(
        (t) =>
          [
            [catalogueStream.Tenant(t), t],
            [slaPolicyStream(t), t],
          ] as Array<[string, string]>,
      ),
    );
    const facts: LoggedFact[] = [];
    let after = parseLogPosition(p.position);
    for (;;) {
      let read = 0;
      for await (const e of this.store.readAll({ after, maxCount: PAGE })) {
        read++;
        after = e.position;
        if (until === undefined || e.position > until) return facts;
        const ticket = parseTicketStream(e.streamId);
        const tenantId = ticket?.tenantId ?? ownStreams.get(e.streamId);
        if (tenantId === undefined || !tenants.has(tenantId)) continue;
        facts.push({
          position: e.position.toString(),
          eventId: e.id,
          streamId: e.streamId,
          type: e.type,
          tenantId,
          ...(ticket ? { ticketId: ticket.ticketId } : {}),
          ...(typeof e.data.occurredAt === 'string' ? { occurredAt: e.data.occurredAt } : {}),
          recordedAt: recordedAtOf(e).toISOString(),
          ...(typeof e.metadata.actor === 'string' ? { actor: e.metadata.actor } : {}),
        });
      }
      if (read < PAGE) return facts;
      await yieldToEventLoop();
    }
  }
}

/** The document of a subject's month, built from read models (live or replayed) at a moment. */
async function buildDocument(
  reports: ReportQueries,
  subject: PublicationSubject,
  month: string,
  now: Date,
  position: LogPosition | undefined,
  zone = REPORT_ZONE,
): Promise<PublishedSummary> {
  if (subject.kind === 'tenant')
    return { kind: 'tenant', summary: await buildServiceDeliverySummary(reports, { tenantId: subject.tenantId, month, zone, logPosition: position, now }) };
  const group = { groupId: subject.groupId, name: subject.name, tenantIds: subject.tenantIds };
  return { kind: 'group', summary: await buildGroupServiceDeliverySummary(reports, { group, month, zone, logPosition: position, now }) };
}

/** The kept document if it is the published one (its figures' digest is the recorded one); otherwise undefined, and it is rebuilt. */
function keptDocument(text: string, digest: string): PublishedSummary | undefined {
  try {
    const document = JSON.parse(text) as PublishedSummary;
    return figuresDigest(documentFigures(document)) === digest ? document : undefined;
  } catch {
    return undefined; // not a document at all
  }
}

function entryOf(d: FiguresPublishedData, metadata: Record<string, unknown>, recordedAt: Date): PublicationEntry {
  return {
    publicationId: d.publicationId,
    report: d.report,
    month: d.parameters.month,
    zone: d.parameters.zone,
    subject: d.subject,
    position: d.position,
    eventCount: d.eventCount,
    headGlobalHash: d.headGlobalHash,
    digest: d.digest,
    figures: d.figures,
    asOf: d.asOf,
    publishedAt: recordedAt.toISOString(),
    publishedBy: typeof metadata.actor === 'string' ? metadata.actor : '',
  };
}
