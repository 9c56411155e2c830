import {
  computeSlaClocks,
  computeSupplierClocks,
  resolutionCalendar,
  type RaisedTicket,
  type SlaClock,
  type SlaPolicyVersion,
  type SupplierClock,
} from '@itsm/domain';
import { recordedAtOf, type RecordedEvent } from '@itsm/event-store';

/** A fact recorded late as a correction: the clocks place it at occurredAt, though it was recorded at recordedAt. */
export interface CorrectionEntry {
  revision: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: string;
  reason: string;
}

/** Every clock of a ticket under one policy version, explained: what GET /v1/tenants/{t}/tickets/{id}/sla answers. */
export interface SlaExplanation {
  ticketId: string;
  revision: string;
  asOf: string;
  policy: Pick<SlaPolicyVersion, 'version' | 'name' | 'effectiveFrom' | 'rules' | 'warningThresholdsPct'> | null;
  calendars: SlaPolicyVersion['calendars'];
  clocks: SlaClock[];
  supplierClocks: SupplierClock[];
  recorded: RaisedTicket['sla'];
  /** Facts recorded late (correction.reason): the clocks above follow their business time. */
  corrections?: CorrectionEntry[];
}

/**
 * A ticket's clocks at `asOf` (epoch ms) under `policy`, checkable by hand: the policy's rules and
 * calendars, each clock, the supplier clocks (on the resolution target's calendar), what the ticket
 * recorded itself, and the facts recorded late. `policy` is the version it pinned (GET .../sla) or a
 * draft (the policy what-if); undefined when it has none. `events` are the stream's events the
 * ticket was folded from, `clocks` the clocks under `policy` at `asOf` when already computed.
 */
export function explainSla(
  ticket: RaisedTicket,
  events: readonly RecordedEvent[],
  policy: SlaPolicyVersion | undefined,
  asOf: number,
  clocks: SlaClock[] = policy ? computeSlaClocks(ticket, policy, asOf) : [],
): SlaExplanation {
  const latest = events.at(-1);
  if (!latest) throw new Error(`Ticket ${ticket.ticketId} is explained from no events`);
  return {
    ticketId: ticket.ticketId,
    revision: latest.revision.toString(),
    asOf: new Date(asOf).toISOString(),
    policy: policy
      ? {
          version: policy.version,
          name: policy.name,
          effectiveFrom: policy.effectiveFrom,
          rules: policy.rules,
          warningThresholdsPct: policy.warningThresholdsPct,
        }
      : null,
    calendars: policy ? policy.calendars : [],
    clocks,
    supplierClocks: computeSupplierClocks(ticket, policy, asOf, resolutionCalendar(policy, ticket.kind, ticket.priority)),
    recorded: ticket.sla,
    corrections: correctionsOf(events),
  };
}

/** The facts recorded late: those whose data carries a correction reason. */
function correctionsOf(events: readonly RecordedEvent[]): CorrectionEntry[] {
  return events.flatMap((e) => {
    const reason = (e.data.correction as { reason?: unknown } | undefined)?.reason;
    if (typeof reason !== 'string') return [];
    return [
      {
        revision: e.revision.toString(),
        type: e.type,
        occurredAt: String(e.data.occurredAt),
        recordedAt: recordedAtOf(e).toISOString(),
        actor: typeof e.metadata.actor === 'string' ? e.metadata.actor : '',
        reason,
      },
    ];
  });
}
