import fc from 'fast-check';
import {
  cityOfLondon2023,
  computeSlaClocks,
  computeSupplierClocks,
  decideTicket,
  evolveTicket,
  initialTicketState,
  reconcileSla,
  nextDueAt,
  sharedIct2019,
  type RaisedTicket,
  type SlaPolicyVersion,
  type TicketEvent,
} from '../src';
import { tenant } from '@itsm/test-kit';

const policy = (p: ReturnType<typeof cityOfLondon2023>, over: Partial<SlaPolicyVersion> = {}): SlaPolicyVersion => ({ ...p, version: 1, ...over });
const CoL = policy(cityOfLondon2023('CoL'));
const LBB = policy(sharedIct2019('LBB'));
const ms = (s: string) => Date.parse(s);
const MIN = 60_000;

/** A ticket built from terse facts: ['raise', at, P] | ['respond', at] | ['hold', at, reason] | ... */
type Fact =
  | ['raise', string, 'P1' | 'P2' | 'P3' | 'P4', ('incident' | 'service_request')?]
  | ['respond', string]
  | ['hold', string, 'awaiting_customer' | 'awaiting_supplier']
  | ['resume', string]
  | ['priority', string, 'P1' | 'P2' | 'P3' | 'P4']
  | ['resolve', string]
  | ['reopen', string]
  | ['assign', string, string?];
function ticket(facts: Fact[]): RaisedTicket {
  let priority = 'P4';
  const events: TicketEvent[] = facts.map((f): TicketEvent => {
    switch (f[0]) {
      case 'raise':
        priority = f[2];
        return {
          type: 'IncidentRaised',
          data: {
            ticketId: 'T',
            tenantId: 'X',
            kind: f[3] ?? 'incident',
            priority: f[2],
            serviceId: 's',
            title: 't',
            description: 'd',
            reporter: 'r',
            channel: 'phone',
            slaPolicyVersion: 1,
            occurredAt: f[1],
          },
        };
      case 'respond':
        return { type: 'IncidentResponded', data: { respondedBy: 'desk', occurredAt: f[1] } };
      case 'hold':
        return { type: 'IncidentPutOnHold', data: { reason: f[2], occurredAt: f[1] } };
      case 'resume':
        return { type: 'IncidentResumed', data: { reason: 'awaiting_customer', occurredAt: f[1] } };
      case 'priority': {
        const from = priority as 'P1';
        priority = f[2];
        return { type: 'IncidentPriorityChanged', data: { from, to: f[2], reason: 'x', occurredAt: f[1] } };
      }
      case 'resolve':
        return { type: 'IncidentResolved', data: { resolutionCode: 'fixed', rootCause: 'x', resolvedByGroupId: 'g', firstLineFix: false, occurredAt: f[1] } };
      case 'reopen':
        return { type: 'IncidentReopened', data: { reason: 'x', occurredAt: f[1] } };
      case 'assign':
        return { type: 'IncidentAssigned', data: { groupId: 'g', ...(f[2] ? { supplierId: f[2] } : {}), occurredAt: f[1] } };
    }
  });
  return events.reduce(evolveTicket, initialTicketState()) as RaisedTicket;
}
const resolution = (t: RaisedTicket, p: SlaPolicyVersion, asOf: string, cycle = 0) =>
  computeSlaClocks(t, p, ms(asOf)).find((c) => c.metric === 'resolution' && c.cycle === cycle)!;

