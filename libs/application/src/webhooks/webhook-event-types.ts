import { isEscalationKey, type TicketEventType } from '@itsm/domain';

/**
 * The event types a webhook may ask for: every fact of a tenant's tickets, the SLA timer's warnings,
 * breaches, retractions and escalations included. Keyed by the domain's own union, so a new ticket
 * fact does not compile until it is listed here. A name outside it is refused (422 naming `events`),
 * so a typo never makes a webhook that silently receives nothing.
 */
const TICKET_FACTS: Record<TicketEventType, true> = {
  IncidentRaised: true,
  IncidentResponded: true,
  IncidentAssigned: true,
  IncidentPriorityChanged: true,
  IncidentPutOnHold: true,
  IncidentResumed: true,
  OutageRecorded: true,
  OutageStarted: true,
  OutageEnded: true,
  IncidentResolved: true,
  IncidentReopened: true,
  IncidentClosed: true,
  MajorIncidentDeclared: true,
  FeedbackRecorded: true,
  ComplaintRecorded: true,
  SlaWarningRaised: true,
  SlaBreached: true,
  SlaEventRetracted: true,
  EscalationTriggered: true,
};

export const WEBHOOK_EVENT_TYPES: readonly string[] = Object.keys(TICKET_FACTS);

const KNOWN = new Set<string>(WEBHOOK_EVENT_TYPES);
export const isWebhookEventType = (type: string): boolean => KNOWN.has(type);

/** What a retraction withdraws, by the record's key: an escalation's, else the threshold's (100 is the breach). */
const retractedType = (key: unknown): 'EscalationTriggered' | 'SlaBreached' | 'SlaWarningRaised' | undefined =>
  typeof key !== 'string' ? undefined : isEscalationKey(key) ? 'EscalationTriggered' : key.endsWith('/100') ? 'SlaBreached' : 'SlaWarningRaised';

/**
 * Whether a webhook asking for `types` receives this event. A retraction goes to those who asked for
 * what it withdraws (a receiver of breaches is told when one did not happen) as well as to those
 * who asked for SlaEventRetracted itself.
 */
export function webhookWants(types: readonly string[], event: { type: string; data: Record<string, unknown> }): boolean {
  if (types.includes(event.type)) return true;
  if (event.type !== 'SlaEventRetracted') return false;
  const withdrawn = retractedType(event.data.key);
  return withdrawn !== undefined && types.includes(withdrawn);
}
