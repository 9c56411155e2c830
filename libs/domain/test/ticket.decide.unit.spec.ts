import { DomainError, decideTicket, evolveTicket, initialTicketState, ticketDecider, type TicketCommand, type TicketEvent, type TicketContext } from '../src';
import { deciderSpecification } from './decider-specification';
import { CoL, ctx, desk, konica, lbbNetworks, niche } from './fixtures';

const spec = deciderSpecification(ticketDecider);
const given = (events: TicketEvent[], c: TicketContext = ctx()) => spec(c).given(events);

const T0 = '2023-07-03T09:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

const raise: TicketCommand = {
  type: 'RaiseTicket',
  ticketId: 'INC001',
  tenantId: 'CoL',
  kind: 'incident',
  priority: 'P2',
  serviceId: 'printing',
  title: 'Guildhall printers offline',
  description: 'No printer on the 5th floor answers',
  reporter: 'jane.doe',
  channel: 'phone',
  occurredAt: T0,
};
const raised: TicketEvent = {
  type: 'IncidentRaised',
  data: {
    ticketId: 'INC001',
    tenantId: 'CoL',
    kind: 'incident',
    priority: 'P2',
    serviceId: 'printing',
    title: 'Guildhall printers offline',
    description: 'No printer on the 5th floor answers',
    reporter: 'jane.doe',
    channel: 'phone',
    occurredAt: T0,
  },
};
const responded: TicketEvent = { type: 'IncidentResponded', data: { respondedBy: 'desk', occurredAt: at(5) } };
const resolved: TicketEvent = {
  type: 'IncidentResolved',
  data: { resolutionCode: 'fixed', rootCause: 'print server', resolvedByGroupId: 'service-desk', firstLineFix: true, occurredAt: at(60) },
};
const closed: TicketEvent = { type: 'IncidentClosed', data: { automatic: false, occurredAt: at(120) } };
const onHold: TicketEvent = { type: 'IncidentPutOnHold', data: { reason: 'awaiting_customer', occurredAt: at(10) } };
const resolveCmd: TicketCommand = {
  type: 'ResolveTicket',
  resolutionCode: 'fixed',
  rootCause: 'print server',
  resolvedByGroupId: 'service-desk',
  firstLineFix: true,
  occurredAt: at(60),
};

describe('raise', () => {
  it('records IncidentRaised with the given priority', () => given([]).when(raise).then([raised]));

  it('maps impact × urgency through the tenant matrix', () => {
    const { priority: _p, ...rest } = raise;
    const [event] = decideTicket({ ...rest, impact: 1, urgency: 2 }, initialTicketState(), ctx());
    expect(event?.data).toMatchObject({ priority: 'P2', impact: 1, urgency: 2 });
    const custom = {
      ...CoL,
      priorityMatrix: [
        ['P1', 'P1', 'P1'],
        ['P1', 'P1', 'P1'],
        ['P1', 'P1', 'P4'],
      ] as typeof CoL.priorityMatrix,
    };
    const [p4] = decideTicket({ ...rest, impact: 3, urgency: 3 }, initialTicketState(), ctx({ tenant: custom }));
    expect(p4?.data).toMatchObject({ priority: 'P4' });
  });

  it('normalises occurredAt to UTC', () => {
    const [event] = decideTicket({ ...raise, occurredAt: '2023-07-03T10:00:00+01:00' }, initialTicketState(), ctx());
    expect(event?.data.occurredAt).toBe(T0);
  });

  it.each<[string, Partial<Extract<TicketCommand, { type: 'RaiseTicket' }>>, Partial<TicketContext>, string, string | undefined]>([
    ['an existing ticket', {}, {}, 'TICKET.ALREADY_RAISED', undefined],
    ['an unknown tenant', { tenantId: 'XYZ' }, {}, 'TENANT.NOT_FOUND', undefined],
    ['an unknown service', {}, { service: undefined }, 'TICKET.UNKNOWN_SERVICE', 'serviceId'],
    ['a service of another tenant', { serviceId: 'niche' }, { service: niche }, 'TICKET.SERVICE_NOT_FOR_TENANT', 'serviceId'],
    ['a priority out of range', { priority: 'P5' as never }, {}, 'TICKET.INVALID_PRIORITY', 'priority'],
    ['both priority and impact', { impact: 1, urgency: 1 }, {}, 'TICKET.PRIORITY_OR_MATRIX', 'priority'],
    ['neither priority nor impact', { priority: undefined }, {}, 'TICKET.PRIORITY_REQUIRED', 'priority'],
    ['impact out of range', { priority: undefined, impact: 4, urgency: 1 }, {}, 'TICKET.INVALID_IMPACT', 'impact'],
    ['an unknown kind', { kind: 'problem' as never }, {}, 'TICKET.INVALID_KIND', 'kind'],
    ['an unknown channel', { channel: 'pigeon' as never }, {}, 'TICKET.INVALID_CHANNEL', 'channel'],
    ['an empty title', { title: '  ' }, {}, 'TICKET.INVALID_TEXT', 'title'],
    ['a bad ticket id', { ticketId: 'a b' }, {}, 'TICKET.INVALID_ID', 'ticketId'],
    ['a time in the future', { occurredAt: '2023-07-10T12:03:00Z' }, {}, 'TICKET.OCCURRED_IN_FUTURE', 'occurredAt'],
    ['a time without offset', { occurredAt: '2023-07-03T09:00:00' }, {}, 'TIME.INVALID_INSTANT', 'occurredAt'],
  ])('refuses %s', (name, over, c, code, field) => {
    given(name === 'an existing ticket' ? [raised] : [], ctx(c))
      .when({ ...raise, ...over })
      .thenThrows(code, field);
  });

  it('accepts a time slightly ahead of the server clock (drift tolerance)', () => {
    given([])
      .when({ ...raise, occurredAt: '2023-07-10T12:01:00Z' })
      .then([{ ...raised, data: { ...raised.data, occurredAt: '2023-07-10T12:01:00.000Z' } }]);
  });
});

