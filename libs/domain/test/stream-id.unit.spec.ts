import fc from 'fast-check';
import {
  catalogueStream,
  escalationPolicyStream,
  majorIncidentRegisterStream,
  parseStreamId,
  publicationStream,
  slaPolicyStream,
  ticketStream,
  webhooksStream,
  type CatalogueKind,
  type StreamId,
} from '../src';

const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);
const KINDS: CatalogueKind[] = ['Tenant', 'Service', 'Supplier', 'ResolverGroup', 'TenantGroup'];

/** Every builder, with what parseStreamId must read back from its name. */
const builders: Array<[string, (id: string) => string, (id: string) => StreamId]> = [
  ...KINDS.map((kind): [string, (id: string) => string, (id: string) => StreamId] => [
    kind,
    catalogueStream[kind],
    (i) => ({ kind: 'catalogue', id: i, catalogueKind: kind }),
  ]),
  ['sla policy', slaPolicyStream, (i) => ({ kind: 'sla-policy', id: i, tenantId: i })],
  ['escalation policy', escalationPolicyStream, (i) => ({ kind: 'escalation-policy', id: i, tenantId: i })],
  ['major incident register', majorIncidentRegisterStream, (i) => ({ kind: 'major-incident-register', id: i, tenantId: i })],
  ['tenant publications', (i) => publicationStream({ kind: 'tenant', tenantId: i }), (i) => ({ kind: 'publications', id: i, subject: 'tenant' })],
  [
    'group publications',
    (i) => publicationStream({ kind: 'group', groupId: i, name: i, tenantIds: [], revision: '0' }),
    (i) => ({ kind: 'publications', id: i, subject: 'group' }),
  ],
  ['webhooks', webhooksStream, (i) => ({ kind: 'webhooks', id: i, tenantId: i })],
];

describe('parseStreamId: the one reader of stream names', () => {
  it.each(builders)('reads back exactly what the %s builder made, for any id', (_name, build, expected) => {
    fc.assert(fc.property(id, (i) => expect(parseStreamId(build(i))).toEqual(expected(i))));
  });

  it('reads back a ticket stream as its tenant and ticket', () => {
    fc.assert(
      fc.property(id, id, (tenantId, ticketId) =>
        expect(parseStreamId(ticketStream(tenantId, ticketId))).toEqual({ kind: 'ticket', id: `${tenantId}.${ticketId}`, tenantId, ticketId }),
      ),
    );
  });

  it('no two builders share a name: each name has one reading, whatever the ids', () => {
    const all = [...builders.map(([, build]) => build), (i: string) => ticketStream(i, i)];
    fc.assert(
      fc.property(id, id, fc.nat(all.length - 1), fc.nat(all.length - 1), (a, b, i, j) => {
        if (i !== j) expect(all[i]!(a)).not.toBe(all[j]!(b));
      }),
    );
  });

  it.each([
    ['tenantgroup-city', { kind: 'catalogue', id: 'city', catalogueKind: 'TenantGroup' }],
    ['tenant-group-x', { kind: 'catalogue', id: 'group-x', catalogueKind: 'Tenant' }],
    ['grouppublications-city', { kind: 'publications', id: 'city', subject: 'group' }],
    ['resolver-group-service-desk', { kind: 'catalogue', id: 'service-desk', catalogueKind: 'ResolverGroup' }],
    ['major-incidents-CoL', { kind: 'major-incident-register', id: 'CoL', tenantId: 'CoL' }],
  ])('%s is read as its own kind, not one whose prefix it resembles', (stream, expected) => expect(parseStreamId(stream)).toEqual(expected));

  it.each([
    '',
    'tenant-',
    'incident-CoL',
    'incident-CoL.',
    'incident-a.b.c',
    'tenant-a.b',
    'sla-policy-no/such',
    'webhooks-',
    'Tenant-CoL',
    '$audit-checkpoints',
    'audit-checkpoints',
    '$$incident-CoL.1',
    'major-incidents-a.b',
  ])('%j is no stream this service names', (stream) => expect(parseStreamId(stream)).toBeUndefined());
});
