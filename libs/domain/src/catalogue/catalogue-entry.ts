import { conflict, notFound } from '../shared/domain-error';
import type { Decider } from '../shared/decider';
import type { DomainEvent } from '../shared/event';
import type { CatalogueKind, CatalogueValues, ResolverGroup, Service, Supplier, Tenant, TenantGroup } from './catalogue.types';
import { validateTenantGroup } from './tenant-group';
import { validateResolverGroup, validateService, validateSupplier, validateTenant } from './validate-catalogue';

/**
 * The catalogue's rules: tenants, services, suppliers, resolver groups and tenant groups are each
 * registered once and revised any number of times, each revision a whole new value that must keep
 * the catalogue's rules (catalogue-wide ones in validate-catalogue.ts, tenant groups' in
 * tenant-group.ts). One decider serves every kind; every command path (admin API, demo loader,
 * importers) goes through it.
 */

type At = { occurredAt: string };

// ── Events ────────────────────────────────────────────────────────────────────────────────────

/** `<Kind>Registered`: the entry's first value. */
export type CatalogueEntryRegistered<K extends CatalogueKind = CatalogueKind> = { [k in K]: DomainEvent<`${k}Registered`, CatalogueValues[k] & At> }[K];
/** `<Kind>Revised`: the entry's whole new value. */
export type CatalogueEntryRevised<K extends CatalogueKind = CatalogueKind> = { [k in K]: DomainEvent<`${k}Revised`, CatalogueValues[k] & At> }[K];

export type TenantRegistered = CatalogueEntryRegistered<'Tenant'>;
export type TenantRevised = CatalogueEntryRevised<'Tenant'>;
export type ServiceRegistered = CatalogueEntryRegistered<'Service'>;
export type ServiceRevised = CatalogueEntryRevised<'Service'>;
export type SupplierRegistered = CatalogueEntryRegistered<'Supplier'>;
export type SupplierRevised = CatalogueEntryRevised<'Supplier'>;
export type ResolverGroupRegistered = CatalogueEntryRegistered<'ResolverGroup'>;
export type ResolverGroupRevised = CatalogueEntryRevised<'ResolverGroup'>;
export type TenantGroupRegistered = CatalogueEntryRegistered<'TenantGroup'>;
export type TenantGroupRevised = CatalogueEntryRevised<'TenantGroup'>;

/** The facts of a catalogue entry's life, of one kind (or, by default, of any). */
export type CatalogueEvent<K extends CatalogueKind = CatalogueKind> = CatalogueEntryRegistered<K> | CatalogueEntryRevised<K>;
export type CatalogueEventType = CatalogueEvent['type'];

/** Each event type and what it records: a recorded type is looked up here, never read by its spelling. */
const EVENT_TYPES = {
  TenantRegistered: { kind: 'Tenant', change: 'registered' },
  TenantRevised: { kind: 'Tenant', change: 'revised' },
  ServiceRegistered: { kind: 'Service', change: 'registered' },
  ServiceRevised: { kind: 'Service', change: 'revised' },
  SupplierRegistered: { kind: 'Supplier', change: 'registered' },
  SupplierRevised: { kind: 'Supplier', change: 'revised' },
  ResolverGroupRegistered: { kind: 'ResolverGroup', change: 'registered' },
  ResolverGroupRevised: { kind: 'ResolverGroup', change: 'revised' },
  TenantGroupRegistered: { kind: 'TenantGroup', change: 'registered' },
  TenantGroupRevised: { kind: 'TenantGroup', change: 'revised' },
} as const satisfies Record<CatalogueEventType, { kind: CatalogueKind; change: 'registered' | 'revised' }>;

export const CATALOGUE_EVENT_TYPES = Object.keys(EVENT_TYPES) as CatalogueEventType[];
const BY_TYPE = new Map<string, { kind: CatalogueKind; change: 'registered' | 'revised' }>(Object.entries(EVENT_TYPES));

/** The kind of entry an event type is about and the change it records; undefined for any other type. */
export const catalogueEventOf = (type: string): { kind: CatalogueKind; change: 'registered' | 'revised' } | undefined => BY_TYPE.get(type);

export const isCatalogueEvent = (event: { type: string }): event is CatalogueEvent => BY_TYPE.has(event.type);

const registered = <K extends CatalogueKind>(kind: K, data: CatalogueValues[K] & At) => ({ type: `${kind}Registered`, data }) as CatalogueEntryRegistered<K>;
const revised = <K extends CatalogueKind>(kind: K, data: CatalogueValues[K] & At) => ({ type: `${kind}Revised`, data }) as CatalogueEntryRevised<K>;

// ── Commands ──────────────────────────────────────────────────────────────────────────────────

type EntryCommand<Type extends string, K extends CatalogueKind> = { [k in K]: { type: Type; kind: k; value: CatalogueValues[k]; occurredAt: string } }[K];

