import { FIGURES, type GroupServiceDeliverySummary, type ServiceDeliverySummary } from '../src';

/** A tenant's July 2023 summary, small but with a row in every table (the figures the tests move). */
export function julySummary(tenantId = 'CoL'): ServiceDeliverySummary {
  const incident = (id: string, priority: string, resolvedWithinTarget: boolean | null) => ({
    id,
    priority,
    kind: 'incident',
    serviceId: 'printing',
    service: 'Printing',
    underItManagement: true,
    title: 'Printers down',
    reason: null,
    resolution: null,
    supplierId: 'konica',
    supplier: 'Konica',
    outageMinutes: 30,
    raisedAt: '2023-07-03T08:00:00.000Z',
    resolvedAt: null,
    status: resolvedWithinTarget === null ? 'in_progress' : 'resolved',
    majorIncident: null,
    resolvedWithinTarget,
  });
  const sla = (priority: string, kind: string, reference: string, actual: number | null, met: number, total: number) => ({
    reference,
    priority,
    kind,
    metric: 'resolution',
    measure: `${priority} ${kind} resolved within 4 hours`,
    target: '4 hours',
    actual,
    unit: '%' as const,
    goal: '98%',
    rag: 'red' as const,
    total,
    met,
  });
  const desk = (reference: string, measure: string, actual: number) => ({
    reference,
    measure,
    actual,
    unit: 'tickets' as const,
    goal: 'volume',
    rag: 'grey' as const,
    total: null,
    met: null,
  });
  const trend = (month: string) => ({ month, P1: null, P2: 100, P3: null, P4: null });
  return {
    tenantId,
    tenantName: 'City of London Corporation',
    month: '2023-07',
    zone: 'Europe/London',
    monthName: 'July 2023',
    partial: false,
    asOf: '2023-08-02T09:00:00.000Z',
    logPosition: '40',
    generatedAt: '2023-08-02T09:00:00.000Z',
    summary: ['There was 1 P2 incident.'],
    counts: { P1: 0, P2: 2 },
    priorityIncidents: [incident('A', 'P2', true), incident('B', 'P2', null)],
    priorityIncidentsByManagement: { underItManagement: { count: 2, outageMinutes: 60 }, outsideItManagement: { count: 0, outageMinutes: 0 } },
    metrics: [
      sla('P2', 'incident', 'IM2', 100, 1, 1),
      // One code for several priorities (SRM1): the rows are named by what they measure, not the code.
      sla('P3', 'service_request', 'SRM1', null, 0, 0),
      sla('P4', 'service_request', 'SRM1', null, 0, 0),
      desk('SD11', 'Complaints and escalations', 0),
      desk('IM10', 'Tickets open over 30 days (latest week)', 1),
    ],
    yearOnYear: [
      { period: 'month', priority: 'P2', now: 2, yearEarlier: 0 },
      { period: 'three months', priority: 'P2', now: 2, yearEarlier: 1 },
    ],
    trend: { incident: [trend('2023-06'), trend('2023-07')], service_request: [trend('2023-07')] },
    demand: [
      { month: '2023-06', partial: false, incidents: { P1: 0, P2: 0, P3: 1, P4: 0 }, serviceRequests: 0, total: 1 },
      { month: '2023-07', partial: false, incidents: { P1: 0, P2: 2, P3: 0, P4: 0 }, serviceRequests: 3, total: 5 },
    ],
    backlog: [
      { week: '2023-07-24', total: 0, ticketIds: [] },
      { week: '2023-07-31', total: 1, ticketIds: ['OLD'] },
    ],
    suppliers: [
      {
        supplierId: 'konica',
        name: 'Konica',
        tickets: 2,
        ticketIds: ['A', 'B'],
        p1p2: 2,
        p1p2Ids: ['A', 'B'],
        resolved: 1,
        firstTimeFixes: 0,
        firstTimeFixPct: 0,
        meanWorkingMinutesToResolve: 120,
        breaches: 0,
        outageMinutes: 30,
        contract: [{ measure: 'firstTimeFixPct', target: 95, actual: 0, rag: 'red' }],
      },
    ],
    availability: {
      month: '2023-07',
      minutesInMonth: 44640,
      services: [
        {
          serviceId: 'printing',
          name: 'Printing',
          ownership: 'it_owned',
          underItManagement: true,
          supplierId: 'konica',
          outageMinutes: 30,
          availabilityPct: 99.93,
          targetPct: 99,
          targetMet: true,
          outages: [{ tenantId, ticketId: 'A', from: '2023-07-03T08:00:00.000Z', to: '2023-07-03T08:30:00.000Z', minutesInMonth: 30 }],
        },
      ],
      underItManagement: { outageMinutes: 30 },
      outsideItManagement: { outageMinutes: 0 },
    },
    satisfaction: { month: { feedback: 1, positive: 1, goodOrVeryGoodPct: 100, complaints: 0 }, lastThreeMonthsNps: 100 },
    majorIncidents: [],
    definitions: FIGURES,
  };
}

/** CoL and CoLP side by side, with one metric row and the counts. */
export function citySummary(): GroupServiceDeliverySummary {
  const first = julySummary('CoL');
  const members = [first, julySummary('CoLP')];
  const cell = (actual: number, met: number, total: number) => ({ actual, met, total });
  return {
    groupId: 'city',
    name: 'City of London',
    tenantIds: ['CoL', 'CoLP'],
    tenantNames: { CoL: 'City of London Corporation', CoLP: 'City of London Police' },
    month: '2023-07',
    monthName: 'July 2023',
    partial: false,
    asOf: first.asOf,
    logPosition: first.logPosition,
    generatedAt: first.generatedAt,
    counts: { CoL: { P1: 0, P2: 2 }, CoLP: { P1: 0, P2: 2 }, '*': { P1: 0, P2: 4 } },
    yearOnYear: first.yearOnYear,
    priorityIncidents: members.flatMap((s) => s.priorityIncidents.map((t) => ({ ...t, tenantId: s.tenantId }))),
    metrics: [
      {
        label: 'P2 incident resolved within 4 hours',
        reference: 'IM2',
        goal: '98%',
        unit: '%',
        byTenant: { CoL: cell(100, 1, 1), CoLP: cell(100, 1, 1) },
        group: cell(100, 2, 2),
      },
    ],
    demand: [],
    backlog: [],
    suppliers: [],
    availability: [],
    satisfaction: [],
    majorIncidents: [],
    definitions: FIGURES,
    members,
  };
}