describe('SLA clocks: hand-worked cases', () => {
  it('P1 raised Friday 16:30 on a 09:00–17:00 calendar: 4 working hours end Monday 12:30', () => {
    const t = ticket([['raise', '2023-07-07T15:30:00Z', 'P1']]);
    const c = resolution(t, LBB, '2023-07-08T12:00:00Z');
    expect(c).toMatchObject({
      reference: 'P1',
      targetMinutes: 240,
      calendarId: 'working-hours',
      deadline: '2023-07-10T11:30:00.000Z',
      elapsedMinutes: 30,
      state: 'running',
      percentUsed: 12.5,
    });
  });

  it('resolved exactly at the deadline is met; one minute after is breached (breach dated at the deadline)', () => {
    const met = ticket([
      ['raise', '2023-07-07T15:30:00Z', 'P1'],
      ['resolve', '2023-07-10T11:30:00Z'],
    ]);
    expect(resolution(met, LBB, '2023-07-11T00:00:00Z')).toMatchObject({ state: 'met', elapsedMinutes: 240, stoppedAt: '2023-07-10T11:30:00.000Z' });
    const late = ticket([
      ['raise', '2023-07-07T15:30:00Z', 'P1'],
      ['resolve', '2023-07-10T11:31:00Z'],
    ]);
    const c = resolution(late, LBB, '2023-07-11T00:00:00Z');
    expect(c).toMatchObject({ state: 'breached', elapsedMinutes: 241 });
    expect(c.crossings.find((x) => x.kind === 'breach')!.at).toBe('2023-07-10T11:30:00.000Z');
    expect(c.crossings.find((x) => x.kind === 'warning')).toMatchObject({ thresholdPct: 75, at: '2023-07-10T10:30:00.000Z' });
  });

  it('spans the spring DST change: P2 raised Friday 16:00 GMT, 8 working hours end Monday 16:00 BST', () => {
    const t = ticket([['raise', '2023-03-24T16:00:00Z', 'P2']]);
    expect(resolution(t, LBB, '2023-03-25T00:00:00Z').deadline).toBe('2023-03-27T15:00:00.000Z');
  });

  it('spans the autumn DST change: P3 raised Thursday 13:00 BST, 2 working days end Monday 13:00 GMT', () => {
    const t = ticket([['raise', '2023-10-26T12:00:00Z', 'P3']]);
    expect(resolution(t, LBB, '2023-10-27T00:00:00Z').deadline).toBe('2023-10-30T13:00:00.000Z');
  });

  it('spans Good Friday to Easter Monday: CoL P3 raised Thursday 16:00, 8 working hours end Tuesday 16:00', () => {
    const t = ticket([['raise', '2023-04-06T15:00:00Z', 'P3']]);
    expect(resolution(t, CoL, '2023-04-07T00:00:00Z')).toMatchObject({ reference: 'IM3', deadline: '2023-04-11T15:00:00.000Z' });
  });

  it('spans Christmas to Boxing Day: P3 raised Friday 22 Dec 15:00 ends Thursday 28 Dec 15:00', () => {
    const t = ticket([['raise', '2023-12-22T15:00:00Z', 'P3']]);
    expect(resolution(t, LBB, '2023-12-23T00:00:00Z').deadline).toBe('2023-12-28T15:00:00.000Z');
  });

  it('a customer hold over a weekend pauses the clock; a supplier hold does not', () => {
    const held = ticket([
      ['raise', '2023-07-07T15:00:00Z', 'P2'],
      ['hold', '2023-07-07T16:00:00Z', 'awaiting_customer'],
      ['resume', '2023-07-10T09:00:00Z'],
    ]);
    const c = resolution(held, CoL, '2023-07-10T10:00:00Z');
    expect(c).toMatchObject({ reference: 'IM2', deadline: '2023-07-10T12:00:00.000Z', elapsedMinutes: 120, state: 'running' });
    expect(c.pauses).toEqual([{ from: '2023-07-07T16:00:00.000Z', to: '2023-07-10T09:00:00.000Z', reason: 'awaiting_customer' }]);
    const onSaturday = ticket([
      ['raise', '2023-07-07T15:00:00Z', 'P2'],
      ['hold', '2023-07-07T16:00:00Z', 'awaiting_customer'],
    ]);
    expect(resolution(onSaturday, CoL, '2023-07-08T10:00:00Z')).toMatchObject({ state: 'paused', elapsedMinutes: 60 });
    expect(resolution(onSaturday, CoL, '2023-07-08T10:00:00Z').deadline).toBeUndefined();
    const supplier = ticket([
      ['raise', '2023-07-07T15:00:00Z', 'P2'],
      ['hold', '2023-07-07T16:00:00Z', 'awaiting_supplier'],
    ]);
    expect(resolution(supplier, CoL, '2023-07-07T17:00:00Z')).toMatchObject({ deadline: '2023-07-07T19:00:00.000Z', state: 'running' });
  });

  it('P3→P1 mid-flight: the P1 target from the original start; a change past it breaches at the change', () => {
    const early = ticket([
      ['raise', '2023-07-10T08:00:00Z', 'P3'],
      ['priority', '2023-07-10T09:00:00Z', 'P1'],
    ]);
    const c = resolution(early, CoL, '2023-07-10T09:30:00Z');
    expect(c).toMatchObject({
      priority: 'P1',
      reference: 'IM1',
      targetMinutes: 120,
      calendarId: '24x7',
      deadline: '2023-07-10T10:00:00.000Z',
      elapsedMinutes: 90,
    });
    expect(c.crossings.filter((x) => x.priority === 'P1').map((x) => [x.thresholdPct, x.at])).toEqual([
      [75, '2023-07-10T09:30:00.000Z'],
      [100, '2023-07-10T10:00:00.000Z'],
    ]);
    const late = ticket([
      ['raise', '2023-07-10T08:00:00Z', 'P3'],
      ['priority', '2023-07-10T10:30:00Z', 'P1'],
    ]);
    const l = resolution(late, CoL, '2023-07-10T11:00:00Z');
    expect(l.state).toBe('breached');
    expect(l.crossings.filter((x) => x.priority === 'P1').map((x) => [x.thresholdPct, x.at])).toEqual([
      [75, '2023-07-10T10:30:00.000Z'],
      [100, '2023-07-10T10:30:00.000Z'],
    ]);
  });

  it('P1→P3 mid-flight: P1 crossings stay as history; the P3 target from the original start decides the outcome', () => {
    const t = ticket([
      ['raise', '2023-07-10T08:00:00Z', 'P1'],
      ['priority', '2023-07-10T10:30:00Z', 'P3'],
      ['resolve', '2023-07-10T15:00:00Z'],
    ]);
    const c = resolution(t, CoL, '2023-07-11T00:00:00Z');
    expect(c).toMatchObject({ priority: 'P3', reference: 'IM3', deadline: '2023-07-10T16:00:00.000Z', elapsedMinutes: 420, state: 'met' });
    expect(c.crossings.map((x) => [x.priority, x.thresholdPct, x.at])).toEqual([
      ['P1', 75, '2023-07-10T09:30:00.000Z'],
      ['P1', 100, '2023-07-10T10:00:00.000Z'],
      ['P3', 75, '2023-07-10T14:00:00.000Z'],
    ]);
  });

  it('reopen after resolve: the clock resumes where it stopped; time spent resolved does not count', () => {
    const t = ticket([
      ['raise', '2023-07-10T08:00:00Z', 'P2'],
      ['resolve', '2023-07-10T10:00:00Z'],
      ['reopen', '2023-07-10T14:00:00Z'],
      ['resolve', '2023-07-10T15:00:00Z'],
    ]);
    const c = resolution(t, CoL, '2023-07-11T00:00:00Z');
    expect(c).toMatchObject({ cycle: 0, elapsedMinutes: 180, deadline: '2023-07-10T16:00:00.000Z', state: 'met', stoppedAt: '2023-07-10T15:00:00.000Z' });
    expect(c.running).toEqual([
      { from: '2023-07-10T08:00:00.000Z', to: '2023-07-10T10:00:00.000Z' },
      { from: '2023-07-10T14:00:00.000Z', to: '2023-07-10T15:00:00.000Z' },
    ]);
  });

  it("reopen under a 'restart' rule starts a fresh cycle", () => {
    const restart = policy(cityOfLondon2023('CoL'), { rules: { ...CoL.rules, reopen: 'restart' } });
    const t = ticket([
      ['raise', '2023-07-10T08:00:00Z', 'P2'],
      ['resolve', '2023-07-10T10:00:00Z'],
      ['reopen', '2023-07-10T14:00:00Z'],
    ]);
    expect(resolution(t, restart, '2023-07-10T15:00:00Z', 0)).toMatchObject({ state: 'met', elapsedMinutes: 120 });
    expect(resolution(t, restart, '2023-07-10T15:00:00Z', 1)).toMatchObject({ state: 'running', elapsedMinutes: 60, deadline: '2023-07-10T18:00:00.000Z' });
  });

  it('the response clock stops at the first response, or at resolution when nobody responded', () => {
    const responded = ticket([
      ['raise', '2023-07-10T08:00:00Z', 'P1'],
      ['respond', '2023-07-10T08:10:00Z'],
    ]);
    const r = computeSlaClocks(responded, CoL, ms('2023-07-10T09:00:00Z')).find((c) => c.metric === 'response')!;
    expect(r).toMatchObject({ reference: 'SD3', targetMinutes: 15, elapsedMinutes: 10, state: 'met' });
    const silent = ticket([
      ['raise', '2023-07-10T08:00:00Z', 'P1'],
      ['resolve', '2023-07-10T08:20:00Z'],
    ]);
    const s = computeSlaClocks(silent, CoL, ms('2023-07-10T09:00:00Z')).find((c) => c.metric === 'response')!;
    expect(s).toMatchObject({ elapsedMinutes: 20, state: 'breached' });
  });

  it('a kind with no target for a metric has no clock for it (service requests have no response target)', () => {
    const t = ticket([['raise', '2023-07-10T08:00:00Z', 'P4', 'service_request']]);
    expect(computeSlaClocks(t, CoL, ms('2023-07-10T09:00:00Z')).map((c) => [c.metric, c.reference])).toEqual([['resolution', 'SRM1']]);
  });

  it("a supplier's clock runs only while the ticket is with it, and through a supplier hold", () => {
    const t = ticket([
      ['raise', '2023-07-10T08:00:00Z', 'P2'],
      ['assign', '2023-07-10T09:00:00Z', 'konica'],
      ['hold', '2023-07-10T10:00:00Z', 'awaiting_supplier'],
      ['resume', '2023-07-10T11:00:00Z'],
      ['assign', '2023-07-10T12:00:00Z'],
    ]);
    expect(computeSupplierClocks(t, CoL, ms('2023-07-10T13:00:00Z'))).toEqual([
      { supplierId: 'konica', running: [{ from: '2023-07-10T09:00:00.000Z', to: '2023-07-10T12:00:00.000Z' }], elapsedMinutes: 180, state: 'stopped' },
    ]);
  });
});

