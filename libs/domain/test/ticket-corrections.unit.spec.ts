import {
  cityOfLondon2023,
  decideTicket,
  evolveTicket,
  initialTicketState,
  type RaisedTicket,
  type SlaPolicyVersion,
  type TicketCommand,
  type TicketContext,
  type TicketEvent,
  type TicketState,
} from '../src';
import { deciderSpecification } from './decider-specification';
import { ctx } from './fixtures';

/**
 * A missed step recorded late: dated before the ticket's latest fact, it says why (correction) and
 * is judged as the ticket stood then; the fold and the clocks place it in business time.
 */
const spec = deciderSpecification<TicketCommand, TicketEvent, TicketState, TicketContext>({
  decide: decideTicket,
  evolve: evolveTicket,
  initialState: initialTicketState,
});
const given = (events: TicketEvent[], c: TicketContext = ctx()) => spec(c).given(events);

const T0 = '2023-07-10T07:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const why = { reason: 'recorded late: the desk was on the phone' };

const raised: TicketEvent = {
  type: 'IncidentRaised',
  data: {
    ticketId: 'INC9',
    tenantId: 'CoL',
    kind: 'incident',
    priority: 'P2',
    serviceId: 'printing',
    title: 't',
    description: 'd',
    reporter: 'r',
    channel: 'phone',
    slaPolicyVersion: 1,
    occurredAt: T0,
  },
};
const ev = {
  respond: (m: number, correction?: object): TicketEvent => ({
    type: 'IncidentResponded',
    data: { respondedBy: 'desk', occurredAt: at(m), ...(correction ? { correction } : {}) } as never,
  }),
  assign: (m: number, groupId = 'service-desk', correction?: object): TicketEvent => ({
    type: 'IncidentAssigned',
    data: { groupId, occurredAt: at(m), ...(correction ? { correction } : {}) } as never,
  }),
  priority: (m: number, from: 'P1' | 'P2' | 'P3', to: 'P1' | 'P2' | 'P3', correction?: object): TicketEvent => ({
    type: 'IncidentPriorityChanged',
    data: { from, to, reason: 'x', occurredAt: at(m), ...(correction ? { correction } : {}) } as never,
  }),
  hold: (m: number, correction?: object): TicketEvent => ({
    type: 'IncidentPutOnHold',
    data: { reason: 'awaiting_customer', occurredAt: at(m), ...(correction ? { correction } : {}) } as never,
  }),
  resume: (m: number, correction?: object): TicketEvent => ({
    type: 'IncidentResumed',
    data: { reason: 'awaiting_customer', occurredAt: at(m), ...(correction ? { correction } : {}) } as never,
  }),
  resolve: (m: number, correction?: object): TicketEvent => ({
    type: 'IncidentResolved',
    data: {
      resolutionCode: 'fixed',
      rootCause: 'x',
      resolvedByGroupId: 'service-desk',
      firstLineFix: false,
      occurredAt: at(m),
      ...(correction ? { correction } : {}),
    } as never,
  }),
  complaint: (m: number): TicketEvent => ({ type: 'ComplaintRecorded', data: { description: 'slow', occurredAt: at(m) } }),
};

const fold = (events: TicketEvent[]) => events.reduce(evolveTicket, initialTicketState()) as RaisedTicket;
/** The same facts recorded in business-time order (stable: log order among equal times). */
const inBusinessOrder = (events: TicketEvent[]) =>
  events
    .map((e, i) => [e, i] as const)
    .sort(([a, i], [b, j]) => Date.parse(a.data.occurredAt) - Date.parse(b.data.occurredAt) || i - j)
    .map(([e]) => e);
/** What the fold derives, without the SLA records (those follow from it). */
const life = ({ sla: _s, ...rest }: RaisedTicket) => rest;

