import {
  cityOfLondon2023,
  evolveEscalationPolicy,
  evolveTicket,
  initialEscalationPolicyState,
  initialTicketState,
  nextDueAt,
  nextEscalationDueAt,
  reconcileEscalations,
  reconcileSla,
  sharedIct2019,
  type EscalationPolicyState,
  type EscalationRule,
  type RaisedTicket,
  type SlaPolicyVersion,
  type TicketEvent,
} from '../src';

const CoL: SlaPolicyVersion = { ...cityOfLondon2023('CoL'), version: 1 };
const LBB: SlaPolicyVersion = { ...sharedIct2019('LBB'), version: 1 };
const MIN = 60_000;
const T0 = Date.parse('2023-07-10T08:00:00Z');
const iso = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();

const rule = (over: Partial<EscalationRule> = {}): EscalationRule => ({
  kind: 'incident',
  priority: 'P1',
  metric: 'resolution',
  atPercent: 50,
  notify: ['group:service-desk'],
  ...over,
});
function escalations(...versions: Array<[effectiveFrom: string, rules: EscalationRule[]]>): EscalationPolicyState {
  return versions.reduce(
    (s, [effectiveFrom, rules], i) =>
      evolveEscalationPolicy(s, {
        type: 'EscalationPolicyVersionDefined',
        data: { tenantId: 'CoL', version: i + 1, effectiveFrom, rules, occurredAt: effectiveFrom },
      }),
    initialEscalationPolicyState(),
  );
}
const raise = (at: string, priority: 'P1' | 'P2' | 'P3' = 'P1'): TicketEvent => ({
  type: 'IncidentRaised',
  data: {
    ticketId: 'INC-1',
    tenantId: 'CoL',
    kind: 'incident',
    priority,
    serviceId: 'printing',
    title: 't',
    description: 'd',
    reporter: 'r',
    channel: 'phone',
    slaPolicyVersion: 1,
    occurredAt: at,
  },
});
const fold = (events: TicketEvent[]) => events.reduce(evolveTicket, initialTicketState()) as RaisedTicket;
/** Appends what reconcile decides, as the timer does, and returns the events and the ticket after. */
function timerAt(events: TicketEvent[], policy: EscalationPolicyState, now: number, sla = CoL) {
  const decided = reconcileEscalations(fold(events), sla, policy, now);
  return { decided, after: [...events, ...decided] };
}

