import {
  decideTicket,
  evolveTicket,
  initialTicketState,
  type RaisedTicket,
  type TicketCommand,
  type TicketContext,
  type TicketEvent,
  type TicketState,
} from '../src';
import { deciderSpecification } from './decider-specification';
import { ctx } from './fixtures';

/** Ongoing outages: recorded with `from` only, ended later by their outageId. */
const spec = deciderSpecification<TicketCommand, TicketEvent, TicketState, TicketContext>({
  decide: decideTicket,
  evolve: evolveTicket,
  initialState: initialTicketState,
});
const given = (events: TicketEvent[], c: TicketContext = ctx()) => spec(c).given(events);

const T0 = '2023-07-10T09:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

const raised: TicketEvent = {
  type: 'IncidentRaised',
  data: {
    ticketId: 'INC7',
    tenantId: 'CoL',
    kind: 'incident',
    priority: 'P1',
    serviceId: 'printing',
    title: 't',
    description: 'd',
    reporter: 'r',
    channel: 'phone',
    occurredAt: T0,
  },
};
const started = (outageId: string, from: number, tenantIds = ['CoL'], occurredAt = 10): TicketEvent => ({
  type: 'OutageStarted',
  data: { outageId, serviceId: 'printing', from: at(from), tenantIds, occurredAt: at(occurredAt) },
});
const ended = (outageId: string, from: number, to: number, occurredAt: number, tenantIds = ['CoL']): TicketEvent => ({
  type: 'OutageEnded',
  data: { outageId, serviceId: 'printing', from: at(from), to: at(to), minutes: to - from, tenantIds, occurredAt: at(occurredAt) },
});
const whole: TicketEvent = {
  type: 'OutageRecorded',
  data: { serviceId: 'printing', from: at(-60), to: at(-30), minutes: 30, tenantIds: ['CoL'], occurredAt: at(5) },
};
const fold = (events: TicketEvent[]) => events.reduce(evolveTicket, initialTicketState()) as RaisedTicket;

describe('an outage still going on', () => {
  it("without `to`: OutageStarted, numbered among the ticket's outages", () => {
    given([raised])
      .when({ type: 'RecordOutage', from: at(1), occurredAt: at(10) })
      .then([started('1', 1)]);
    given([raised, whole])
      .when({ type: 'RecordOutage', from: at(1), tenantIds: ['CoL', 'CoLP'], occurredAt: at(10) })
      .then([started('2', 1, ['CoL', 'CoLP'])]);
  });

  it('is listed as ongoing, not counted in the minutes until it ends', () => {
    const t = fold([raised, started('1', 1)]);
    expect(t.ongoingOutages).toEqual([{ outageId: '1', serviceId: 'printing', from: at(1), tenantIds: ['CoL'] }]);
    expect([t.outages, t.outageMinutes]).toEqual([[], 0]);
  });

  it('may not begin in the future', () =>
    given([raised])
      .when({ type: 'RecordOutage', from: '2023-07-10T12:10:00Z', occurredAt: at(10) })
      .thenThrows('TICKET.OCCURRED_IN_FUTURE', 'from'));

  it("overlaps every later outage of its service for the same tenant, until it ends; not another tenant's", () => {
    given([raised, started('1', 1)])
      .when({ type: 'RecordOutage', from: at(100), to: at(120), occurredAt: at(130) })
      .thenThrows('TICKET.OUTAGE_OVERLAPS');
    given([raised, started('1', 1)])
      .when({ type: 'RecordOutage', from: at(100), occurredAt: at(130) })
      .thenThrows('TICKET.OUTAGE_OVERLAPS');
    given([raised, started('1', 1)])
      .when({ type: 'RecordOutage', from: at(-20), to: at(0), occurredAt: at(130) })
      .then([{ type: 'OutageRecorded', data: { serviceId: 'printing', from: at(-20), to: at(0), minutes: 20, tenantIds: ['CoL'], occurredAt: at(130) } }]);
    given([raised, started('1', 1)])
      .when({ type: 'RecordOutage', from: at(100), tenantIds: ['CoLP'], occurredAt: at(130) })
      .then([started('2', 100, ['CoLP'], 130)]);
  });
});

describe('ending it', () => {
  const end = (outageId: string, to: number, occurredAt = 60): TicketCommand => ({ type: 'EndOutage', outageId, to: at(to), occurredAt: at(occurredAt) });

  it('OutageEnded carries its service, tenants and minutes', () =>
    given([raised, started('1', 1)])
      .when(end('1', 50))
      .then([ended('1', 1, 50, 60)]));

  it('then it counts as a whole outage, keeping its id; later outages may follow it', () => {
    const t = fold([raised, whole, started('2', 1), ended('2', 1, 50, 60)]);
    expect(t.ongoingOutages).toBeUndefined();
    expect(t.outages.at(-1)).toEqual({ outageId: '2', serviceId: 'printing', from: at(1), to: at(50), tenantIds: ['CoL'] });
    expect(t.outageMinutes).toBe(30 + 49);
    given([raised, whole, started('2', 1), ended('2', 1, 50, 60)])
      .when({ type: 'RecordOutage', from: at(50), occurredAt: at(70) })
      .then([started('3', 50, ['CoL'], 70)]);
  });

  it('an unknown outage: 404 TICKET.OUTAGE_NOT_FOUND on outageId; one already ended: 409', () => {
    given([raised, started('1', 1)])
      .when(end('9', 50))
      .thenThrows('TICKET.OUTAGE_NOT_FOUND', 'outageId');
    given([raised, started('1', 1), ended('1', 1, 50, 60)])
      .when(end('1', 55, 61))
      .thenThrows('TICKET.OUTAGE_ALREADY_ENDED', 'outageId');
  });

  it('at or before its start, or in the future: 422 on to', () => {
    given([raised, started('1', 1)])
      .when(end('1', 1))
      .thenThrows('TICKET.INVALID_OUTAGE', 'to');
    given([raised, started('1', 1)])
      .when({ type: 'EndOutage', outageId: '1', to: '2023-07-10T12:10:00Z', occurredAt: at(60) })
      .thenThrows('TICKET.OCCURRED_IN_FUTURE', 'to');
  });

  it("on a closed ticket too: the outage is about the service, not the ticket's work", () => {
    const closed: TicketEvent[] = [
      raised,
      started('1', 1),
      {
        type: 'IncidentResolved',
        data: { resolutionCode: 'fixed', rootCause: 'x', resolvedByGroupId: 'service-desk', firstLineFix: false, occurredAt: at(30) },
      },
      { type: 'IncidentClosed', data: { automatic: false, occurredAt: at(40) } },
    ];
    given(closed)
      .when(end('1', 50))
      .then([ended('1', 1, 50, 60)]);
  });
});