describe('a fact dated before the latest one', () => {
  it('without a correction: 422 TICKET.OUT_OF_ORDER on occurredAt', () =>
    given([raised, ev.assign(60)])
      .when({ type: 'PutTicketOnHold', reason: 'awaiting_customer', occurredAt: at(30) })
      .thenThrows('TICKET.OUT_OF_ORDER', 'occurredAt'));

  it('with one: recorded at its business time, carrying the reason', () =>
    given([raised, ev.assign(60)])
      .when({ type: 'PutTicketOnHold', reason: 'awaiting_customer', occurredAt: at(30), correction: why })
      .then([ev.hold(30, why)]));

  it('never before the raise, never in the future', () => {
    given([raised, ev.assign(60)])
      .when({ type: 'RespondToTicket', respondedBy: 'desk', occurredAt: at(-1), correction: why })
      .thenThrows('TICKET.BEFORE_RAISED', 'occurredAt');
    given([raised, ev.assign(60)])
      .when({ type: 'RespondToTicket', respondedBy: 'desk', occurredAt: '2023-07-10T12:10:00Z', correction: why })
      .thenThrows('TICKET.OCCURRED_IN_FUTURE', 'occurredAt');
  });

  it.each([
    [
      'a raise',
      {
        type: 'RaiseTicket',
        ticketId: 'INC9',
        tenantId: 'CoL',
        kind: 'incident',
        priority: 'P2',
        serviceId: 'printing',
        title: 't',
        description: 'd',
        reporter: 'r',
        channel: 'phone',
      },
      [],
    ],
    ['a reopen', { type: 'ReopenTicket', reason: 'again' }, [raised, ev.resolve(60), ev.complaint(90)]],
    ['a close', { type: 'CloseTicket' }, [raised, ev.resolve(60), ev.complaint(90)]],
    ['a major incident', { type: 'DeclareMajorIncident', reference: 'MIR1', tenantsAffected: ['CoL'], trigger: 'several_p1s' }, [raised, ev.assign(60)]],
    ['an outage', { type: 'RecordOutage', from: at(1), to: at(5) }, [raised, ev.assign(60)]],
  ])('%s cannot be a correction: 422 TICKET.CORRECTION_NOT_ALLOWED on correction', (_name, command, history) =>
    given(history as TicketEvent[])
      .when({ ...command, occurredAt: at(30), correction: why } as TicketCommand)
      .thenThrows('TICKET.CORRECTION_NOT_ALLOWED', 'correction'),
  );

  it('an automatic close is dated by its rule, even when the timer reaches it after later facts; a manual one is not', () => {
    // Resolved at 1h; CoL closes 5 days later; a complaint came on day 6, before the timer ran.
    const history = [raised, ev.resolve(60), ev.complaint(60 + 6 * 24 * 60)];
    const due = at(60 + 5 * 24 * 60);
    const later = ctx({ now: at(60 + 7 * 24 * 60) });
    given(history, later)
      .when({ type: 'CloseTicket', automatic: true, occurredAt: due })
      .then([{ type: 'IncidentClosed', data: { automatic: true, occurredAt: due } }]);
    given(history, later).when({ type: 'CloseTicket', occurredAt: due }).thenThrows('TICKET.OUT_OF_ORDER', 'occurredAt');
  });

  it('a correction says why: an empty reason is 422 on correction.reason', () =>
    given([raised, ev.assign(60)])
      .when({ type: 'RespondToTicket', respondedBy: 'desk', occurredAt: at(30), correction: { reason: ' ' } })
      .thenThrows('TICKET.INVALID_TEXT', 'correction.reason'));
});

describe('judged as the ticket stood then', () => {
  it('a priority change recorded late names the priority in force then', () =>
    given([raised, ev.priority(100, 'P2', 'P1')])
      .when({ type: 'ChangeTicketPriority', priority: 'P3', reason: 'x', occurredAt: at(50), correction: why })
      .then([ev.priority(50, 'P2', 'P3', why)]));
  it('the priority it already had then is unchanged', () =>
    given([raised, ev.priority(100, 'P2', 'P1')])
      .when({ type: 'ChangeTicketPriority', priority: 'P2', reason: 'x', occurredAt: at(50), correction: why })
      .thenThrows('TICKET.PRIORITY_UNCHANGED'));
  it('a hold while the ticket was on hold then: 409 TICKET.ALREADY_ON_HOLD', () =>
    given([raised, ev.hold(20), ev.resume(80), ev.assign(100)])
      .when({ type: 'PutTicketOnHold', reason: 'awaiting_customer', occurredAt: at(50), correction: why })
      .thenThrows('TICKET.ALREADY_ON_HOLD'));
  it('a response while the ticket was resolved then: 409 TICKET.RESOLVED; before its resolution: accepted', () => {
    given([raised, ev.resolve(60), ev.complaint(90)])
      .when({ type: 'RespondToTicket', respondedBy: 'desk', occurredAt: at(70), correction: why })
      .thenThrows('TICKET.RESOLVED');
    given([raised, ev.resolve(60), ev.complaint(90)])
      .when({ type: 'RespondToTicket', respondedBy: 'desk', occurredAt: at(30), correction: why })
      .then([ev.respond(30, why)]);
  });
  it('an assignment to the group it was assigned to then: 409 TICKET.ALREADY_ASSIGNED', () =>
    given([raised, ev.assign(10), ev.assign(100, 'desktop')])
      .when({ type: 'AssignTicket', groupId: 'service-desk', occurredAt: at(50), correction: why })
      .thenThrows('TICKET.ALREADY_ASSIGNED'));
  it('a resolution without resolvedByGroupId names the group assigned then', () =>
    given([raised, ev.assign(10), ev.complaint(90)])
      .when({ type: 'ResolveTicket', resolutionCode: 'fixed', rootCause: 'x', firstLineFix: false, occurredAt: at(60), correction: why })
      .then([ev.resolve(60, why)]));
});

