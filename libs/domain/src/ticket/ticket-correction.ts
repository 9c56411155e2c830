import { conflict, invalid } from '../shared/domain-error';
import type { Correction, TicketCommand } from './ticket.commands';
import type { RaisedTicket } from './ticket.state';

/**
 * A missed step recorded late: a command dated before the ticket's latest fact is accepted when it
 * says why (`correction: {reason}`). It is judged as the ticket stood at its occurredAt, it must fit
 * every fact recorded after that instant, and nothing already recorded changes: the new fact takes
 * its place in business time (evolveTicket), and the SLA facts follow (retractions included).
 *
 * Steps of the work may be corrected, and the facts that speak about the ticket. Not a raise (the
 * first fact), a reopen or a close (facts recorded after them would be read against another
 * status; an automatic close is dated by its rule instead), a major incident (its register
 * reference is reserved when declared), nor outages (their from and to carry their times).
 */
export const CORRECTABLE: ReadonlySet<TicketCommand['type']> = new Set<TicketCommand['type']>([
  'RespondToTicket',
  'AssignTicket',
  'ChangeTicketPriority',
  'PutTicketOnHold',
  'ResumeTicket',
  'ResolveTicket',
  'RecordFeedback',
  'RecordComplaint',
]);

const MAX_REASON = 2000;

/** The command's correction, checked; undefined when it gives none. */
export function correctionOf(command: TicketCommand): Correction | undefined {
  const c: unknown = command.correction;
  if (c === undefined) return undefined;
  if (!CORRECTABLE.has(command.type)) {
    throw invalid(
      'TICKET.CORRECTION_NOT_ALLOWED',
      `${command.type} cannot be recorded as a correction: only respond, assign, priority, hold, resume, resolve, feedback and complaints may be recorded late`,
      'correction',
    );
  }
  const reason = reasonOf(c);
  if (typeof reason !== 'string' || reason.trim() === '' || reason.length > MAX_REASON) {
    throw invalid('TICKET.INVALID_TEXT', `correction.reason must be a non-empty text of at most ${MAX_REASON} characters`, 'correction.reason');
  }
  return { reason };
}

/** The reason a correction carries as it came in (the command is not checked yet), if any. */
function reasonOf(correction: unknown): unknown {
  return typeof correction === 'object' && correction !== null && 'reason' in correction ? correction.reason : undefined;
}

const byInstant = (at: number) => (iso: string | undefined) => iso !== undefined && Date.parse(iso) <= at;

/** The assignment in force at an instant (epoch ms), from the timeline. */
export function assignmentAt(t: RaisedTicket, at: number): { groupId: string; supplierId?: string; since: string } | undefined {
  const by = byInstant(at);
  const a = [...t.timeline.assignments].reverse().find((x) => by(x.at));
  return a && { groupId: a.groupId, ...(a.supplierId ? { supplierId: a.supplierId } : {}), since: a.at };
}

/** The hold in force at an instant: begun by then and not yet ended. */
const holdAt = (t: RaisedTicket, at: number) => {
  const by = byInstant(at);
  return t.timeline.holds.find((h) => by(h.from) && !by(h.to));
};

/**
 * The ticket as it stood at an instant, as far as the rules read it: priority, assignment, hold
 * and status from the timeline. What happens once (first response, feedback) keeps its record:
 * a second one is refused whenever the first happened.
 */
export function asItStoodAt(t: RaisedTicket, at: number): RaisedTicket {
  const by = byInstant(at);
  const tl = t.timeline;
  // Before its first recorded change, the ticket had the priority it was raised with.
  const inForce = [...tl.priorities].reverse().find((p) => by(p.at)) ?? tl.priorities[0];
  if (!inForce) throw new Error(`Ticket ${t.ticketId} has no priority in its timeline`);
  const { priority } = inForce;
  const assignment = assignmentAt(t, at);
  const h = holdAt(t, at);
  const resolved = tl.resolutions.find((r) => by(r.resolvedAt) && !by(r.reopenedAt));
  const started = by(t.respondedAt) || assignment !== undefined || tl.holds.some((x) => by(x.from)) || tl.resolutions.some((r) => by(r.resolvedAt));
  return {
    ...t,
    priority,
    assignment,
    hold: h && { reason: h.reason, since: h.from },
    status: resolved ? 'resolved' : h ? 'on_hold' : started ? 'in_progress' : 'new',
    resolvedAt: resolved?.resolvedAt,
    closedAt: undefined,
  };
}

