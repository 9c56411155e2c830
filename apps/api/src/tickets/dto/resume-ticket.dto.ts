import { CommandBaseDto } from './command-base.dto';

export class ResumeTicketDto extends CommandBaseDto {}