describe('it must fit what was recorded after it: 409 naming the fact', () => {
  it('a hold before a hold recorded later', () =>
    given([raised, ev.hold(60), ev.resume(90)])
      .when({ type: 'PutTicketOnHold', reason: 'awaiting_customer', occurredAt: at(30), correction: why })
      .thenThrows('TICKET.CORRECTION_CONFLICT', 'occurredAt'));
  it('a resume of a hold that a recorded resume ended', () =>
    given([raised, ev.hold(20), ev.resume(80), ev.assign(100)])
      .when({ type: 'ResumeTicket', occurredAt: at(50), correction: why })
      .thenThrows('TICKET.CORRECTION_CONFLICT', 'occurredAt'));
  it('a resolution followed by work', () => {
    let thrown: unknown;
    try {
      decideTicket(
        { type: 'ResolveTicket', resolutionCode: 'fixed', rootCause: 'x', firstLineFix: false, occurredAt: at(30), correction: why },
        fold([raised, ev.assign(10), ev.assign(60, 'desktop')]),
        ctx(),
      );
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ code: 'TICKET.CORRECTION_CONFLICT', field: 'occurredAt' });
    expect(String((thrown as Error).message)).toContain(`An assignment at ${at(60)}`);
  });
  it('a first response when a later one is recorded', () =>
    given([raised, ev.respond(60)])
      .when({ type: 'RespondToTicket', respondedBy: 'desk', occurredAt: at(30), correction: why })
      .thenThrows('TICKET.ALREADY_RESPONDED'));
});

describe('the fold places a correction in business time', () => {
  it.each([
    ['a missed hold and resume between later facts', [raised, ev.assign(60), ev.priority(90, 'P2', 'P1'), ev.hold(30, why), ev.resume(45, why)]],
    ['a hold recorded late before a resolution ends there; its resume later', [raised, ev.respond(10), ev.resolve(120), ev.hold(30, why), ev.resume(50, why)]],
    ['a hold recorded late and still on', [raised, ev.assign(60), ev.hold(30, why)]],
    ['an assignment between two others', [raised, ev.assign(10), ev.assign(100, 'desktop'), ev.assign(50, 'networks', why)]],
    ['a priority change before a later one', [raised, ev.priority(100, 'P2', 'P1'), ev.priority(50, 'P2', 'P3', why)]],
    ['a resolution before a complaint', [raised, ev.assign(10), ev.complaint(100), ev.resolve(60, why)]],
    ['a first response after an assignment recorded earlier', [raised, ev.assign(100), ev.respond(20, why)]],
  ])('%s: the same ticket as the facts recorded in order', (_name, events) => {
    const late = fold(events);
    expect(life(late)).toEqual(life(fold(inBusinessOrder(events))));
    expect(late.lastOccurredAt).toBe(
      events
        .map((e) => e.data.occurredAt)
        .sort()
        .at(-1),
    );
  });

  it('a hold recorded late before a resolution ends at it, and the ticket stays resolved', () => {
    const t = fold([raised, ev.respond(10), ev.resolve(120), ev.hold(30, why)]);
    expect(t.timeline.holds).toEqual([{ from: at(30), to: at(120), reason: 'awaiting_customer' }]);
    expect([t.status, t.hold]).toEqual(['resolved', undefined]);
  });
});

describe('the SLA facts follow the corrected order', () => {
  const policy: SlaPolicyVersion = { ...cityOfLondon2023('CoL'), version: 1 };
  const withPolicy = (now: number) => ctx({ now: at(now), slaPolicy: policy });
  const decide = (events: TicketEvent[], command: TicketCommand, now: number) => {
    const state = fold(events);
    return decideTicket(command, state, withPolicy(now));
  };

  it('a missed hold retracts the warning and breach it disproves; its resume records the warning that stands', () => {
    // P2: resolve within 4 hours (24x7). Responded at 5, assigned at 200; by 5 hours the warning (3h) and breach (4h) are recorded.
    const start = [raised, ev.respond(5), ev.assign(200)];
    const timer = decideTicket({ type: 'ReconcileSla', occurredAt: at(300) }, fold(start), withPolicy(300));
    expect(timer.map((e) => [e.type, e.data.occurredAt])).toEqual([
      ['SlaWarningRaised', at(180)],
      ['SlaBreached', at(240)],
    ]);
    // The customer was awaited from 1h to 2h30: recorded late (after the assignment), the clock was paused then.
    const held = decide([...start, ...timer], { type: 'PutTicketOnHold', reason: 'awaiting_customer', occurredAt: at(60), correction: why }, 301);
    expect(held.map((e) => [e.type, e.data.occurredAt])).toEqual([
      ['IncidentPutOnHold', at(60)],
      ['SlaEventRetracted', at(301)],
      ['SlaEventRetracted', at(301)],
    ]);
    const resumed = decide([...start, ...timer, ...held], { type: 'ResumeTicket', occurredAt: at(150), correction: why }, 302);
    // 60 minutes before the hold, then from 150: 75% of 240 (180 used) at 270; the breach (240 used) would be at 330, not yet.
    expect(resumed.map((e) => [e.type, e.data.occurredAt])).toEqual([
      ['IncidentResumed', at(150)],
      ['SlaWarningRaised', at(270)],
    ]);
  });
});
