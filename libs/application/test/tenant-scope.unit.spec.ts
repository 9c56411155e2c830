import { concernsTenant, dataForTenant, tenantScope, webhookPayload } from '../src';
import { asLogPosition, type RecordedEvent } from '@itsm/event-store';

const scope = (streamId: string, type = 'Anything', data: Record<string, unknown> = {}) => tenantScope({ streamId, type, data });
const feeds = (streamId: string, type = 'Anything', data: Record<string, unknown> = {}, servedBefore: string[] = []) =>
  ['CoL', 'CoLP', 'LBB'].filter((t) => concernsTenant(scope(streamId, type, data), t, servedBefore));

describe("which tenants' feeds show an event", () => {
  it("a ticket's facts: its tenant's only", () => {
    expect(scope('incident-CoL.INC-1')).toEqual({ kind: 'own', tenantId: 'CoL', ticketId: 'INC-1', shared: [] });
    expect(feeds('incident-CoL.INC-1', 'IncidentRaised', { tenantIds: ['LBB'] })).toEqual(['CoL']);
  });
  it('an outage or major incident also the tenants it affected', () => {
    expect(feeds('incident-CoL.INC-1', 'OutageRecorded', { tenantIds: ['CoL', 'CoLP'] })).toEqual(['CoL', 'CoLP']);
    expect(feeds('incident-CoL.INC-1', 'OutageEnded', { tenantIds: ['LBB'] })).toEqual(['CoL', 'LBB']);
    expect(feeds('incident-CoL.INC-1', 'MajorIncidentDeclared', { tenantsAffected: ['LBB'] })).toEqual(['CoL', 'LBB']);
  });
  it("a tenant's entry, SLA and escalation policies and major incident register: its own", () => {
    expect(feeds('tenant-CoLP')).toEqual(['CoLP']);
    expect(feeds('sla-policy-LBB')).toEqual(['LBB']);
    expect(feeds('escalation-policy-CoL')).toEqual(['CoL']);
    expect(feeds('major-incidents-CoL')).toEqual(['CoL']);
  });
  it('a service or resolver group: the tenants it serves, or served before this revision', () => {
    expect(feeds('service-printing', 'ServiceRegistered', { tenantIds: ['CoL', 'CoLP'] })).toEqual(['CoL', 'CoLP']);
    expect(feeds('resolver-group-desk', 'ResolverGroupRevised', { tenantIds: ['CoLP'] }, ['CoL'])).toEqual(['CoL', 'CoLP']);
  });
  it('a supplier: every tenant', () => expect(feeds('supplier-konica')).toEqual(['CoL', 'CoLP', 'LBB']));
  it('tenant groups, webhook registrations, audit checkpoints and unknown streams: none', () => {
    for (const s of ['tenantgroup-city', 'webhooks-CoL', 'audit-checkpoints', 'major-incidents-', 'something-else'])
      expect(feeds(s, 'X', { tenantIds: ['CoL'] })).toEqual([]);
  });
});

describe('what a tenant sees of a shared event', () => {
  it('lists only the tenants it may see; its own events whole', () => {
    const outage = scope('incident-CoL.INC-1', 'OutageRecorded', { tenantIds: ['CoL', 'CoLP', 'LBB'] });
    expect(dataForTenant(outage, { tenantIds: ['CoL', 'CoLP', 'LBB'] }, 'CoLP', () => false)).toEqual({ tenantIds: ['CoLP'] });
    expect(dataForTenant(outage, { tenantIds: ['CoL', 'CoLP', 'LBB'] }, 'CoL', () => false)).toEqual({ tenantIds: ['CoL', 'CoLP', 'LBB'] });
    expect(dataForTenant(scope('service-printing'), { tenantIds: ['CoL', 'CoLP'], name: 'P' }, 'CoL', (t) => t === 'CoLP')).toEqual({
      tenantIds: ['CoL', 'CoLP'],
      name: 'P',
    });
  });
  it('a webhook payload is the event as its tenant sees it, with the zone for display', () => {
    const e: RecordedEvent = {
      id: 'e1',
      streamId: 'incident-CoL.INC-1',
      revision: 3n,
      position: asLogPosition(42n),
      type: 'OutageRecorded',
      data: { occurredAt: '2023-07-03T09:00:00.000Z', tenantIds: ['CoL', 'LBB'] },
      metadata: { recordedAt: '2023-07-03T09:01:00.000Z' },
      recordedAt: new Date('2023-07-03T09:01:02.000Z'),
    };
    expect(webhookPayload(e, 'LBB', 'Europe/London')).toEqual({
      eventId: 'e1',
      type: 'OutageRecorded',
      tenantId: 'CoL',
      ticketId: 'INC-1',
      occurredAt: '2023-07-03T09:00:00.000Z',
      recordedAt: '2023-07-03T09:01:00.000Z',
      position: '42',
      data: { occurredAt: '2023-07-03T09:00:00.000Z', tenantIds: ['LBB'] },
      timeZone: 'Europe/London',
    });
  });
});
