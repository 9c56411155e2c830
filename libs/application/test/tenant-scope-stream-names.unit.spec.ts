import { isServedEntry, parseWebhooksStream, tenantScope, webhooksStream } from '../src';

const scope = (streamId: string, data: Record<string, unknown> = {}) => tenantScope({ streamId, type: 'Anything', data });

/** The tenant scope reads stream names through parseStreamId: a name with a valid id, of a kind it knows. */
describe('tenant scope by stream name', () => {
  it('a name of a known prefix whose id breaks the id rule belongs to no tenant', () => {
    for (const s of ['tenant-CoL.x', 'tenant-', 'sla-policy-a.b', 'escalation-policy-a b', 'incident-CoL', 'service-a.b'])
      expect(scope(s, { tenantIds: ['CoL'] })).toEqual({ kind: 'nobody' });
  });
  it("publications are nobody's feed", () => {
    expect(scope('publications-CoL')).toEqual({ kind: 'nobody' });
    expect(scope('grouppublications-city')).toEqual({ kind: 'nobody' });
  });
  it('a tenant group is not a tenant, though its name starts `tenant`', () => expect(scope('tenantgroup-city')).toEqual({ kind: 'nobody' }));
  it('served entries: services and resolver groups with valid ids only', () => {
    expect(['service-printing', 'resolver-group-desk', 'supplier-konica', 'tenant-CoL', 'service-a.b', 'resolver-group-'].filter(isServedEntry)).toEqual([
      'service-printing',
      'resolver-group-desk',
    ]);
  });
});

describe('webhooks streams', () => {
  it('are named and read by the one stream parser', () => {
    expect(webhooksStream('CoL')).toBe('webhooks-CoL');
    expect(parseWebhooksStream('webhooks-CoL')).toEqual({ tenantId: 'CoL' });
    for (const s of ['webhooks-', 'webhooks-a.b', 'tenant-CoL', 'webhook-CoL']) expect(parseWebhooksStream(s)).toBeUndefined();
    expect(() => webhooksStream('a.b')).toThrow();
  });
});