describe('facts on a ticket', () => {
  it('refuses any command on a ticket that was never raised', () =>
    given([])
      .when({ type: 'RespondToTicket', respondedBy: 'desk', occurredAt: at(1) })
      .thenThrows('TICKET.NOT_FOUND'));

  it('refuses a fact dated before the ticket was raised', () =>
    given([raised])
      .when({ type: 'RespondToTicket', respondedBy: 'desk', occurredAt: at(-1) })
      .thenThrows('TICKET.BEFORE_RAISED', 'occurredAt'));

  it("refuses a fact dated before the ticket's latest fact", () =>
    given([raised, responded])
      .when({ type: 'AssignTicket', groupId: 'service-desk', occurredAt: at(4) })
      .thenThrows('TICKET.OUT_OF_ORDER', 'occurredAt'));

  it('accepts a fact at the same instant as the previous one', () =>
    given([raised, responded])
      .when({ type: 'AssignTicket', groupId: 'service-desk', occurredAt: at(5) })
      .then([{ type: 'IncidentAssigned', data: { groupId: 'service-desk', occurredAt: at(5) } }]));
});

describe('respond', () => {
  it('records the first response', () =>
    given([raised])
      .when({ type: 'RespondToTicket', respondedBy: 'desk', occurredAt: at(5) })
      .then([responded]));
  it('refuses a second first response', () =>
    given([raised, responded])
      .when({ type: 'RespondToTicket', respondedBy: 'desk', occurredAt: at(6) })
      .thenThrows('TICKET.ALREADY_RESPONDED'));
  it('refuses a response on a resolved ticket', () =>
    given([raised, resolved])
      .when({ type: 'RespondToTicket', respondedBy: 'desk', occurredAt: at(61) })
      .thenThrows('TICKET.RESOLVED'));
});

