import { Injectable } from '@nestjs/common';
import type { TenantGroup } from '@itsm/domain';
import { CatalogueDirectory } from './catalogue-directory';

/**
 * Every tenant group, for GET /v1/tenant-groups and the group guard: the catalogue directory's
 * (folded from the log, read up to the head on each call; see CatalogueDirectory).
 */
@Injectable()
export class TenantGroupDirectory {
  constructor(private readonly catalogue: CatalogueDirectory) {}

  /** Every registered group, by id. */
  all(): Promise<TenantGroup[]> {
    return this.catalogue.all<TenantGroup>('TenantGroup');
  }
}