describe('SLA facts: reconcile and the timer', () => {
  const ctx = (now: string) => ({
    now,
    tenant: tenant('X'),
    slaPolicy: CoL,
    group: { groupId: 'g', name: 'g', tenantIds: ['X'], serviceDesk: false },
  });

  it('records the warning and the breach at their crossings, once', () => {
    const t = ticket([
      ['raise', '2023-07-10T08:00:00Z', 'P2'],
      ['respond', '2023-07-10T08:05:00Z'],
    ]);
    const events = reconcileSla(t, CoL, ms('2023-07-10T12:30:00Z'));
    expect(events.map((e) => [e.type, e.data.occurredAt])).toEqual([
      ['SlaWarningRaised', '2023-07-10T11:00:00.000Z'],
      ['SlaBreached', '2023-07-10T12:00:00.000Z'],
    ]);
    const after = events.reduce(evolveTicket, t) as RaisedTicket;
    expect(reconcileSla(after, CoL, ms('2023-07-10T13:00:00Z'))).toEqual([]);
    expect(nextDueAt(after, CoL, 5, ms('2023-07-10T13:00:00Z'))).toBeUndefined();
  });

  it('nothing is due at the deadline itself, only just after it', () => {
    const t = ticket([
      ['raise', '2023-07-10T08:00:00Z', 'P2'],
      ['respond', '2023-07-10T08:05:00Z'],
    ]);
    expect(reconcileSla(t, CoL, ms('2023-07-10T11:00:00Z'))).toEqual([]);
    expect(nextDueAt(t, CoL, 5, ms('2023-07-10T09:00:00Z'))).toBe(ms('2023-07-10T11:00:00Z') + 1);
  });

  it('a ticket resolved late before any timer ran gets its breach with its resolution', () => {
    const t = ticket([
      ['raise', '2023-07-10T08:00:00Z', 'P2'],
      ['respond', '2023-07-10T08:05:00Z'],
    ]);
    const events = decideTicket(
      { type: 'ResolveTicket', resolutionCode: 'fixed', rootCause: 'x', resolvedByGroupId: 'g', firstLineFix: false, occurredAt: '2023-07-10T13:00:00Z' },
      t,
      ctx('2023-07-10T13:00:30Z'),
    );
    expect(events.map((e) => [e.type, e.data.occurredAt])).toEqual([
      ['IncidentResolved', '2023-07-10T13:00:00.000Z'],
      ['SlaWarningRaised', '2023-07-10T11:00:00.000Z'],
      ['SlaBreached', '2023-07-10T12:00:00.000Z'],
    ]);
  });

  it('a back-dated fact that removes a recorded breach retracts it, dated when the system learned', () => {
    const t = ticket([
      ['raise', '2023-07-10T08:00:00Z', 'P2'],
      ['respond', '2023-07-10T08:05:00Z'],
    ]);
    const recorded = reconcileSla(t, CoL, ms('2023-07-10T12:00:01Z')).reduce(evolveTicket, t) as RaisedTicket;
    expect(recorded.sla.map((r) => r.kind)).toEqual(['warning', 'breach']);
    // At 12:10 the engineer records that it was fixed at 11:55.
    const events = decideTicket(
      { type: 'ResolveTicket', resolutionCode: 'fixed', rootCause: 'x', resolvedByGroupId: 'g', firstLineFix: false, occurredAt: '2023-07-10T11:55:00Z' },
      recorded,
      ctx('2023-07-10T12:10:00Z'),
    );
    expect(events.map((e) => e.type)).toEqual(['IncidentResolved', 'SlaEventRetracted']);
    expect(events[1]?.data).toMatchObject({
      key: 'resolution/0/P2/100',
      retractedOccurredAt: '2023-07-10T12:00:00.000Z',
      occurredAt: '2023-07-10T12:10:00.000Z',
    });
  });

  it('the timer command ReconcileSla records only SLA facts, and refuses an unknown ticket', () => {
    const t = ticket([['raise', '2023-07-10T08:00:00Z', 'P1']]);
    const events = decideTicket({ type: 'ReconcileSla', occurredAt: '2023-07-10T08:16:00Z' }, t, ctx('2023-07-10T08:16:00Z'));
    expect(events.map((e) => [e.type, e.data.occurredAt])).toEqual([
      ['SlaWarningRaised', '2023-07-10T08:11:15.000Z'],
      ['SlaBreached', '2023-07-10T08:15:00.000Z'],
    ]);
    expect(() => decideTicket({ type: 'ReconcileSla', occurredAt: '2023-07-10T08:16:00Z' }, initialTicketState(), ctx('2023-07-10T08:16:00Z'))).toThrow(
      'Ticket not found',
    );
  });

  it('the automatic close is due autoCloseDays after resolution', () => {
    const t = ticket([
      ['raise', '2023-07-10T08:00:00Z', 'P2'],
      ['respond', '2023-07-10T08:05:00Z'],
      ['resolve', '2023-07-10T09:00:00Z'],
    ]);
    expect(nextDueAt(t, CoL, 5, ms('2023-07-10T10:00:00Z'))).toBe(ms('2023-07-15T09:00:00Z'));
  });
});