/**
 * A fact dated `at` must fit every fact recorded after that instant, so that the ticket's facts in
 * business-time order still obey the rules: 409 TICKET.CORRECTION_CONFLICT (or the rule's own code
 * for what happens once) names the fact it contradicts.
 */
export function assertFitsLaterFacts(command: TicketCommand, t: RaisedTicket, at: number): void {
  const after = (iso: string | undefined): iso is string => iso !== undefined && Date.parse(iso) > at;
  switch (command.type) {
    case 'RespondToTicket':
      if (after(t.respondedAt)) throw conflict('TICKET.ALREADY_RESPONDED', `The ticket's first response is recorded at ${t.respondedAt}`);
      return;
    case 'RecordFeedback':
      if (after(t.feedback?.at)) throw conflict('TICKET.FEEDBACK_ALREADY_RECORDED', 'Feedback was already recorded for this ticket');
      return;
    case 'PutTicketOnHold': {
      const later = t.timeline.holds.find((h) => after(h.from));
      if (later) {
        throw conflict(
          'TICKET.CORRECTION_CONFLICT',
          `A hold from ${later.from} is recorded after this instant: a hold recorded late must begin after the last recorded hold`,
          'occurredAt',
        );
      }
      return;
    }
    case 'ResumeTicket': {
      // Ending the hold in force earlier is a resume that was missed, unless a recorded resume ended it.
      const h = holdAt(t, at);
      if (h?.to !== undefined && !t.timeline.resolutions.some((r) => r.resolvedAt === h.to)) {
        throw conflict('TICKET.CORRECTION_CONFLICT', `The hold in force then is recorded as resumed at ${h.to}`, 'occurredAt');
      }
      return;
    }
    case 'CloseTicket':
      // An automatic close dated by its rule, reached late: only while that resolution still stands.
      if (t.status !== 'resolved') throw conflict('TICKET.NOT_RESOLVED', 'Only a resolved ticket can be closed');
      return;
    case 'ResolveTicket': {
      const later = workRecordedAfter(t, at);
      if (later) {
        throw conflict(
          'TICKET.CORRECTION_CONFLICT',
          `${later.what} at ${later.at} is recorded after this instant: a resolution recorded late may be followed only by outages and complaints`,
          'occurredAt',
        );
      }
      return;
    }
    default:
      return;
  }
}

/** The earliest step of the work recorded after an instant, if any. */
function workRecordedAfter(t: RaisedTicket, at: number): { what: string; at: string } | undefined {
  const tl = t.timeline;
  const steps: Array<[string, string | undefined]> = [
    ['A first response', t.respondedAt],
    ...tl.assignments.map((a): [string, string] => ['An assignment', a.at]),
    ...tl.priorities.slice(1).map((p): [string, string] => ['A priority change', p.at]),
    ...tl.holds.flatMap((h): Array<[string, string | undefined]> => [
      ['A hold', h.from],
      ['The end of a hold', h.to],
    ]),
    ...tl.resolutions.flatMap((r): Array<[string, string | undefined]> => [
      ['A resolution', r.resolvedAt],
      ['A reopening', r.reopenedAt],
    ]),
    ['A close', t.closedAt],
    ['A major incident declaration', t.majorIncident?.declaredAt],
    ['Feedback', t.feedback?.at],
  ];
  return steps
    .filter((s): s is [string, string] => s[1] !== undefined && Date.parse(s[1]) > at)
    .sort((a, b) => Date.parse(a[1]) - Date.parse(b[1]))
    .map(([what, when]) => ({ what, at: when }))[0];
}