describe('assign', () => {
  it('assigns to a group and passes to a supplier', () =>
    given([raised])
      .when({ type: 'AssignTicket', groupId: 'service-desk', supplierId: 'konica', occurredAt: at(3) })
      .then([{ type: 'IncidentAssigned', data: { groupId: 'service-desk', supplierId: 'konica', occurredAt: at(3) } }]));
  it('refuses an unknown group', () =>
    given([raised], ctx({ group: undefined }))
      .when({ type: 'AssignTicket', groupId: 'nobody', occurredAt: at(3) })
      .thenThrows('TICKET.UNKNOWN_GROUP', 'groupId'));
  it("refuses a group that does not serve the ticket's tenant", () =>
    given([raised], ctx({ group: lbbNetworks }))
      .when({ type: 'AssignTicket', groupId: 'lbb-networks', occurredAt: at(3) })
      .thenThrows('TICKET.GROUP_NOT_FOR_TENANT', 'groupId'));
  it('refuses an unknown supplier', () =>
    given([raised], ctx({ supplier: undefined }))
      .when({ type: 'AssignTicket', groupId: 'service-desk', supplierId: 'acme', occurredAt: at(3) })
      .thenThrows('TICKET.UNKNOWN_SUPPLIER', 'supplierId'));
  it('refuses the assignment it already has', () =>
    given([raised, { type: 'IncidentAssigned', data: { groupId: 'service-desk', occurredAt: at(2) } }])
      .when({ type: 'AssignTicket', groupId: 'service-desk', occurredAt: at(3) })
      .thenThrows('TICKET.ALREADY_ASSIGNED'));
});

describe('change priority', () => {
  it('records from and to', () =>
    given([raised])
      .when({ type: 'ChangeTicketPriority', priority: 'P1', reason: 'whole floor', occurredAt: at(7) })
      .then([{ type: 'IncidentPriorityChanged', data: { from: 'P2', to: 'P1', reason: 'whole floor', occurredAt: at(7) } }]));
  it('refuses the same priority', () =>
    given([raised])
      .when({ type: 'ChangeTicketPriority', priority: 'P2', reason: 'x', occurredAt: at(7) })
      .thenThrows('TICKET.PRIORITY_UNCHANGED'));
  it('refuses a priority out of range', () =>
    given([raised])
      .when({ type: 'ChangeTicketPriority', priority: 'P0' as never, reason: 'x', occurredAt: at(7) })
      .thenThrows('TICKET.INVALID_PRIORITY', 'priority'));
});

describe('hold and resume', () => {
  it('puts on hold with a reason from the list', () =>
    given([raised])
      .when({ type: 'PutTicketOnHold', reason: 'awaiting_customer', occurredAt: at(10) })
      .then([onHold]));
  it('refuses a reason outside the list', () =>
    given([raised])
      .when({ type: 'PutTicketOnHold', reason: 'lunch' as never, occurredAt: at(10) })
      .thenThrows('TICKET.INVALID_HOLD_REASON', 'reason'));
  it('refuses a second hold', () =>
    given([raised, onHold])
      .when({ type: 'PutTicketOnHold', reason: 'awaiting_supplier', occurredAt: at(11) })
      .thenThrows('TICKET.ALREADY_ON_HOLD'));
  it('resumes, naming the reason it was held for', () =>
    given([raised, onHold])
      .when({ type: 'ResumeTicket', occurredAt: at(30) })
      .then([{ type: 'IncidentResumed', data: { reason: 'awaiting_customer', occurredAt: at(30) } }]));
  it('refuses a resume when not on hold', () =>
    given([raised])
      .when({ type: 'ResumeTicket', occurredAt: at(30) })
      .thenThrows('TICKET.NOT_ON_HOLD'));
});

describe('record outage', () => {
  const outage = { type: 'RecordOutage' as const, from: at(-20), to: at(57), occurredAt: at(70) };
  it("records minutes on the ticket's service, even an outage that began before the ticket, against the ticket's tenant by default", () =>
    given([raised])
      .when(outage)
      .then([{ type: 'OutageRecorded', data: { serviceId: 'printing', from: at(-20), to: at(57), minutes: 77, tenantIds: ['CoL'], occurredAt: at(70) } }]));
  it('refuses from after to', () =>
    given([raised])
      .when({ ...outage, from: at(60), to: at(50) })
      .thenThrows('TICKET.INVALID_OUTAGE', 'to'));
  it('refuses an outage that overlaps one already recorded', () =>
    given([raised, { type: 'OutageRecorded', data: { serviceId: 'printing', from: at(0), to: at(30), minutes: 30, occurredAt: at(40) } }])
      .when({ ...outage, from: at(29), to: at(45) })
      .thenThrows('TICKET.OUTAGE_OVERLAPS'));
  it('refuses an outage ending in the future', () =>
    given([raised])
      .when({ ...outage, to: '2023-07-11T00:00:00Z' })
      .thenThrows('TICKET.OCCURRED_IN_FUTURE', 'to'));
  it('is allowed after resolution (outages are often measured afterwards)', () =>
    given([raised, resolved])
      .when({ ...outage, occurredAt: at(90) })
      .then([{ type: 'OutageRecorded', data: { serviceId: 'printing', from: at(-20), to: at(57), minutes: 77, tenantIds: ['CoL'], occurredAt: at(90) } }]));
});

