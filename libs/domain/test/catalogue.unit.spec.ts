import {
  catalogueDecider,
  DEFAULT_PRIORITY_MATRIX,
  priorityFromMatrix,
  validateResolverGroup,
  validateService,
  validateSupplier,
  validateTenant,
  DomainError,
} from '../src';
import { CoL, desk, konica, printing } from './fixtures';

const codeOf = (f: () => void) => {
  try {
    f();
  } catch (e) {
    return (e as DomainError).code;
  }
  return undefined;
};

it('the catalogue decider applies these rules: a value that breaks one is refused, whatever the state', () => {
  const context = { knownTenantIds: new Set(['CoL', 'CoLP']), knownSupplierIds: new Set(['konica']) };
  const at = '2023-07-01T00:00:00.000Z';
  expect(
    codeOf(() =>
      catalogueDecider.decide(
        { type: 'RegisterCatalogueEntry', kind: 'Tenant', value: { ...CoL, autoCloseDays: 0 }, occurredAt: at },
        catalogueDecider.initialState(),
        context,
      ),
    ),
  ).toBe('TENANT.INVALID_AUTO_CLOSE');
  expect(
    codeOf(() =>
      catalogueDecider.decide(
        { type: 'EnsureCatalogueEntry', kind: 'Service', value: { ...printing, tenantIds: ['LBB'] }, occurredAt: at },
        { value: printing },
        context,
      ),
    ),
  ).toBe('CATALOGUE.UNKNOWN_TENANT');
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
