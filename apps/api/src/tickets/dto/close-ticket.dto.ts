import { CommandBaseDto } from './command-base.dto';

/** A manual close; automatic closes are made by the tenant's auto-close rule, not through the API. */
export class CloseTicketDto extends CommandBaseDto {}
