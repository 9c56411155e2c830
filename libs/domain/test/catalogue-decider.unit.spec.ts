import {
  CATALOGUE_EVENT_TYPES,
  catalogueDecider,
  catalogueEventOf,
  catalogueReferences,
  evolveCatalogue,
  initialCatalogueState,
  isCatalogueEvent,
  type CatalogueCommand,
  type CatalogueContext,
  type CatalogueEvent,
  type CatalogueKind,
  type CatalogueValues,
} from '../src';
import { deciderSpecification } from './decider-specification';
import { CoL, desk, konica, printing } from './fixtures';

const AT = '2023-07-01T00:00:00.000Z';
const LATER = '2023-07-02T00:00:00.000Z';
const everythingKnown: CatalogueContext = { knownTenantIds: new Set(['CoL', 'CoLP']), knownSupplierIds: new Set(['konica']) };
const spec = deciderSpecification(catalogueDecider);
const given = (events: CatalogueEvent[], context = everythingKnown) => spec(context).given(events);

const command = <K extends CatalogueKind>(type: CatalogueCommand['type'], kind: K, value: CatalogueValues[K], occurredAt = AT) =>
  ({ type, kind, value, occurredAt }) as CatalogueCommand;
const city = { groupId: 'city', name: 'City', tenantIds: ['CoL', 'CoLP'] };

describe.each<[CatalogueKind, CatalogueValues[CatalogueKind], CatalogueValues[CatalogueKind], string]>([
  ['Tenant', CoL, { ...CoL, autoCloseDays: 3 }, 'TENANT'],
  ['Service', printing, { ...printing, critical: false }, 'SERVICE'],
  ['Supplier', konica, { ...konica, name: 'Konica Minolta UK' }, 'SUPPLIER'],
  ['ResolverGroup', desk, { ...desk, tenantIds: ['CoL'] }, 'RESOLVER_GROUP'],
  ['TenantGroup', city, { ...city, name: 'The City' }, 'TENANT_GROUP'],
])('a %s', (kind, value, revision, code) => {
  const registered = { type: `${kind}Registered`, data: { ...value, occurredAt: AT } } as CatalogueEvent;
  it('is registered once', () =>
    given([])
      .when(command('RegisterCatalogueEntry', kind, value))
      .then([registered]));
  it('a second registration is a conflict', () =>
    given([registered])
      .when(command('RegisterCatalogueEntry', kind, value))
      .thenThrows(`${code}.ALREADY_REGISTERED`));
  it('is revised whole, at the revision’s time', () =>
    given([registered])
      .when(command('ReviseCatalogueEntry', kind, revision, LATER))
      .then([{ type: `${kind}Revised`, data: { ...revision, occurredAt: LATER } } as CatalogueEvent]));
  it('is not found when never registered', () =>
    given([])
      .when(command('ReviseCatalogueEntry', kind, revision))
      .thenThrows(`${code}.NOT_FOUND`));
  it('is ensured: registered when missing, nothing when there', () => {
    given([])
      .when(command('EnsureCatalogueEntry', kind, value))
      .then([registered]);
    given([registered])
      .when(command('EnsureCatalogueEntry', kind, revision))
      .then([]);
  });
  it('folds to its latest value, without the time', () => {
    const state = [registered, { type: `${kind}Revised`, data: { ...revision, occurredAt: LATER } } as CatalogueEvent].reduce(
      catalogueDecider.evolve,
      catalogueDecider.initialState(),
    );
    expect(state.value).toEqual(revision);
  });
});

describe('the catalogue rules are the decider’s', () => {
  it('a value that breaks a rule is refused (422, naming the field) before the state is looked at', () => {
    const registered: CatalogueEvent = { type: 'TenantRegistered', data: { ...CoL, occurredAt: AT } };
    given([registered])
      .when(command('RegisterCatalogueEntry', 'Tenant', { ...CoL, timeZone: 'Mars/Olympus' }))
      .thenThrows('TENANT.INVALID_TIME_ZONE', 'timeZone');
    given([registered])
      .when(command('EnsureCatalogueEntry', 'Tenant', { ...CoL, tenantId: 'no spaces' }))
      .thenThrows('CATALOGUE.INVALID_ID', 'tenantId');
  });
  it('the tenants and supplier a value names must be registered (the context the handler looked up)', () => {
    const noSupplier = { ...everythingKnown, knownSupplierIds: new Set<string>() };
    given([], noSupplier)
      .when(command('RegisterCatalogueEntry', 'Service', printing))
      .thenThrows('SERVICE.UNKNOWN_SUPPLIER', 'supplierId');
    given([], noSupplier)
      .when(command('RegisterCatalogueEntry', 'Service', { ...printing, supplierId: undefined }))
      .then([{ type: 'ServiceRegistered', data: { ...printing, supplierId: undefined, occurredAt: AT } }]);
    given([])
      .when(command('RegisterCatalogueEntry', 'ResolverGroup', { ...desk, tenantIds: ['CoL', 'LBB'] }))
      .thenThrows('CATALOGUE.UNKNOWN_TENANT', 'tenantIds');
    given([])
      .when(command('RegisterCatalogueEntry', 'TenantGroup', { ...city, tenantIds: ['CoL', 'LBB'] }))
      .thenThrows('CATALOGUE.UNKNOWN_TENANT', 'tenantIds');
    given([])
      .when(command('RegisterCatalogueEntry', 'TenantGroup', { ...city, tenantIds: ['CoL'] }))
      .thenThrows('TENANT_GROUP.TOO_FEW_MEMBERS', 'tenantIds');
  });
  it('names what the handler must look up', () => {
    expect(catalogueReferences({ kind: 'Service', value: printing })).toEqual({ tenantIds: printing.tenantIds, supplierIds: ['konica'] });
    expect(catalogueReferences({ kind: 'ResolverGroup', value: desk })).toEqual({ tenantIds: ['CoL', 'CoLP'], supplierIds: [] });
    expect(catalogueReferences({ kind: 'TenantGroup', value: city })).toEqual({ tenantIds: ['CoL', 'CoLP'], supplierIds: [] });
    expect(catalogueReferences({ kind: 'Tenant', value: CoL })).toEqual({ tenantIds: [], supplierIds: [] });
    expect(catalogueReferences({ kind: 'TenantGroup', value: { ...city, tenantIds: 'CoL' as never } })).toEqual({ tenantIds: [], supplierIds: [] });
  });
});

describe('catalogue events are a closed union, read by type, never by spelling', () => {
  it('ten types: registered and revised, for each of five kinds', () => {
    expect(CATALOGUE_EVENT_TYPES).toHaveLength(10);
    expect(catalogueEventOf('ResolverGroupRevised')).toEqual({ kind: 'ResolverGroup', change: 'revised' });
    expect(catalogueEventOf('TenantGroupRegistered')).toEqual({ kind: 'TenantGroup', change: 'registered' });
  });
  it.each(['WebhookRegistered', 'Registered', 'XTenantRevised', 'IncidentRaised', 'constructor', '__proto__', 'toString'])(
    '%s is no catalogue event, and folds to nothing',
    (type) => {
      expect(isCatalogueEvent({ type })).toBe(false);
      expect(catalogueEventOf(type)).toBeUndefined();
      const state = { value: CoL };
      expect(evolveCatalogue(state, { type, data: { tenantId: 'other' } })).toBe(state);
    },
  );
  it('an entry never registered folds to no value', () =>
    expect(evolveCatalogue(initialCatalogueState(), { type: 'SlaPolicyVersionDefined', data: {} }).value).toBeUndefined());
});
