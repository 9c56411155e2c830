import fc from 'fast-check';
import { CATALOGUE_ID, isTicketAddress, parseTicketStream, TICKET_ID, ticketKey, ticketStream } from '../src';

const STREAM_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,199}$/;
const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);

describe('ticket streams are named per tenant', () => {
  it('incident-<tenantId>.<ticketId>: two tenants each have their own INC-1', () => {
    expect(ticketStream('CoL', 'INC-1')).toBe('incident-CoL.INC-1');
    expect(ticketStream('CoLP', 'INC-1')).toBe('incident-CoLP.INC-1');
    expect(ticketKey('CoL', 'INC-1')).toBe('CoL.INC-1');
  });

  it('parses back exactly the tenant and ticket it was built from, and is a valid stream name', () => {
    fc.assert(
      fc.property(id, id, (tenantId, ticketId) => {
        const stream = ticketStream(tenantId, ticketId);
        expect(stream).toMatch(STREAM_NAME);
        expect(parseTicketStream(stream)).toEqual({ tenantId, ticketId });
      }),
    );
  });

  it('no two (tenant, ticket) pairs share a stream: ids hold no dot, so the split is unambiguous', () => {
    expect(TICKET_ID.test('a.b')).toBe(false);
    expect(CATALOGUE_ID.test('a.b')).toBe(false);
    fc.assert(fc.property(id, id, id, id, (a, b, c, d) => (a === c && b === d) || ticketStream(a, b) !== ticketStream(c, d)));
  });

  it('anything else is no ticket stream: catalogue streams, the old unscoped names, malformed ids', () => {
    for (const s of [
      'tenant-CoL',
      'service-printing',
      'sla-policy-CoL',
      'incident-INC1',
      'incident-.INC1',
      'incident-CoL.',
      'incident-a.b.c',
      'incident-CoL.-x',
      'Incident-CoL.INC1',
      'audit-checkpoints',
    ]) {
      expect([s, parseTicketStream(s)]).toEqual([s, undefined]);
    }
  });

  it('refuses to build a name from ids that break the rules', () => {
    expect(isTicketAddress('CoL', 'INC-1')).toBe(true);
    for (const [tenant, ticket] of [
      ['a.b', 'INC1'],
      ['CoL', 'x.y'],
      ['', 'INC1'],
      ['CoL', ''],
      ['CoL', 'x'.repeat(65)],
      ['-CoL', 'INC1'],
    ] as const) {
      expect(isTicketAddress(tenant, ticket)).toBe(false);
      expect(() => ticketStream(tenant, ticket)).toThrow(/Not a ticket address/);
    }
  });
});
