import fc from 'fast-check';
import {
  cityOfLondon2023,
  computeSlaClocks,
  evolveTicket,
  initialTicketState,
  nextDueAt,
  HOLD_REASONS,
  type RaisedTicket,
  type TicketEvent,
} from '@itsm/domain';
import { clockViewOf, ticketOf } from '../src/sla-timer';

const policy = { ...cityOfLondon2023('CoL', '2023-01-01T00:00:00Z'), version: 1 };
const JULY = Date.parse('2023-07-03T08:00:00Z');
const MIN = 60_000;

/** Any ticket history (back-dated facts included): evolveTicket is total, so the facts need not be ones decide would allow. */
const fact = fc.tuple(fc.integer({ min: 0, max: 20 * 24 * 60 }), fc.integer({ min: 0, max: 12 })).map(([minute, kind]): TicketEvent => {
  const occurredAt = new Date(JULY + minute * MIN).toISOString();
  const key = `resolution/0/P2/${[75, 100][minute % 2]}`;
  const data = [
    { type: 'IncidentResponded', data: { respondedBy: 'desk', occurredAt } },
    { type: 'IncidentAssigned', data: { groupId: `g${minute % 3}`, ...(minute % 2 ? { supplierId: 's1' } : {}), occurredAt } },
    { type: 'IncidentPriorityChanged', data: { from: 'P2', to: (['P1', 'P2', 'P3', 'P4'] as const)[minute % 4], reason: 'r', occurredAt } },
    { type: 'IncidentPutOnHold', data: { reason: HOLD_REASONS[minute % HOLD_REASONS.length], occurredAt } },
    { type: 'IncidentResumed', data: { occurredAt } },
    { type: 'IncidentResolved', data: { resolutionCode: 'fixed', rootCause: 'c', resolvedByGroupId: 'g0', firstLineFix: false, occurredAt } },
    { type: 'IncidentReopened', data: { reason: 'again', occurredAt } },
    { type: 'SlaWarningRaised', data: { key, metric: 'resolution', cycle: 0, priority: 'P2', targetMinutes: 480, thresholdPct: 75, occurredAt } },
    { type: 'SlaBreached', data: { key, metric: 'resolution', cycle: 0, priority: 'P2', targetMinutes: 480, occurredAt } },
    { type: 'SlaEventRetracted', data: { key, retractedOccurredAt: occurredAt, reason: 'r', occurredAt } },
    { type: 'OutageRecorded', data: { serviceId: 'email', from: occurredAt, to: occurredAt, minutes: 5, occurredAt } },
    { type: 'ComplaintRecorded', data: { occurredAt } },
    { type: 'IncidentClosed', data: { occurredAt } },
  ][kind];
  return data as unknown as TicketEvent;
});
const raised = (kind: 'incident' | 'service_request') =>
  ({
    type: 'IncidentRaised',
    data: {
      ticketId: 'T1',
      tenantId: 'CoL',
      kind,
      priority: 'P2',
      serviceId: 'email',
      title: 't',
      description: 'd',
      reporter: 'r',
      channel: 'email',
      slaPolicyVersion: 1,
      occurredAt: new Date(JULY).toISOString(),
    },
  }) as unknown as TicketEvent;

describe("the SLA timer's clock view of a ticket", () => {
  it('gives the clocks and the next due instant the whole state gives, after every fact', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('incident' as const, 'service_request' as const),
        fc.array(fact, { maxLength: 25 }),
        fc.integer({ min: 0, max: 30 * 24 * 60 }),
        (kind, facts, asOfMinute) => {
          const asOf = JULY + asOfMinute * MIN;
          let whole = evolveTicket(initialTicketState(), raised(kind)) as RaisedTicket;
          let view = clockViewOf(whole);
          for (const e of facts) {
            whole = evolveTicket(whole, e) as RaisedTicket;
            // The timer folds each fact into the view, as ticketOf gives it, not into the whole state.
            view = clockViewOf(evolveTicket(ticketOf(view, 'T1'), e) as RaisedTicket);
            const seen = ticketOf(view, 'T1');
            expect(seen.status).toBe(whole.status);
            expect(seen.sla).toEqual(whole.sla);
            expect(computeSlaClocks(seen, policy, asOf)).toEqual(computeSlaClocks(whole, policy, asOf));
            expect(nextDueAt(seen, policy, 5, asOf)).toBe(nextDueAt(whole, policy, 5, asOf));
          }
        },
      ),
      { numRuns: 300, seed: 17 },
    );
  });

  it('keeps no title, description, outages or assignments', () => {
    const whole = evolveTicket(evolveTicket(initialTicketState(), raised('incident')), {
      type: 'IncidentAssigned',
      data: { groupId: 'g1', occurredAt: new Date(JULY + MIN).toISOString() },
    } as unknown as TicketEvent) as RaisedTicket;
    const view = clockViewOf(whole);
    expect(Object.keys(view).sort()).toEqual(['kind', 'raisedAt', 'sla', 'slaPolicyVersion', 'status', 'tenantId', 'timeline']);
    expect(Object.keys(view.timeline).sort()).toEqual(['holds', 'priorities', 'resolutions']);
  });
});
