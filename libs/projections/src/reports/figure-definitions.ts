/**
 * One written definition per figure the reports publish: which tickets (population), which clock
 * or instant decides when a ticket counts (clock), which period it counts in (period), and what
 * counts as met. The queries compute exactly this; the summary prints it under each table and the
 * API documents each report with it, so a committee and an auditor read the same rule.
 */
export interface FigureDefinition {
  title: string;
  population: string;
  clock: string;
  period: string;
  met: string;
}

export const FIGURES = {
  priorityIncidents: {
    title: 'P1 and P2 incidents',
    population: 'Incidents (not service requests) of the tenant whose current priority is P1 or P2.',
    clock: 'Raised at the incident’s raise time (occurredAt), local time of the tenant.',
    period: 'The calendar month the incident was raised in.',
    met: '“Resolved within target”: its resolution clock stopped within the target of its final priority; “open” while it runs.',
  },
  slaPerformance: {
    title: 'Service levels',
    population: 'Each completed SLA clock: response (incidents) and resolution (incidents and service requests), never mixed across kinds.',
    clock: 'Working time of the target’s calendar from raise (or reopen) to the stop, less pausing holds; the target of the final priority.',
    period: 'The month the clock stopped (response: first response; resolution: resolution).',
    met: 'Met when the working time used at the stop is within the target; % met = met ÷ completed clocks.',
  },
  trend: {
    title: '% resolved within SLA, last 12 months',
    population: 'Resolution clocks of one kind (incidents, or service requests), per final priority.',
    clock: 'As “Service levels”.',
    period: 'The month each resolution clock stopped.',
    met: '% met = met ÷ completed resolution clocks of that kind and priority.',
  },
  demand: {
    title: 'Demand',
    population: 'Tickets of the tenant, incidents and service requests in separate columns, by current priority.',
    clock: 'Raise time (raised); each resolution (resolved); open at local midnight ending the month (open at end).',
    period: 'Calendar months; a month not yet over is partial and its “open at end” is what is open now.',
    met: '—',
  },
  agedBacklog: {
    title: 'Aged backlog (IM10)',
    population: 'Tickets (incidents and service requests) open — not resolved or closed — for more than 30 days.',
    clock: 'Open at local Monday 00:00 and raised more than 30 days before it.',
    period: 'Each week, labelled by the local date of its Monday; weeks with none show 0.',
    met: 'A volume, reported weekly.',
  },
  suppliers: {
    title: 'Supplier status',
    population: '“Tickets”: raised this month and assigned to the supplier at some time. “Resolved”: resolved this month while the supplier held the ticket.',
    clock:
      'Response: raise to first response. Time with the supplier: working time of the ticket’s resolution calendar while it held the ticket, less holds that pause the supplier’s clock (as GET /sla).',
    period: 'The month of the raise (tickets, P1/P2, response) or of the latest resolution (resolved, first-time fix, reopen rate).',
    met: 'First-time fix: resolved tickets never reopened ÷ resolved. Uptime: mean availability of the supplier’s services. RAG: green when the contract target is met, amber within 5% of it, red beyond.',
  },
  availability: {
    title: 'Availability',
    population: 'Services serving the tenant; the outages operators recorded against this tenant (default: the recording ticket’s tenant).',
    clock: 'Elapsed time of each outage (not working time; holds and SLA pauses do not shorten an outage).',
    period: 'The calendar month; an outage crossing a month boundary counts its part in each month.',
    met: 'Availability = 100% × (1 − minutes covered by at least one outage ÷ minutes in the month); met when at or above the service’s target.',
  },
  satisfaction: {
    title: 'Customer satisfaction',
    population: 'Feedback recorded on the tenant’s resolved tickets; complaints recorded on its tickets.',
    clock: 'When the feedback or complaint was recorded (occurredAt).',
    period: 'The calendar month of the feedback; response rate is feedback ÷ resolutions in the month.',
    met: 'Good or very good: satisfaction 4 or 5 of 5. NPS: % promoters (9–10) − % detractors (0–6).',
  },
  majorIncidents: {
    title: 'Major incidents',
    population: 'Major incidents declared on any ticket that named this tenant among those affected (its own tickets included).',
    clock: 'Declared at the declaration’s occurredAt.',
    period: 'The month the ticket was raised or the major incident declared.',
    met: '—',
  },
} satisfies Record<string, FigureDefinition>;

export type FigureName = keyof typeof FIGURES;

/** The definition as one paragraph, for Markdown pages and OpenAPI descriptions. */
export function definitionText(name: FigureName): string {
  const d = FIGURES[name];
  return `Population: ${d.population} Clock: ${d.clock} Period: ${d.period}${d.met === '—' ? '' : ` Met: ${d.met}`}`;
}
