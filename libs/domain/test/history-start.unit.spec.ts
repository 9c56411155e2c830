import { DEFAULT_HISTORY_START, DomainError, decideTicket, initialTicketState, validateTenant, type TicketCommand } from '../src';
import { CoL, ctx } from './fixtures';

const raiseAt = (occurredAt: string): TicketCommand => ({
  type: 'RaiseTicket',
  ticketId: 'INC-OLD',
  tenantId: 'CoL',
  kind: 'incident',
  priority: 'P3',
  serviceId: 'printing',
  title: 'Typed the year wrong',
  description: 'd',
  reporter: 'r',
  channel: 'phone',
  occurredAt,
});
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof DomainError ? { code: e.code, field: e.field } : String(e);
  }
  return 'no error';
};

describe("business time starts with the tenant's history", () => {
  it('refuses a fact dated before it (year 0100 would cost every figure per week since then), 422 naming occurredAt', () => {
    expect(code(() => decideTicket(raiseAt('0100-07-03T09:00:00Z'), initialTicketState(), ctx({ now: '2024-01-01T00:00:00Z' })))).toEqual({
      code: 'TICKET.BEFORE_HISTORY_START',
      field: 'occurredAt',
    });
    expect(code(() => decideTicket(raiseAt('1999-12-31T23:59:59Z'), initialTicketState(), ctx({ now: '2024-01-01T00:00:00Z' })))).toMatchObject({
      code: 'TICKET.BEFORE_HISTORY_START',
    });
    expect(decideTicket(raiseAt(DEFAULT_HISTORY_START), initialTicketState(), ctx({ now: '2024-01-01T00:00:00Z' }))[0]?.type).toBe('IncidentRaised');
  });

  it("follows the tenant's own start, which must be a sane instant", () => {
    const tenant = { ...CoL, historyStartsAt: '2015-04-01T00:00:00Z' };
    expect(code(() => decideTicket(raiseAt('2014-06-01T09:00:00Z'), initialTicketState(), ctx({ tenant, now: '2024-01-01T00:00:00Z' })))).toMatchObject({
      code: 'TICKET.BEFORE_HISTORY_START',
    });
    expect(code(() => validateTenant({ ...CoL, historyStartsAt: '0100-01-01T00:00:00Z' }))).toEqual({
      code: 'TENANT.INVALID_HISTORY_START',
      field: 'historyStartsAt',
    });
    expect(code(() => validateTenant({ ...CoL, historyStartsAt: 'last year' }))).toMatchObject({ code: 'TENANT.INVALID_HISTORY_START' });
    expect(code(() => validateTenant(tenant))).toBe('no error');
  });
});