describe('escalations: crossing instants', () => {
  const policy = escalations([
    '2023-01-01T00:00:00.000Z',
    [rule({ atPercent: 50 }), rule({ atPercent: 150, notify: ['role:incident-manager'] }), rule({ metric: 'response', atPercent: 75 })],
  ]);

  it('a 24x7 P1 escalates at 50% and 150% of IM1 (120 min) and at 75% of SD3 (15 min), each dated at its crossing', () => {
    const { decided } = timerAt([raise(iso(0))], policy, T0 + 200 * MIN);
    expect(decided).toEqual([
      {
        type: 'EscalationTriggered',
        data: {
          ticketId: 'INC-1',
          key: 'escalation/response/0/P1/75',
          metric: 'response',
          cycle: 0,
          priority: 'P1',
          atPercent: 75,
          targetMinutes: 15,
          reference: 'SD3',
          notify: ['group:service-desk'],
          policyVersion: 1,
          occurredAt: new Date(T0 + 11.25 * MIN).toISOString(),
        },
      },
      {
        type: 'EscalationTriggered',
        data: {
          ticketId: 'INC-1',
          key: 'escalation/resolution/0/P1/50',
          metric: 'resolution',
          cycle: 0,
          priority: 'P1',
          atPercent: 50,
          targetMinutes: 120,
          reference: 'IM1',
          notify: ['group:service-desk'],
          policyVersion: 1,
          occurredAt: iso(60),
        },
      },
      {
        type: 'EscalationTriggered',
        data: {
          ticketId: 'INC-1',
          key: 'escalation/resolution/0/P1/150',
          metric: 'resolution',
          cycle: 0,
          priority: 'P1',
          atPercent: 150,
          targetMinutes: 120,
          reference: 'IM1',
          notify: ['role:incident-manager'],
          policyVersion: 1,
          occurredAt: iso(180),
        },
      },
    ]);
  });

  it('nothing is due before its crossing; exactly at it, still nothing (the time used must exceed it)', () => {
    expect(reconcileEscalations(fold([raise(iso(0))]), CoL, escalations(['2023-01-01T00:00:00.000Z', [rule()]]), T0 + 60 * MIN)).toEqual([]);
    expect(reconcileEscalations(fold([raise(iso(0))]), CoL, escalations(['2023-01-01T00:00:00.000Z', [rule()]]), T0 + 60 * MIN + 1)).toHaveLength(1);
    expect(nextEscalationDueAt(fold([raise(iso(0))]), CoL, escalations(['2023-01-01T00:00:00.000Z', [rule()]]), T0)).toBe(T0 + 60 * MIN + 1);
  });

  it('an escalation at a warning threshold is dated exactly as the warning', () => {
    const ticket = fold([
      raise(iso(0), 'P3'),
      { type: 'IncidentPutOnHold', data: { reason: 'awaiting_customer', occurredAt: iso(30) } },
      { type: 'IncidentResumed', data: { reason: 'awaiting_customer', occurredAt: iso(200) } },
    ]);
    const now = T0 + 3 * 24 * 60 * MIN;
    const warning = reconcileSla(ticket, CoL, now).find((e) => e.type === 'SlaWarningRaised' && e.data.key === 'resolution/0/P3/75');
    const [escalation] = reconcileEscalations(ticket, CoL, escalations(['2023-01-01T00:00:00.000Z', [rule({ priority: 'P3', atPercent: 75 })]]), now);
    expect(warning?.data.occurredAt).toBeDefined();
    expect(escalation?.data.occurredAt).toBe(warning?.data.occurredAt);
  });

  it('in working hours: half of a 4-hour P1 raised Friday 15:00 is used by 17:00, so it is exceeded Monday 09:00; 150% at Monday 13:00 (London)', () => {
    const friday = raise('2023-07-07T14:00:00.000Z');
    const { decided } = timerAt(
      [friday],
      escalations(['2023-01-01T00:00:00.000Z', [rule({ atPercent: 50 }), rule({ atPercent: 150 })]]),
      Date.parse('2023-07-11T00:00:00Z'),
      LBB,
    );
    expect(decided.map((e) => [e.data.key, e.data.occurredAt])).toEqual([
      ['escalation/resolution/0/P1/50', '2023-07-10T08:00:00.000Z'],
      ['escalation/resolution/0/P1/150', '2023-07-10T12:00:00.000Z'],
    ]);
  });

  it('a priority change that puts the clock past a rule escalates at the change, under the new priority', () => {
    const events: TicketEvent[] = [
      raise(iso(0), 'P3'),
      { type: 'IncidentPriorityChanged', data: { from: 'P3', to: 'P1', reason: 'outage spread', occurredAt: iso(100) } },
    ];
    const { decided } = timerAt(events, escalations(['2023-01-01T00:00:00.000Z', [rule({ priority: 'P1', atPercent: 75 })]]), T0 + 101 * MIN);
    expect(decided.map((e) => [e.data.key, e.data.occurredAt])).toEqual([['escalation/resolution/0/P1/75', iso(100)]]);
  });

  it('only the rules of the ticket kind, priority and metric apply; a ticket without rules costs nothing', () => {
    const policy2 = escalations(['2023-01-01T00:00:00.000Z', [rule({ kind: 'service_request' }), rule({ priority: 'P2' })]]);
    expect(reconcileEscalations(fold([raise(iso(0))]), CoL, policy2, T0 + 1000 * MIN)).toEqual([]);
    expect(nextEscalationDueAt(fold([raise(iso(0))]), CoL, initialEscalationPolicyState(), T0)).toBeUndefined();
  });
});

