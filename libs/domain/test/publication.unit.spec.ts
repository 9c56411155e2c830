import {
  decidePublication,
  evolvePublications,
  initialPublicationsState,
  parsePublicationStream,
  parseTicketStream,
  publicationStream,
  tenantGroupOfStream,
  type PublicationContext,
  type PublicationEvent,
  type PublicationsState,
  type PublishFigures,
} from '../src';
import { deciderSpecification } from './decider-specification';

const spec = deciderSpecification<PublishFigures, PublicationEvent, PublicationsState, PublicationContext>({
  decide: decidePublication,
  evolve: evolvePublications,
  initialState: initialPublicationsState,
});
const given = (events: PublicationEvent[]) => spec({ zone: 'Europe/London' }).given(events);

const publish = (over: Partial<PublishFigures> = {}): PublishFigures => ({
  type: 'PublishFigures',
  report: 'service-delivery-summary',
  month: '2023-07',
  publicationId: 'p1',
  subject: { kind: 'tenant', tenantId: 'CoL' },
  builtAt: { position: '40', eventCount: 40, headGlobalHash: 'a'.repeat(64), asOf: '2023-08-02T09:00:00.000Z' },
  figures: { count: 400, digest: 'b'.repeat(64) },
  ...over,
});
const published = (publicationId = 'p1', over: object = {}): PublicationEvent => ({
  type: 'FiguresPublished',
  data: {
    publicationId,
    report: 'service-delivery-summary',
    parameters: { month: '2023-07', zone: 'Europe/London' },
    subject: { kind: 'tenant', tenantId: 'CoL' },
    position: '40',
    eventCount: 40,
    headGlobalHash: 'a'.repeat(64),
    figures: 400,
    digest: 'b'.repeat(64),
    asOf: '2023-08-02T09:00:00.000Z',
    ...over,
  },
});

describe('publishing figures', () => {
  it('records where the figures stand, the report and its parameters, and their digest', () => given([]).when(publish()).then([published()]));

  it('a month may be published again (a restatement is a publication of its own)', () =>
    given([published('p1')])
      .when(publish({ publicationId: 'p2', builtAt: { position: '90', eventCount: 90, headGlobalHash: 'c'.repeat(64), asOf: '2023-09-01T09:00:00.000Z' } }))
      .then([published('p2', { position: '90', eventCount: 90, headGlobalHash: 'c'.repeat(64), asOf: '2023-09-01T09:00:00.000Z' })]));

  it('a group publication keeps its members as they were', () => {
    const subject = { kind: 'group' as const, groupId: 'city', name: 'City of London', tenantIds: ['CoL', 'CoLP'], revision: '0' };
    given([])
      .when(publish({ subject }))
      .then([published('p1', { subject })]);
  });

  it('a month in progress may be published: its figures are to asOf', () =>
    given([])
      .when(publish({ month: '2023-08' }))
      .then([published('p1', { parameters: { month: '2023-08', zone: 'Europe/London' } })]));

  it.each<[string, Partial<PublishFigures>, string, string]>([
    ['an unknown report', { report: 'sla-performance' }, 'PUBLICATION.UNKNOWN_REPORT', 'report'],
    ['no report', { report: undefined }, 'PUBLICATION.UNKNOWN_REPORT', 'report'],
    ['no month', { month: undefined }, 'PUBLICATION.INVALID_MONTH', 'month'],
    ['a month that is no month', { month: '2023-13' }, 'PUBLICATION.INVALID_MONTH', 'month'],
    ['a date, not a month', { month: '2023-07-01' }, 'PUBLICATION.INVALID_MONTH', 'month'],
    ['a month not begun at asOf', { month: '2023-09' }, 'PUBLICATION.MONTH_NOT_BEGUN', 'month'],
  ])('%s is refused, naming the field', (_why, over, code, field) => given([]).when(publish(over)).thenThrows(code, field));

  it('the month begins in the report zone: 1 August 00:30 BST is August already', () =>
    given([])
      .when(publish({ month: '2023-08', builtAt: { ...publish().builtAt, asOf: '2023-07-31T23:30:00.000Z' } }))
      .then([published('p1', { parameters: { month: '2023-08', zone: 'Europe/London' }, asOf: '2023-07-31T23:30:00.000Z' })]));

  it('a publication id is recorded once', () =>
    given([published('p1')])
      .when(publish())
      .thenThrows('PUBLICATION.ALREADY_RECORDED'));
});

describe('publication streams', () => {
  it('are publications-<tenant> and grouppublications-<group>, parsed back by one parser', () => {
    expect(publicationStream({ kind: 'tenant', tenantId: 'CoL' })).toBe('publications-CoL');
    expect(publicationStream({ kind: 'group', groupId: 'city', name: 'n', tenantIds: ['CoL', 'CoLP'], revision: '0' })).toBe('grouppublications-city');
    expect(parsePublicationStream('publications-CoL')).toEqual({ kind: 'tenant', id: 'CoL' });
    expect(parsePublicationStream('grouppublications-city')).toEqual({ kind: 'group', id: 'city' });
    expect(parsePublicationStream('tenant-CoL')).toBeUndefined();
    expect(() => publicationStream({ kind: 'tenant', tenantId: 'no/such' })).toThrow();
  });

  it('no reader that knows tenants, tickets or groups takes them for its own', () => {
    for (const stream of ['publications-CoL', 'grouppublications-city']) {
      expect(parseTicketStream(stream)).toBeUndefined();
      expect(tenantGroupOfStream(stream)).toBeUndefined();
      for (const prefix of ['tenant-', 'service-', 'supplier-', 'resolver-group-', 'sla-policy-', 'incident-', 'major-incidents-', 'tenantgroup-'])
        expect(stream.startsWith(prefix)).toBe(false);
    }
  });
});