describe('SLA properties (fast-check)', () => {
  it('a pause never brings a deadline earlier', () => {
    const start = ms('2023-01-02T00:00:00Z');
    fc.assert(
      fc.property(
        fc.constantFrom(CoL, LBB),
        fc.constantFrom('P1', 'P2', 'P3', 'P4' as const),
        fc.integer({ min: 0, max: 60 * 24 * 60 }),
        fc.integer({ min: 1, max: 60 * 24 * 10 }),
        fc.integer({ min: 1, max: 60 * 24 * 10 }),
        (p, priority, raiseOffset, holdAfter, holdFor) => {
          const raisedAt = new Date(start + raiseOffset * MIN).toISOString();
          const from = new Date(start + (raiseOffset + holdAfter) * MIN).toISOString();
          const to = new Date(start + (raiseOffset + holdAfter + holdFor) * MIN).toISOString();
          const asOf = start + 400 * 24 * 60 * MIN;
          const plain = resolution(ticket([['raise', raisedAt, priority]]), p, new Date(asOf).toISOString());
          const paused = resolution(
            ticket([
              ['raise', raisedAt, priority],
              ['hold', from, 'awaiting_customer'],
              ['resume', to],
            ]),
            p,
            new Date(asOf).toISOString(),
          );
          return ms(paused.deadline!) >= ms(plain.deadline!);
        },
      ),
      { numRuns: 150 },
    );
  });
});