/** Registers a new entry; refused if it is registered already. */
export type RegisterCatalogueEntry<K extends CatalogueKind = CatalogueKind> = EntryCommand<'RegisterCatalogueEntry', K>;
/** Replaces a registered entry's value; refused if it was never registered. */
export type ReviseCatalogueEntry<K extends CatalogueKind = CatalogueKind> = EntryCommand<'ReviseCatalogueEntry', K>;
/** Registers the entry unless it is registered (then records nothing): loaders and importers, run again. */
export type EnsureCatalogueEntry<K extends CatalogueKind = CatalogueKind> = EntryCommand<'EnsureCatalogueEntry', K>;

export type CatalogueCommand<K extends CatalogueKind = CatalogueKind> = RegisterCatalogueEntry<K> | ReviseCatalogueEntry<K> | EnsureCatalogueEntry<K>;

// ── State and context ─────────────────────────────────────────────────────────────────────────

export interface CatalogueState<T> {
  value: T | undefined;
}

export const initialCatalogueState = <T>(): CatalogueState<T> => ({ value: undefined });

/** What the handler looked up: of the tenants and suppliers the value names (catalogueReferences), those registered. */
export interface CatalogueContext {
  knownTenantIds: ReadonlySet<string>;
  knownSupplierIds: ReadonlySet<string>;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The tenants and suppliers a command's value names: the handler looks them up for CatalogueContext. */
export function catalogueReferences(command: Pick<CatalogueCommand, 'kind' | 'value'>): { tenantIds: string[]; supplierIds: string[] } {
  const value = command.value as Partial<Service>;
  switch (command.kind) {
    case 'Service':
      return { tenantIds: strings(value.tenantIds), supplierIds: typeof value.supplierId === 'string' ? [value.supplierId] : [] };
    case 'ResolverGroup':
    case 'TenantGroup':
      return { tenantIds: strings(value.tenantIds), supplierIds: [] };
    default:
      return { tenantIds: [], supplierIds: [] };
  }
}

/** The prefix of a kind's error codes: ResolverGroup → RESOLVER_GROUP (RESOLVER_GROUP.NOT_FOUND). */
export const catalogueCode = (kind: CatalogueKind) => kind.replace(/[a-z](?=[A-Z])/g, '$&_').toUpperCase();

/** The value's own rules, and that the tenants and supplier it names are registered. */
function assertValid(command: CatalogueCommand, context: CatalogueContext): void {
  switch (command.kind) {
    case 'Tenant':
      return validateTenant(command.value);
    case 'Supplier':
      return validateSupplier(command.value);
    case 'Service':
      return validateService(
        command.value,
        context.knownTenantIds,
        command.value.supplierId === undefined || context.knownSupplierIds.has(command.value.supplierId),
      );
    case 'ResolverGroup':
      return validateResolverGroup(command.value, context.knownTenantIds);
    case 'TenantGroup':
      return validateTenantGroup(command.value, context.knownTenantIds);
  }
}

// ── The decider ───────────────────────────────────────────────────────────────────────────────

type AnyValue = Tenant | Service | Supplier | ResolverGroup | TenantGroup;

/**
 * A value that breaks a rule is refused whatever the entry's state (422); then a registration of a
 * registered entry is a conflict (409) and a revision of an unregistered one not found (404).
 */
function decide(command: CatalogueCommand, state: CatalogueState<object>, context: CatalogueContext): CatalogueEvent[] {
  assertValid(command, context);
  const { kind, value, occurredAt } = command;
  const code = catalogueCode(kind);
  const data = { ...value, occurredAt };
  switch (command.type) {
    case 'EnsureCatalogueEntry':
      return state.value ? [] : [registered(kind, data)];
    case 'RegisterCatalogueEntry':
      if (state.value) throw conflict(`${code}.ALREADY_REGISTERED`, `${kind} is already registered`);
      return [registered(kind, data)];
    case 'ReviseCatalogueEntry':
      if (!state.value) throw notFound(`${code}.NOT_FOUND`, `${kind} is not registered`);
      return [revised(kind, data)];
  }
}

/** Folds a fact into the entry: its value is the latest registered or revised one. Other types leave it as it was. */
export function evolveCatalogue<T>(state: CatalogueState<T>, event: { type: string; data: object }): CatalogueState<T> {
  if (!BY_TYPE.has(event.type)) return state;
  const value: Partial<At> = { ...event.data };
  delete value.occurredAt; // when it was registered or revised is the event's, not the entry's
  return { value: value as T };
}

export const catalogueDecider: Decider<CatalogueCommand, CatalogueEvent, CatalogueState<AnyValue>, CatalogueContext> = {
  decide,
  evolve: evolveCatalogue,
  initialState: initialCatalogueState,
};

/**
 * @deprecated Use catalogueDecider.decide. Kept for earlier callers: a `register` or `revise` of a
 * value of `kind`, decided at occurredAt, by the same rules (context: what the value names that is registered).
 */
export function decideCatalogue<T extends object>(
  kind: CatalogueKind,
  command: { type: 'register' | 'revise'; value: T },
  state: CatalogueState<T>,
  occurredAt: string,
  context: CatalogueContext = { knownTenantIds: new Set(), knownSupplierIds: new Set() },
): CatalogueEvent[] {
  const type = command.type === 'register' ? 'RegisterCatalogueEntry' : 'ReviseCatalogueEntry';
  return decide({ type, kind, value: command.value, occurredAt } as CatalogueCommand, state, context);
}