describe('record outage against the tenants it affected', () => {
  const outage = { type: 'RecordOutage' as const, from: at(-20), to: at(57), occurredAt: at(70) };
  const recorded = (tenantIds: string[], over: object = {}): TicketEvent => ({
    type: 'OutageRecorded',
    data: { serviceId: 'printing', from: at(-20), to: at(57), minutes: 77, tenantIds, occurredAt: at(70), ...over },
  });

  it('names two tenants the service serves: the event carries both, in the order given', () =>
    given([raised])
      .when({ ...outage, tenantIds: ['CoLP', 'CoL'] })
      .then([recorded(['CoLP', 'CoL'])]));
  it("may name a served tenant other than the ticket's", () =>
    given([raised])
      .when({ ...outage, tenantIds: ['CoLP'] })
      .then([recorded(['CoLP'])]));
  it('names the service explicitly: checked against that service', () =>
    given([raised])
      .when({ ...outage, serviceId: 'printing', tenantIds: ['CoL', 'CoLP'] })
      .then([recorded(['CoL', 'CoLP'])]));

  it('refuses a tenant the service does not serve (422 naming tenantIds)', () =>
    given([raised])
      .when({ ...outage, tenantIds: ['CoL', 'LBB'] })
      .thenThrows('TICKET.OUTAGE_TENANT_NOT_SERVED', 'tenantIds'));
  it('refuses a tenant that does not exist', () =>
    given([raised], ctx({ service: { ...ctx().service!, tenantIds: ['CoL', 'CoLP', 'Atlantis'] } }))
      .when({ ...outage, tenantIds: ['Atlantis'] })
      .thenThrows('TICKET.OUTAGE_TENANT_NOT_SERVED', 'tenantIds'));
  it('refuses a tenant the service serves but the caller may not act for, in the words it uses for one it does not serve', () => {
    const outsideToken = ctx({ knownTenantIds: new Set(['CoL']) }); // CoLP: registered, served, outside the token
    const refusal = (c: TicketContext, tenantIds: string[]) => {
      try {
        decideTicket({ ...outage, tenantIds }, evolveTicket(initialTicketState(), raised), c);
      } catch (e) {
        return { code: (e as DomainError).code, field: (e as DomainError).field, message: (e as DomainError).message.replace(tenantIds[1] ?? '', '<t>') };
      }
      throw new Error('accepted');
    };
    given([raised], outsideToken)
      .when({ ...outage, tenantIds: ['CoL', 'CoLP'] })
      .thenThrows('TICKET.OUTAGE_TENANT_NOT_SERVED', 'tenantIds');
    expect(refusal(outsideToken, ['CoL', 'CoLP'])).toEqual(refusal(outsideToken, ['CoL', 'LBB']));
    expect(refusal(outsideToken, ['CoL', 'CoLP'])).toEqual(refusal(ctx({ knownTenantIds: new Set(['CoL']) }), ['CoL', 'Atlantis']));
  });
  it('refuses a tenant named twice', () =>
    given([raised])
      .when({ ...outage, tenantIds: ['CoL', 'CoLP', 'CoL'] })
      .thenThrows('TICKET.OUTAGE_TENANTS', 'tenantIds'));
  it('refuses an empty list', () =>
    given([raised])
      .when({ ...outage, tenantIds: [] })
      .thenThrows('TICKET.OUTAGE_TENANTS', 'tenantIds'));
  it('refuses a list of anything but tenant ids', () =>
    given([raised])
      .when({ ...outage, tenantIds: [7] as never })
      .thenThrows('TICKET.OUTAGE_TENANTS', 'tenantIds'));
  it("refuses named tenants when the outage's service is unknown", () =>
    given([raised], ctx({ service: undefined }))
      .when({ ...outage, tenantIds: ['CoL'] })
      .thenThrows('TICKET.UNKNOWN_SERVICE', 'serviceId'));

  it('an overlapping outage is refused for a tenant already counted, allowed for another tenant', () => {
    const first = recorded(['CoL'], { from: at(0), to: at(30), minutes: 30, occurredAt: at(40) });
    given([raised, first])
      .when({ ...outage, from: at(10), to: at(45), tenantIds: ['CoLP', 'CoL'] })
      .thenThrows('TICKET.OUTAGE_OVERLAPS');
    given([raised, first])
      .when({ ...outage, from: at(10), to: at(45) })
      .thenThrows('TICKET.OUTAGE_OVERLAPS');
    given([raised, first])
      .when({ ...outage, from: at(10), to: at(45), tenantIds: ['CoLP'] })
      .then([recorded(['CoLP'], { from: at(10), to: at(45), minutes: 35 })]);
  });

  it("evolve keeps each outage's tenants; an older event without them means the ticket's tenant", () => {
    const old: TicketEvent = { type: 'OutageRecorded', data: { serviceId: 'printing', from: at(0), to: at(19), minutes: 19, occurredAt: at(22) } };
    const state = [raised, old, recorded(['CoL', 'CoLP'])].reduce(evolveTicket, initialTicketState());
    expect(state.raised && state.outages).toEqual([
      { serviceId: 'printing', from: at(0), to: at(19), tenantIds: ['CoL'] },
      { serviceId: 'printing', from: at(-20), to: at(57), tenantIds: ['CoL', 'CoLP'] },
    ]);
  });
});

