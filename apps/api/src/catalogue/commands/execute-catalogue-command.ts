import type { CatalogueKind } from '@itsm/domain';
import type { CommandRequest } from '../../common/command-request';

/** Register or revise one catalogue entry (tenant, service, supplier, resolver group). */
export class ExecuteCatalogueCommand {
  constructor(
    readonly kind: CatalogueKind,
    readonly id: string,
    readonly action: 'register' | 'revise',
    readonly value: object,
    readonly request: CommandRequest,
  ) {}
}
