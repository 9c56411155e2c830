import {
  decideMajorIncidentReservation,
  evolveMajorIncidentRegister,
  evolveTicket,
  hasDeclaredMajorIncident,
  initialMajorIncidentRegisterState,
  initialTicketState,
  MAJOR_INCIDENT_RESERVATION_LEASE_MS,
  MAJOR_INCIDENT_RESERVATION_RENEW_MS,
  majorIncidentReferenceKey,
  majorIncidentRegisterStream,
  parseMajorIncidentRegisterStream,
  parseTicketStream,
  DomainError,
  type MajorIncidentRegisterContext,
  type MajorIncidentRegisterEvent,
  type MajorIncidentRegisterState,
  type ReserveMajorIncidentReference,
  type TicketEvent,
} from '../src';
import { deciderSpecification } from './decider-specification';

const spec = deciderSpecification<ReserveMajorIncidentReference, MajorIncidentRegisterEvent, MajorIncidentRegisterState, MajorIncidentRegisterContext>({
  decide: decideMajorIncidentReservation,
  evolve: evolveMajorIncidentRegister,
  initialState: initialMajorIncidentRegisterState,
});

const NOW = Date.parse('2023-07-10T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const minutes = (n: number) => n * 60_000;
const DECLARED_AT = '2023-07-10T11:58:00.000Z';
const ctx = (over: Partial<MajorIncidentRegisterContext> = {}): MajorIncidentRegisterContext => ({ registerTenantId: 'CoL', now: iso(NOW), ...over });
const given = (events: MajorIncidentRegisterEvent[], c = ctx()) => spec(c).given(events);

const reserve = (ticketId: string, over: Partial<ReserveMajorIncidentReference> = {}): ReserveMajorIncidentReference => ({
  type: 'ReserveMajorIncidentReference',
  reference: 'MIR200',
  ticketTenantId: 'CoL',
  ticketId,
  occurredAt: DECLARED_AT,
  ...over,
});
const reserved = (ticketId: string, heldUntil: number, over: object = {}): MajorIncidentRegisterEvent => ({
  type: 'MajorIncidentReferenceReserved',
  data: { reference: 'MIR200', ticketTenantId: 'CoL', ticketId, occurredAt: DECLARED_AT, heldUntil: iso(heldUntil), ...over },
});
const LEASE = MAJOR_INCIDENT_RESERVATION_LEASE_MS;

describe('the major incident register: a reference names one major incident per tenant', () => {
  it('a free reference is reserved for the ticket, held for the lease', () =>
    given([])
      .when(reserve('T1'))
      .then([reserved('T1', NOW + LEASE)]));

  it('other references are other entries', () =>
    given([reserved('T1', NOW + LEASE)])
      .when(reserve('T2', { reference: 'MIR201' }))
      .then([reserved('T2', NOW + LEASE, { reference: 'MIR201' })]));

  it('taken by another ticket that declared it: 409, naming the reference, the register and the field', () => {
    given([reserved('T1', NOW - minutes(60))], ctx({ holderDeclared: true }))
      .when(reserve('T2'))
      .thenThrows('TICKET.MAJOR_INCIDENT_REFERENCE_TAKEN', 'reference');
    const error = refusal([reserved('T1', NOW - minutes(60))], reserve('T2'), ctx({ holderDeclared: true }));
    expect(error.kind).toBe('conflict');
    expect(error.message).toContain('MIR200');
    expect(error.message).toContain("CoL's major incident register");
  });

  it('MIR-200 and MIR0200 are the register number MIR200', () => {
    expect(['MIR200', 'MIR-200', 'MIR0200'].map(majorIncidentReferenceKey)).toEqual(['MIR200', 'MIR200', 'MIR200']);
    given([reserved('T1', NOW + LEASE)], ctx({ holderDeclared: true }))
      .when(reserve('T2', { reference: 'MIR-0200' }))
      .thenThrows('TICKET.MAJOR_INCIDENT_REFERENCE_TAKEN', 'reference');
  });

  it('names the holding ticket only to a caller who may see its tenant', () => {
    const multiTenant = reserved('INC-9', NOW - minutes(60), { ticketTenantId: 'CoLP' }); // a CoLP ticket's major incident affecting CoL too
    const hidden = refusal([multiTenant], reserve('T2'), ctx({ holderDeclared: true, mayNameHolder: false }));
    expect(hidden.message).not.toContain('INC-9');
    expect(hidden.message).not.toContain('CoLP');
    const shown = refusal([multiTenant], reserve('T2'), ctx({ holderDeclared: true, mayNameHolder: true }));
    expect(shown.message).toContain('ticket INC-9 of CoLP');
  });

  it('held by another ticket whose declaration is not recorded yet, inside its lease: 409 (a declaration may be in flight)', () =>
    given([reserved('T1', NOW + minutes(1))], ctx({ holderDeclared: false }))
      .when(reserve('T2'))
      .thenThrows('TICKET.MAJOR_INCIDENT_REFERENCE_TAKEN', 'reference'));

  it('a lapsed reservation whose ticket never declared it is taken over, saying whose it replaces', () =>
    given([reserved('T1', NOW)], ctx({ holderDeclared: false }))
      .when(reserve('T2'))
      .then([reserved('T2', NOW + LEASE, { replaces: { ticketTenantId: 'CoL', ticketId: 'T1' } })]));

  it('a lapsed reservation whose ticket did declare it stays taken', () =>
    given([reserved('T1', NOW - minutes(60))], ctx({ holderDeclared: true }))
      .when(reserve('T2'))
      .thenThrows('TICKET.MAJOR_INCIDENT_REFERENCE_TAKEN', 'reference'));

  it('the same ticket reuses its own reservation: nothing to write', () =>
    given([reserved('T1', NOW + MAJOR_INCIDENT_RESERVATION_RENEW_MS)])
      .when(reserve('T1'))
      .then([]));

  it('the same ticket renews its reservation when little of it is left, or it lapsed', () => {
    given([reserved('T1', NOW + MAJOR_INCIDENT_RESERVATION_RENEW_MS - 1)])
      .when(reserve('T1'))
      .then([reserved('T1', NOW + LEASE)]);
    given([reserved('T1', NOW - minutes(60))])
      .when(reserve('T1'))
      .then([reserved('T1', NOW + LEASE)]);
  });

  it('a ticket of another tenant with the same id is another ticket', () =>
    given([reserved('T1', NOW + LEASE)], ctx({ holderDeclared: false }))
      .when(reserve('T1', { ticketTenantId: 'CoLP' }))
      .thenThrows('TICKET.MAJOR_INCIDENT_REFERENCE_TAKEN', 'reference'));

  it('refuses a malformed reference', () =>
    given([])
      .when(reserve('T1', { reference: 'MAJOR-1' }))
      .thenThrows('TICKET.INVALID_MAJOR_INCIDENT_REFERENCE', 'reference'));

  it('the latest reservation of an entry is its holder', () => {
    const state = [reserved('T1', NOW), reserved('T2', NOW + LEASE, { replaces: { ticketTenantId: 'CoL', ticketId: 'T1' } })].reduce(
      evolveMajorIncidentRegister,
      initialMajorIncidentRegisterState(),
    );
    expect(state.reservations).toEqual({ MIR200: { reference: 'MIR200', ticketTenantId: 'CoL', ticketId: 'T2', heldUntil: iso(NOW + LEASE) } });
  });

  it('without saying whether the holder declared, the rule cannot answer (a bug in the handler, not a refusal)', () =>
    expect(() =>
      decideMajorIncidentReservation(reserve('T2'), [reserved('T1', NOW)].reduce(evolveMajorIncidentRegister, initialMajorIncidentRegisterState()), ctx()),
    ).toThrow(/holds the reference/));
});

describe('whether the holding ticket declared the reference', () => {
  const raised: TicketEvent = {
    type: 'IncidentRaised',
    data: {
      ticketId: 'T1',
      tenantId: 'CoL',
      kind: 'incident',
      priority: 'P1',
      serviceId: 'printing',
      title: 't',
      description: 'd',
      reporter: 'r',
      channel: 'phone',
      occurredAt: DECLARED_AT,
    },
  };
  const declared = (reference: string, tenantsAffected: string[]): TicketEvent => ({
    type: 'MajorIncidentDeclared',
    data: { reference, tenantsAffected, trigger: 'multi_tenant_outage', occurredAt: DECLARED_AT },
  });
  const ticket = (...events: TicketEvent[]) => [raised, ...events].reduce(evolveTicket, initialTicketState());

  it('declared the same register number for the register’s tenant: yes', () => {
    expect(hasDeclaredMajorIncident(ticket(declared('MIR200', ['CoL', 'CoLP'])), 'MIR200', 'CoLP')).toBe(true);
    expect(hasDeclaredMajorIncident(ticket(declared('MIR-200', ['CoL', 'CoLP'])), 'MIR200', 'CoL')).toBe(true);
  });
  it('declared nothing, another reference, or not for that tenant: no', () => {
    expect(hasDeclaredMajorIncident(ticket(), 'MIR200', 'CoL')).toBe(false);
    expect(hasDeclaredMajorIncident(ticket(declared('MIR201', ['CoL'])), 'MIR200', 'CoL')).toBe(false);
    expect(hasDeclaredMajorIncident(ticket(declared('MIR200', ['CoL'])), 'MIR200', 'CoLP')).toBe(false);
    expect(hasDeclaredMajorIncident(initialTicketState(), 'MIR200', 'CoL')).toBe(false);
  });
});

describe('register streams', () => {
  it('major-incidents-<tenantId>: one per tenant, parsed back, never taken for a ticket stream', () => {
    expect(majorIncidentRegisterStream('CoL')).toBe('major-incidents-CoL');
    expect(parseMajorIncidentRegisterStream('major-incidents-CoLP')).toEqual({ tenantId: 'CoLP' });
    expect(parseTicketStream('major-incidents-CoL')).toBeUndefined();
    for (const s of ['incident-CoL.T1', 'tenant-CoL', 'major-incidents-', 'major-incidents-a.b']) expect(parseMajorIncidentRegisterStream(s)).toBeUndefined();
    expect(() => majorIncidentRegisterStream('a.b')).toThrow(/Not a tenant id/);
  });
});

function refusal(events: MajorIncidentRegisterEvent[], command: ReserveMajorIncidentReference, c: MajorIncidentRegisterContext): DomainError {
  try {
    decideMajorIncidentReservation(command, events.reduce(evolveMajorIncidentRegister, initialMajorIncidentRegisterState()), c);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('accepted');
}