describe('resolve, reopen, close', () => {
  it('resolves, ending any hold', () => given([raised, onHold]).when(resolveCmd).then([resolved]));
  it('refuses a second resolution', () =>
    given([raised, resolved])
      .when({ ...resolveCmd, occurredAt: at(61) })
      .thenThrows('TICKET.RESOLVED'));
  it('refuses an unknown resolving group', () =>
    given([raised], ctx({ group: undefined }))
      .when(resolveCmd)
      .thenThrows('TICKET.UNKNOWN_GROUP', 'resolvedByGroupId'));
  it('refuses a missing root cause', () =>
    given([raised])
      .when({ ...resolveCmd, rootCause: '' })
      .thenThrows('TICKET.INVALID_TEXT', 'rootCause'));

  it('reopens a resolved ticket', () =>
    given([raised, resolved])
      .when({ type: 'ReopenTicket', reason: 'still broken', occurredAt: at(90) })
      .then([{ type: 'IncidentReopened', data: { reason: 'still broken', occurredAt: at(90) } }]));
  it('refuses to reopen an open ticket', () =>
    given([raised])
      .when({ type: 'ReopenTicket', reason: 'x', occurredAt: at(90) })
      .thenThrows('TICKET.NOT_RESOLVED'));
  it('reopens a closed ticket inside the window (10 days after closure)', () =>
    given([raised, resolved, closed], ctx({ now: at(30 * 1440) }))
      .when({ type: 'ReopenTicket', reason: 'x', occurredAt: at(120 + 10 * 1440) })
      .then([{ type: 'IncidentReopened', data: { reason: 'x', occurredAt: at(120 + 10 * 1440) } }]));
  it('refuses to reopen a closed ticket after the window', () =>
    given([raised, resolved, closed], ctx({ now: at(30 * 1440) }))
      .when({ type: 'ReopenTicket', reason: 'x', occurredAt: at(120 + 10 * 1440 + 1) })
      .thenThrows('TICKET.REOPEN_WINDOW_PASSED'));

  it('closes a resolved ticket', () =>
    given([raised, resolved])
      .when({ type: 'CloseTicket', occurredAt: at(120) })
      .then([closed]));
  it('refuses to close an unresolved ticket', () =>
    given([raised])
      .when({ type: 'CloseTicket', occurredAt: at(120) })
      .thenThrows('TICKET.NOT_RESOLVED'));
  it('closes automatically exactly autoCloseDays after resolution', () =>
    given([raised, resolved], ctx({ now: at(60 + 6 * 1440) }))
      .when({ type: 'CloseTicket', automatic: true, occurredAt: at(60 + 5 * 1440) })
      .then([{ type: 'IncidentClosed', data: { automatic: true, occurredAt: at(60 + 5 * 1440) } }]));
  it('refuses an automatic close at any other instant', () =>
    given([raised, resolved], ctx({ now: at(60 + 6 * 1440) }))
      .when({ type: 'CloseTicket', automatic: true, occurredAt: at(60 + 4 * 1440) })
      .thenThrows('TICKET.AUTO_CLOSE_NOT_DUE', 'occurredAt'));

  it.each<TicketCommand>([
    { type: 'RespondToTicket', respondedBy: 'x', occurredAt: at(130) },
    { type: 'AssignTicket', groupId: 'service-desk', occurredAt: at(130) },
    { type: 'ChangeTicketPriority', priority: 'P1', reason: 'x', occurredAt: at(130) },
    { type: 'PutTicketOnHold', reason: 'awaiting_customer', occurredAt: at(130) },
    { type: 'ResumeTicket', occurredAt: at(130) },
    { type: 'RecordOutage', from: at(0), to: at(10), occurredAt: at(130) },
    { ...resolveCmd, occurredAt: at(130) },
    { type: 'CloseTicket', occurredAt: at(130) },
    { type: 'DeclareMajorIncident', reference: 'MIR101', tenantsAffected: ['CoL'], trigger: 'several_p1s', occurredAt: at(130) },
  ])('refuses $type on a closed ticket', (command) => given([raised, resolved, closed]).when(command).thenThrows('TICKET.CLOSED'));
});

