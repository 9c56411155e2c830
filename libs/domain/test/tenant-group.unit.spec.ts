import {
  catalogueDecider,
  catalogueStream,
  DomainError,
  evolveCatalogue,
  initialCatalogueState,
  parseTicketStream,
  tenantGroupOfStream,
  TENANT_GROUP_MAX_MEMBERS,
  validateTenantGroup,
  type CatalogueEvent,
  type TenantGroup,
} from '../src';
import { deciderSpecification } from './decider-specification';

const AT = '2023-07-01T00:00:00.000Z';
const boroughs: TenantGroup = { groupId: 'boroughs', name: 'Shared ICT Service', tenantIds: ['LBB', 'LBL', 'LBS'] };
const known = new Set(['CoL', 'CoLP', 'LBB', 'LBL', 'LBS']);
const spec = deciderSpecification(catalogueDecider);
const context = { knownTenantIds: known, knownSupplierIds: new Set<string>() };
const register = (value: TenantGroup) => ({ type: 'RegisterCatalogueEntry', kind: 'TenantGroup', value, occurredAt: AT }) as const;
const revise = (value: TenantGroup) => ({ type: 'ReviseCatalogueEntry', kind: 'TenantGroup', value, occurredAt: AT }) as const;
const registered: CatalogueEvent = { type: 'TenantGroupRegistered', data: { ...boroughs, occurredAt: AT } };

const refusal = (f: () => void) => {
  try {
    f();
  } catch (e) {
    return e instanceof DomainError ? { code: e.code, kind: e.kind, field: e.field } : e;
  }
  return undefined;
};

describe('a tenant group is a catalogue entry', () => {
  it('registers once, in its own stream', () => {
    spec(context)
      .given([])
      .when(register(boroughs))
      .then([{ type: 'TenantGroupRegistered', data: { ...boroughs, occurredAt: AT } }]);
    expect(catalogueStream.TenantGroup('boroughs')).toBe('tenantgroup-boroughs');
  });
  it('a second registration of the id is a conflict (409)', () =>
    spec(context).given([registered]).when(register(boroughs)).thenThrows('TENANT_GROUP.ALREADY_REGISTERED'));
  it('a revision replaces the members; the state is the latest value', () => {
    const revised = { ...boroughs, tenantIds: ['LBB', 'LBL'] };
    spec(context)
      .given([registered])
      .when(revise(revised))
      .then([{ type: 'TenantGroupRevised', data: { ...revised, occurredAt: AT } }]);
    const state = [registered, { type: 'TenantGroupRevised', data: { ...revised, occurredAt: AT } }].reduce(
      evolveCatalogue,
      initialCatalogueState<TenantGroup>(),
    );
    expect(state.value).toEqual(revised);
  });
  it('revising an unknown group is not found', () => spec(context).given([]).when(revise(boroughs)).thenThrows('TENANT_GROUP.NOT_FOUND'));
});

describe('its stream is told apart from every other', () => {
  it.each(['tenantgroup-boroughs', 'tenantgroup-a-b'])('%s is a group stream', (stream) =>
    expect(tenantGroupOfStream(stream)).toBe(stream.slice('tenantgroup-'.length)),
  );
  it.each(['tenant-boroughs', 'tenant-group-x', 'resolver-group-x', 'service-x', 'incident-CoL.INC-1', 'sla-policy-CoL'])('%s is not', (stream) =>
    expect(tenantGroupOfStream(stream)).toBeUndefined(),
  );
  it('no reader that takes `tenant-…` streams for tenants, nor the ticket parser, takes a group stream', () => {
    const stream = catalogueStream.TenantGroup('x');
    expect(stream.startsWith('tenant-')).toBe(false);
    expect(parseTicketStream(stream)).toBeUndefined();
    for (const kind of ['sla-policy', 'resolver-group', 'tenant', 'service', 'supplier']) expect(stream.startsWith(`${kind}-`)).toBe(false);
  });
});

describe('tenant group rules', () => {
  it('accepts two or more registered tenants, each once', () => {
    expect(refusal(() => validateTenantGroup(boroughs, known))).toBeUndefined();
    expect(refusal(() => validateTenantGroup({ ...boroughs, tenantIds: ['CoL', 'CoLP'] }, known))).toBeUndefined();
  });
  it.each<[string, TenantGroup, string, string]>([
    ['one member', { ...boroughs, tenantIds: ['LBB'] }, 'TENANT_GROUP.TOO_FEW_MEMBERS', 'tenantIds'],
    ['no member', { ...boroughs, tenantIds: [] }, 'TENANT_GROUP.TOO_FEW_MEMBERS', 'tenantIds'],
    ['a member twice', { ...boroughs, tenantIds: ['LBB', 'LBL', 'LBB'] }, 'TENANT_GROUP.DUPLICATE_MEMBER', 'tenantIds'],
    ['the same tenant twice only', { ...boroughs, tenantIds: ['LBB', 'LBB'] }, 'TENANT_GROUP.DUPLICATE_MEMBER', 'tenantIds'],
    ['an unknown tenant', { ...boroughs, tenantIds: ['LBB', 'LBX'] }, 'CATALOGUE.UNKNOWN_TENANT', 'tenantIds'],
    [
      'too many members',
      { ...boroughs, tenantIds: Array.from({ length: TENANT_GROUP_MAX_MEMBERS + 1 }, (_, i) => `T${i}`) },
      'TENANT_GROUP.TOO_MANY_MEMBERS',
      'tenantIds',
    ],
    ['members not a list', { ...boroughs, tenantIds: 'LBB,LBL' as never }, 'TENANT_GROUP.INVALID_MEMBERS', 'tenantIds'],
    ['a blank name', { ...boroughs, name: ' ' }, 'TENANT_GROUP.INVALID_NAME', 'name'],
    ['a bad id', { ...boroughs, groupId: 'a b' }, 'CATALOGUE.INVALID_ID', 'groupId'],
  ])('%s is refused (422) naming the field', (_why, group, code, field) => {
    expect(refusal(() => validateTenantGroup(group, known))).toEqual({ code, kind: 'invalid', field });
  });
  it('names the unknown tenants', () => {
    expect(() => validateTenantGroup({ ...boroughs, tenantIds: ['LBB', 'LBX', 'LBY'] }, known)).toThrow('LBX, LBY');
  });
});
