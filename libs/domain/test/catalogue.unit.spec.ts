import {
  DEFAULT_PRIORITY_MATRIX,
  decideCatalogue,
  evolveCatalogue,
  initialCatalogueState,
  priorityFromMatrix,
  validateResolverGroup,
  validateService,
  validateSupplier,
  validateTenant,
  DomainError,
  type CatalogueCommand,
  type CatalogueEvent,
  type CatalogueState,
  type Tenant,
} from '../src';
import { deciderSpecification } from './decider-specification';
import { CoL, desk, konica, printing } from './fixtures';

const AT = '2023-07-01T00:00:00.000Z';
const spec = deciderSpecification<CatalogueCommand<Tenant>, CatalogueEvent<Tenant>, CatalogueState<Tenant>, null>({
  decide: (c, s) => decideCatalogue('Tenant', c, s, AT),
  evolve: evolveCatalogue,
  initialState: initialCatalogueState,
});

const codeOf = (f: () => void) => {
  try {
    f();
  } catch (e) {
    return (e as DomainError).code;
  }
  return undefined;
};

describe('catalogue entries', () => {
  it('registers once', () => spec(null).given([]).when({ type: 'register', value: CoL }).then([{ type: 'TenantRegistered', data: { ...CoL, occurredAt: AT } }]));
  it('refuses a second registration', () =>
    spec(null).given([{ type: 'TenantRegistered', data: { ...CoL, occurredAt: AT } }]).when({ type: 'register', value: CoL }).thenThrows('TENANT.ALREADY_REGISTERED'));
  it('revises a registered entry, and the state is the latest value', () => {
    const revised = { ...CoL, autoCloseDays: 3 };
    spec(null).given([{ type: 'TenantRegistered', data: { ...CoL, occurredAt: AT } }]).when({ type: 'revise', value: revised }).then([{ type: 'TenantRevised', data: { ...revised, occurredAt: AT } }]);
    const state = [{ type: 'TenantRegistered', data: { ...CoL, occurredAt: AT } }, { type: 'TenantRevised', data: { ...revised, occurredAt: AT } }].reduce(evolveCatalogue, initialCatalogueState<Tenant>());
    expect(state.value).toEqual(revised);
  });
  it('refuses to revise what was never registered', () => spec(null).given([]).when({ type: 'revise', value: CoL }).thenThrows('TENANT.NOT_FOUND'));
  it('names resolver-group codes in upper snake case', () =>
    expect(codeOf(() => decideCatalogue('ResolverGroup', { type: 'revise', value: desk }, initialCatalogueState(), AT))).toBe('RESOLVER_GROUP.NOT_FOUND'));
});

describe('catalogue validation', () => {
  const tenants = new Set(['CoL', 'CoLP']);
  it('accepts the fixtures', () => {
    expect(() => validateTenant(CoL)).not.toThrow();
    expect(() => validateService(printing, tenants, true)).not.toThrow();
    expect(() => validateSupplier(konica)).not.toThrow();
    expect(() => validateResolverGroup(desk, tenants)).not.toThrow();
  });
  it.each<[string, () => void, string]>([
    ['a bad time zone', () => validateTenant({ ...CoL, timeZone: 'Mars/Olympus' }), 'TENANT.INVALID_TIME_ZONE'],
    ['a bad matrix', () => validateTenant({ ...CoL, priorityMatrix: [['P1']] as never }), 'TENANT.INVALID_PRIORITY_MATRIX'],
    ['auto close of 0 days', () => validateTenant({ ...CoL, autoCloseDays: 0 }), 'TENANT.INVALID_AUTO_CLOSE'],
    ['a bad id', () => validateTenant({ ...CoL, tenantId: 'no spaces' }), 'CATALOGUE.INVALID_ID'],
    ['an unknown ownership', () => validateService({ ...printing, ownership: 'mine' as never }, tenants, true), 'SERVICE.INVALID_OWNERSHIP'],
    ['a target over 100%', () => validateService({ ...printing, availabilityTargetPct: 101 }, tenants, true), 'CATALOGUE.INVALID_PERCENTAGE'],
    ['an unknown tenant', () => validateService({ ...printing, tenantIds: ['LBB'] }, tenants, true), 'CATALOGUE.UNKNOWN_TENANT'],
    ['no tenants', () => validateResolverGroup({ ...desk, tenantIds: [] }, tenants), 'CATALOGUE.NO_TENANTS'],
    ['an unknown supplier', () => validateService(printing, tenants, false), 'SERVICE.UNKNOWN_SUPPLIER'],
    ['a zero response target', () => validateSupplier({ ...konica, targets: { ...konica.targets, meanResponseMinutes: 0 } }), 'SUPPLIER.INVALID_TARGET'],
  ])('refuses %s', (_name, f, code) => expect(codeOf(f)).toBe(code));
});

describe('priority matrix', () => {
  it('maps all nine cells of the ITIL default', () => {
    const cells = [1, 2, 3].flatMap((i) => [1, 2, 3].map((u) => priorityFromMatrix(DEFAULT_PRIORITY_MATRIX, i, u)));
    expect(cells).toEqual(['P1', 'P2', 'P3', 'P2', 'P3', 'P4', 'P3', 'P4', 'P4']);
  });
});