describe('major incident', () => {
  const declare: TicketCommand = {
    type: 'DeclareMajorIncident',
    reference: 'MIR101',
    tenantsAffected: ['CoL', 'CoLP'],
    trigger: 'multi_tenant_outage',
    occurredAt: at(20),
  };
  it('declares with a register reference', () =>
    given([raised])
      .when(declare)
      .then([
        { type: 'MajorIncidentDeclared', data: { reference: 'MIR101', tenantsAffected: ['CoL', 'CoLP'], trigger: 'multi_tenant_outage', occurredAt: at(20) } },
      ]));
  it('refuses a second declaration', () =>
    given([raised, ...decideTicket(declare, evolveTicket(initialTicketState(), raised), ctx())])
      .when({ ...declare, occurredAt: at(21) })
      .thenThrows('TICKET.ALREADY_MAJOR_INCIDENT'));
  it('refuses a malformed reference', () =>
    given([raised])
      .when({ ...declare, reference: 'MAJOR-1' })
      .thenThrows('TICKET.INVALID_MAJOR_INCIDENT_REFERENCE', 'reference'));
  it('refuses an unknown trigger', () =>
    given([raised])
      .when({ ...declare, trigger: 'gut_feeling' as never })
      .thenThrows('TICKET.INVALID_MAJOR_INCIDENT_TRIGGER', 'trigger'));
  it("refuses tenants that leave out the ticket's own", () =>
    given([raised])
      .when({ ...declare, tenantsAffected: ['LBB', 'CoLP'] })
      .thenThrows('TICKET.MAJOR_INCIDENT_TENANTS', 'tenantsAffected'));
  it('refuses unknown tenants', () =>
    given([raised])
      .when({ ...declare, tenantsAffected: ['CoL', 'Atlantis'] })
      .thenThrows('TICKET.MAJOR_INCIDENT_TENANTS', 'tenantsAffected'));
  it('refuses a multi-tenant outage with one tenant', () =>
    given([raised])
      .when({ ...declare, tenantsAffected: ['CoL'] })
      .thenThrows('TICKET.MAJOR_INCIDENT_TENANTS', 'tenantsAffected'));
  it("refuses a registered tenant outside the caller's token in the words it uses for an unknown one", () => {
    const outsideToken = ctx({ knownTenantIds: new Set(['CoL']) }); // CoLP is registered; the caller may not act for it
    const message = (tenantsAffected: string[]) => {
      try {
        decideTicket({ ...declare, tenantsAffected }, evolveTicket(initialTicketState(), raised), outsideToken);
      } catch (e) {
        return [(e as DomainError).code, (e as DomainError).field, (e as DomainError).message.replace(tenantsAffected[1] ?? '', '<t>')];
      }
      throw new Error('accepted');
    };
    expect(message(['CoL', 'CoLP'])).toEqual(['TICKET.MAJOR_INCIDENT_TENANTS', 'tenantsAffected', expect.any(String)]);
    expect(message(['CoL', 'CoLP'])).toEqual(message(['CoL', 'Atlantis']));
  });
});