describe('escalations: which version, idempotence, withdrawal', () => {
  it('applies the version in force at the crossing instant', () => {
    const policy = escalations(
      ['2023-01-01T00:00:00.000Z', [rule({ atPercent: 50, notify: ['role:old'] }), rule({ atPercent: 75, notify: ['role:old'] })]],
      [iso(80), [rule({ atPercent: 75, notify: ['role:new'] })]],
    );
    const { decided } = timerAt([raise(iso(0))], policy, T0 + 100 * MIN);
    expect(decided.map((e) => e.type === 'EscalationTriggered' && [e.data.atPercent, e.data.notify, e.data.policyVersion, e.data.occurredAt])).toEqual([
      [50, ['role:old'], 1, iso(60)],
      [75, ['role:new'], 2, iso(90)],
    ]);
  });

  it('a crossing before any version, or under a version without the rule, escalates nothing', () => {
    const policy = escalations([iso(70), [rule({ atPercent: 50 })]]);
    expect(reconcileEscalations(fold([raise(iso(0))]), CoL, policy, T0 + 100 * MIN)).toEqual([]);
    expect(nextEscalationDueAt(fold([raise(iso(0))]), CoL, policy, T0 + 100 * MIN)).toBeUndefined();
  });

  it('once appended, the same call decides nothing, and the next due instant moves on', () => {
    const policy = escalations(['2023-01-01T00:00:00.000Z', [rule({ atPercent: 50 }), rule({ atPercent: 150 })]]);
    const { after } = timerAt([raise(iso(0))], policy, T0 + 61 * MIN);
    expect(reconcileEscalations(fold(after), CoL, policy, T0 + 61 * MIN)).toEqual([]);
    expect(nextEscalationDueAt(fold(after), CoL, policy, T0 + 61 * MIN)).toBe(T0 + 180 * MIN + 1);
  });

  it('a back-dated hold that undoes a crossing withdraws the escalation (SlaEventRetracted), then escalates at the new crossing', () => {
    const policy = escalations(['2023-01-01T00:00:00.000Z', [rule({ atPercent: 50 })]]);
    const { after } = timerAt([raise(iso(0))], policy, T0 + 65 * MIN);
    // Recorded at 66 min: the ticket had been waiting on the customer since 30 min (the clock pauses).
    const held = [...after, { type: 'IncidentPutOnHold', data: { reason: 'awaiting_customer', occurredAt: iso(30) } } as TicketEvent];
    expect(nextEscalationDueAt(fold(held), CoL, policy, T0 + 66 * MIN)).toBe(T0 + 66 * MIN);
    const withdrawn = reconcileEscalations(fold(held), CoL, policy, T0 + 66 * MIN);
    expect(withdrawn).toEqual([
      {
        type: 'SlaEventRetracted',
        data: { key: 'escalation/resolution/0/P1/50', retractedOccurredAt: iso(60), reason: expect.any(String), occurredAt: iso(66) },
      },
    ]);
    const state = fold([...held, ...withdrawn]);
    expect(state.sla).toEqual([{ key: 'escalation/resolution/0/P1/50', kind: 'escalation', at: iso(60), retracted: true }]);
    // Resumed at 90 min: 30 min were used, so half of 120 is exceeded 30 min later.
    const resumed = [...held, ...withdrawn, { type: 'IncidentResumed', data: { reason: 'awaiting_customer', occurredAt: iso(90) } } as TicketEvent];
    expect(reconcileEscalations(fold(resumed), CoL, policy, T0 + 119 * MIN)).toEqual([]);
    expect(reconcileEscalations(fold(resumed), CoL, policy, T0 + 121 * MIN).map((e) => [e.type, e.data.occurredAt])).toEqual([
      ['EscalationTriggered', iso(120)],
    ]);
  });

  it('warnings and escalations never withdraw each other: each reconcile keeps to its own records', () => {
    const policy = escalations(['2023-01-01T00:00:00.000Z', [rule({ atPercent: 75 })]]);
    let events: TicketEvent[] = [raise(iso(0))];
    const now = T0 + 100 * MIN;
    events = [...events, ...reconcileSla(fold(events), CoL, now)];
    events = [...events, ...reconcileEscalations(fold(events), CoL, policy, now)];
    expect(fold(events).sla.map((r) => [r.key, r.kind, r.at])).toEqual([
      ['response/0/P1/75', 'warning', new Date(T0 + 11.25 * MIN).toISOString()],
      ['response/0/P1/100', 'breach', iso(15)],
      ['resolution/0/P1/75', 'warning', iso(90)],
      ['escalation/resolution/0/P1/75', 'escalation', iso(90)],
    ]);
    expect(reconcileSla(fold(events), CoL, now)).toEqual([]);
    expect(reconcileEscalations(fold(events), CoL, policy, now)).toEqual([]);
    expect(nextDueAt(fold(events), CoL, undefined, now)).toBe(T0 + 120 * MIN + 1);
  });
});
