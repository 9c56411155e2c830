import type { CatalogueKind } from '@itsm/domain';

export class GetCatalogueEntryQuery {
  constructor(
    readonly kind: CatalogueKind,
    readonly id: string,
  ) {}
}
