import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { catalogueCode, notFound } from '@itsm/domain';
import { CatalogueRepository } from '@itsm/application';
import { GetCatalogueEntryQuery } from '../queries/get-catalogue-entry.query';

@QueryHandler(GetCatalogueEntryQuery)
export class GetCatalogueEntryHandler implements IQueryHandler<GetCatalogueEntryQuery, { value: object; revision: string }> {
  constructor(private readonly catalogue: CatalogueRepository) {}

  async execute({ kind, id }: GetCatalogueEntryQuery) {
    const entry = await this.catalogue.get<object>(kind, id);
    if (!entry) throw notFound(`${catalogueCode(kind)}.NOT_FOUND`, `${kind} ${id} is not registered`);
    return { value: entry.value, revision: entry.revision.toString() };
  }
}
