import fc from 'fast-check';
import { cityOfLondon2023, evolveTicket, initialTicketState, type Priority, type RaisedTicket, type SlaPolicyVersion, type TicketEvent } from '@itsm/domain';
import type { TicketDoc } from '@itsm/projections';
import { advanceClocks, byLeastRemaining, queueEntry, runningClocksAt } from '../apps/api/src/queue/queue-entry';

/** The queue's clocks: the same figures as computeSlaClocks, carried forward cheaply; who is at risk. */
const CoL: SlaPolicyVersion = { ...cityOfLondon2023('CoL'), version: 1 };
const MIN = 60_000;
const T0 = Date.parse('2023-07-10T08:00:00Z'); // Monday 09:00 in London
const at = (m: number) => new Date(T0 + m * MIN).toISOString();

function ticket(priority: Priority, facts: Array<['respond' | 'hold' | 'resume' | 'resolve', number]> = []): RaisedTicket {
  const events: TicketEvent[] = [
    {
      type: 'IncidentRaised',
      data: {
        ticketId: 'T',
        tenantId: 'CoL',
        kind: 'incident',
        priority,
        serviceId: 's',
        title: 't',
        description: 'd',
        reporter: 'r',
        channel: 'phone',
        slaPolicyVersion: 1,
        occurredAt: at(0),
      },
    },
    ...facts.map(([what, m]): TicketEvent => {
      const occurredAt = at(m);
      if (what === 'respond') return { type: 'IncidentResponded', data: { respondedBy: 'desk', occurredAt } };
      if (what === 'hold') return { type: 'IncidentPutOnHold', data: { reason: 'awaiting_customer', occurredAt } };
      if (what === 'resume') return { type: 'IncidentResumed', data: { reason: 'awaiting_customer', occurredAt } };
      return { type: 'IncidentResolved', data: { resolutionCode: 'x', rootCause: 'x', resolvedByGroupId: 'g', firstLineFix: false, occurredAt } };
    }),
  ];
  return events.reduce(evolveTicket, initialTicketState()) as RaisedTicket;
}
const doc = (id: string, raisedAt = at(0)) =>
  ({
    ticketId: id,
    kind: 'incident',
    priority: 'P1',
    status: 'in_progress',
    title: 't',
    serviceId: 's',
    groupId: null,
    supplierId: null,
    raisedAt,
  }) as TicketDoc;
const now = (t: RaisedTicket, m: number) => advanceClocks(runningClocksAt(t, CoL, T0 + m * MIN), CoL, T0 + m * MIN);

describe("the queue's running clocks", () => {
  it('lists only clocks running now: not paused, not stopped', () => {
    expect(now(ticket('P1'), 10).map((c) => [c.metric, c.elapsedMinutes, c.remainingMinutes, c.state])).toEqual([
      ['response', 10, 5, 'running'],
      ['resolution', 10, 110, 'running'],
    ]);
    expect(now(ticket('P1', [['respond', 5]]), 130).map((c) => [c.metric, c.percentUsed, c.remainingMinutes, c.deadline, c.state])).toEqual([
      ['resolution', 108.33333333333333, -10, at(120), 'breached'],
    ]);
    expect(
      now(
        ticket('P1', [
          ['respond', 5],
          ['hold', 20],
        ]),
        60,
      ),
    ).toEqual([]);
    expect(
      now(
        ticket('P1', [
          ['respond', 5],
          ['resolve', 20],
        ]),
        60,
      ),
    ).toEqual([]);
  });

  it('carried forward from an earlier instant, they equal the clocks folded at now (24x7 and working hours, across nights and weekends)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Priority>('P1', 'P2', 'P3', 'P4'),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 5 * 24 * 60 * MIN }),
        fc.integer({ min: 0, max: 5 * 24 * 60 }),
        (priority, heldFor, afterMs, passing) => {
          // Held from 30 minutes for heldFor minutes, then running again: the last fact is at 30 + heldFor,
          // and the queue carries clocks forward only from an instant after the last fact.
          const t = ticket(priority, [
            ['hold', 30],
            ['resume', 30 + heldFor],
          ]);
          const asOf = T0 + (30 + heldFor) * MIN + afterMs;
          const carried = advanceClocks(runningClocksAt(t, CoL, asOf), CoL, asOf + passing * MIN);
          const folded = advanceClocks(runningClocksAt(t, CoL, asOf + passing * MIN), CoL, asOf + passing * MIN);
          expect(carried).toEqual(folded);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('at risk, and the order', () => {
  it('at risk: a running clock past the first warning threshold (75%), or breached and running; a paused clock is not', () => {
    const entry = (t: RaisedTicket, m: number, policy = CoL) =>
      queueEntry(doc('T'), advanceClocks(runningClocksAt(t, policy, T0 + m * MIN), policy, T0 + m * MIN), policy);
    const responded = ticket('P1', [['respond', 1]]);
    expect(entry(responded, 90).atRisk).toBe(false); // exactly 75% of 120 minutes
    expect(entry(responded, 90.001).atRisk).toBe(true);
    expect(entry(responded, 200).atRisk).toBe(true);
    expect(
      entry(
        ticket('P1', [
          ['respond', 1],
          ['hold', 100],
        ]),
        200,
      ),
    ).toMatchObject({ atRisk: false, remainingMinutes: null, clocks: [] });
    const noWarnings = { ...CoL, warningThresholdsPct: [] };
    expect(entry(responded, 100, noWarnings).atRisk).toBe(false);
    expect(entry(responded, 121, noWarnings).atRisk).toBe(true);
  });

  it('least remaining first; no running clock last, oldest first; then by id', () => {
    const e = (id: string, remainingMinutes: number | null, raisedAt = at(0)) => ({ ...queueEntry(doc(id, raisedAt), [], CoL), remainingMinutes });
    const sorted = [e('n2', null, at(5)), e('b', 10), e('n1', null, at(1)), e('a', -5), e('c', 10), e('n0', null, at(1))].sort(byLeastRemaining);
    expect(sorted.map((x) => x.ticketId)).toEqual(['a', 'b', 'c', 'n0', 'n1', 'n2']);
  });
});
