import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  EVENT_SCHEMA_VERSION,
  catalogueStream,
  decideCatalogue,
  evolveCatalogue,
  initialCatalogueState,
  validateResolverGroup,
  validateService,
  validateSupplier,
  validateTenant,
  type CatalogueEvent,
  type CatalogueState,
  type ResolverGroup,
  type Service,
  type Supplier,
  type Tenant,
} from '@itsm/domain';
import { EVENT_STORE, handleCommand, type CommandResult, type EventStore } from '@itsm/event-store';
import { CLOCK, type Clock } from '../../common/clock';
import { commandMetadata } from '../../common/command-request';
import { CatalogueRepository } from '@itsm/application';
import { ExecuteCatalogueCommand } from '../commands/execute-catalogue-command';

@CommandHandler(ExecuteCatalogueCommand)
export class ExecuteCatalogueCommandHandler implements ICommandHandler<ExecuteCatalogueCommand, CommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly catalogue: CatalogueRepository,
  ) {}

  async execute({ kind, id, action, value, request }: ExecuteCatalogueCommand): Promise<CommandResult> {
    await this.validate(kind, value);
    return handleCommand<CatalogueState<object>, CatalogueEvent<object>>(this.store, {
      streamId: catalogueStream[kind](id),
      initialState: initialCatalogueState,
      evolve: evolveCatalogue,
      decide: (state) => decideCatalogue(kind, { type: action, value }, state, this.clock.now().toISOString()),
      metadata: commandMetadata(request, kind === 'Tenant' ? id : '*'),
      expectedRevision: request.ifMatch,
      schemaVersion: EVENT_SCHEMA_VERSION,
      now: () => this.clock.now(),
    });
  }

  /** The catalogue's own rules, including that named tenants and suppliers exist. */
  private async validate(kind: ExecuteCatalogueCommand['kind'], value: object): Promise<void> {
    const knownTenants = async (ids: string[]) =>
      new Set((await Promise.all(ids.map((t) => this.catalogue.value<Tenant>('Tenant', t)))).filter((t): t is Tenant => !!t).map((t) => t.tenantId));
    switch (kind) {
      case 'Tenant':
        return validateTenant(value as Tenant);
      case 'Supplier':
        return validateSupplier(value as Supplier);
      case 'Service': {
        const s = value as Service;
        const supplier = await this.catalogue.value<Supplier>('Supplier', s.supplierId);
        return validateService(s, await knownTenants(s.tenantIds), !!supplier);
      }
      case 'ResolverGroup': {
        const g = value as ResolverGroup;
        return validateResolverGroup(g, await knownTenants(g.tenantIds));
      }
    }
  }
}