describe('feedback and complaints', () => {
  const feedback: TicketCommand = { type: 'RecordFeedback', satisfaction: 5, nps: 9, comment: 'quick', occurredAt: at(200) };
  it('records feedback on a resolved or closed ticket', () => {
    given([raised, resolved])
      .when(feedback)
      .then([{ type: 'FeedbackRecorded', data: { satisfaction: 5, nps: 9, comment: 'quick', occurredAt: at(200) } }]);
    given([raised, resolved, closed])
      .when(feedback)
      .then([{ type: 'FeedbackRecorded', data: { satisfaction: 5, nps: 9, comment: 'quick', occurredAt: at(200) } }]);
  });
  it('refuses feedback before resolution', () => given([raised]).when(feedback).thenThrows('TICKET.NOT_RESOLVED'));
  it('refuses a second feedback', () =>
    given([raised, resolved, { type: 'FeedbackRecorded', data: { nps: 3, occurredAt: at(150) } }])
      .when(feedback)
      .thenThrows('TICKET.FEEDBACK_ALREADY_RECORDED'));
  it.each<[Partial<{ satisfaction: number; nps: number }>, string, string]>([
    [{ satisfaction: 0 }, 'TICKET.INVALID_SATISFACTION', 'satisfaction'],
    [{ satisfaction: 2.5 }, 'TICKET.INVALID_SATISFACTION', 'satisfaction'],
    [{ nps: 11 }, 'TICKET.INVALID_NPS', 'nps'],
    [{}, 'TICKET.FEEDBACK_EMPTY', 'satisfaction'],
  ])('refuses feedback %j', (scores, code, field) =>
    given([raised, resolved])
      .when({ type: 'RecordFeedback', ...scores, occurredAt: at(200) })
      .thenThrows(code, field),
  );
  it('records a complaint at any stage, closed included', () =>
    given([raised, resolved, closed])
      .when({ type: 'RecordComplaint', description: 'took too long', occurredAt: at(300) })
      .then([{ type: 'ComplaintRecorded', data: { description: 'took too long', occurredAt: at(300) } }]));
});

describe('evolve', () => {
  it('folds a whole life into the current state', () => {
    const life: TicketEvent[] = [
      raised,
      responded,
      { type: 'IncidentAssigned', data: { groupId: 'service-desk', supplierId: 'konica', occurredAt: at(6) } },
      onHold,
      { type: 'IncidentResumed', data: { reason: 'awaiting_customer', occurredAt: at(20) } },
      { type: 'IncidentPriorityChanged', data: { from: 'P2', to: 'P1', reason: 'x', occurredAt: at(21) } },
      { type: 'OutageRecorded', data: { serviceId: 'printing', from: at(0), to: at(19), minutes: 19, occurredAt: at(22) } },
      resolved,
      { type: 'IncidentReopened', data: { reason: 'again', occurredAt: at(70) } },
      { ...resolved, data: { ...resolved.data, occurredAt: at(80) } },
      { ...closed, data: { automatic: true, occurredAt: at(80 + 5 * 1440) } },
    ];
    const state = life.reduce(evolveTicket, initialTicketState());
    expect(state).toMatchObject({
      raised: true,
      status: 'closed',
      priority: 'P1',
      respondedAt: at(5),
      assignment: { groupId: 'service-desk', supplierId: 'konica', since: at(6) },
      hold: undefined,
      resolvedAt: at(80),
      closedAt: at(80 + 5 * 1440),
      reopenCount: 1,
      outageMinutes: 19,
      lastOccurredAt: at(80 + 5 * 1440),
    });
  });

  it('uses the fixtures coherently', () => {
    expect(desk.tenantIds).toContain(CoL.tenantId);
    expect(konica.targets.meanResponseMinutes).toBe(240);
  });
});
