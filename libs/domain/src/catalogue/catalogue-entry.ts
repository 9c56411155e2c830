import { conflict, notFound } from '../shared/domain-error';
import type { DomainEvent } from '../shared/event';
import { TENANT_GROUP_STREAM_PREFIX } from './tenant-group';

/**
 * Tenants, services, suppliers, resolver groups and tenant groups share one life: registered once,
 * revised any number of times, each revision a whole new value. One generic decider serves all.
 */
export type CatalogueKind = 'Tenant' | 'Service' | 'Supplier' | 'ResolverGroup' | 'TenantGroup';

export const catalogueStream: Record<CatalogueKind, (id: string) => string> = {
  Tenant: (id) => `tenant-${id}`,
  Service: (id) => `service-${id}`,
  Supplier: (id) => `supplier-${id}`,
  ResolverGroup: (id) => `resolver-group-${id}`,
  TenantGroup: (id) => `${TENANT_GROUP_STREAM_PREFIX}${id}`,
};

export interface CatalogueState<T> {
  value: T | undefined;
}

export type CatalogueCommand<T> = { type: 'register'; value: T } | { type: 'revise'; value: T };

export type CatalogueEvent<T> = DomainEvent<string, T & { occurredAt: string }>;

/** The prefix of a kind's error codes: ResolverGroup → RESOLVER_GROUP (RESOLVER_GROUP.NOT_FOUND). */
export const catalogueCode = (kind: CatalogueKind) => kind.replace(/[a-z](?=[A-Z])/g, '$&_').toUpperCase();

export const initialCatalogueState = <T>(): CatalogueState<T> => ({ value: undefined });

export function decideCatalogue<T extends object>(
  kind: CatalogueKind,
  command: CatalogueCommand<T>,
  state: CatalogueState<T>,
  occurredAt: string,
): CatalogueEvent<T>[] {
  const code = catalogueCode(kind);
  if (command.type === 'register') {
    if (state.value) throw conflict(`${code}.ALREADY_REGISTERED`, `${kind} is already registered`);
    return [{ type: `${kind}Registered`, data: { ...command.value, occurredAt } }];
  }
  if (!state.value) throw notFound(`${code}.NOT_FOUND`, `${kind} is not registered`);
  return [{ type: `${kind}Revised`, data: { ...command.value, occurredAt } }];
}

export function evolveCatalogue<T>(state: CatalogueState<T>, event: { type: string; data: object }): CatalogueState<T> {
  if (event.type.endsWith('Registered') || event.type.endsWith('Revised')) {
    const { occurredAt: _ignored, ...value } = event.data as T & { occurredAt: string };
    return { value: value as T };
  }
  return state;
}
