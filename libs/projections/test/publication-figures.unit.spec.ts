import { figureDrift, figuresDigest, groupSummaryFigures, summaryFigures, type Figure, type LoggedFact } from '../src';
import { citySummary, julySummary } from './publication-fixture';

const value = (figures: Figure[], path: string) => figures.find((f) => f.path === path)?.value;

describe('the figures of a summary, by stable path', () => {
  it('names every row by what it is about, never by its place in a list', () => {
    const figures = summaryFigures(julySummary());
    expect(value(figures, 'counts.P2')).toBe(2);
    expect(value(figures, 'metrics[incident.P2.resolution].actual')).toBe(100);
    expect(value(figures, 'metrics[service_request.P3.resolution].total')).toBe(0);
    expect(value(figures, 'metrics[IM10].actual')).toBe(1);
    expect(value(figures, 'demand[2023-07].incidents.P2')).toBe(2);
    expect(value(figures, 'trend.incident[2023-06].P2')).toBe(100);
    expect(value(figures, 'backlog[2023-07-31].total')).toBe(1);
    expect(value(figures, 'priorityIncidents[B].resolvedWithinTarget')).toBeNull();
    expect(value(figures, 'suppliers[konica].contract[firstTimeFixPct].rag')).toBe('red');
    expect(value(figures, 'availability.services[printing].availabilityPct')).toBe(99.93);
    expect(value(figures, 'yearOnYear[P2 three months].yearEarlier')).toBe(1);
    expect(value(figures, 'satisfaction.month.nps')).toBeNull(); // a field the month lacks is null, not absent
    expect(figures.every((f) => !/\[\d+\]/.test(f.path))).toBe(true);
    expect(new Set(figures.map((f) => f.path)).size).toBe(figures.length);
  });

  it('keeps the lists and months each figure is made of', () => {
    const figures = summaryFigures(julySummary());
    const f = (path: string) => figures.find((x) => x.path === path)!;
    expect(f('counts.P2').tickets).toEqual(['CoL.A', 'CoL.B']);
    expect(f('backlog[2023-07-31].total')).toMatchObject({ tickets: ['CoL.OLD'], periods: [] });
    expect(f('metrics[IM10].actual').tickets).toEqual(['CoL.OLD']);
    // July in Europe/London starts at 23:00 UTC on 30 June (BST).
    expect(f('metrics[incident.P2.resolution].actual').periods).toEqual([[Date.parse('2023-06-30T23:00:00Z'), Date.parse('2023-07-31T23:00:00Z')]]);
    expect(f('yearOnYear[P2 month].yearEarlier').periods).toEqual([[Date.parse('2022-06-30T23:00:00Z'), Date.parse('2022-07-31T23:00:00Z')]]);
    expect(f('trend.incident[2023-06].P2').periods).toEqual([[Date.parse('2023-05-31T23:00:00Z'), Date.parse('2023-06-30T23:00:00Z')]]);
  });

  it('escapes operators’ names inside brackets, and a path met twice is told apart', () => {
    const s = julySummary();
    s.suppliers.push({ ...s.suppliers[0]!, supplierId: 'x]y' }, { ...s.suppliers[0]! });
    const paths = summaryFigures(s).map((f) => f.path);
    expect(paths).toContain('suppliers[x\\]y].tickets');
    expect(paths).toContain('suppliers[konica].tickets #2');
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('a group: each member’s own figures, then the totals', () => {
    const figures = groupSummaryFigures(citySummary());
    expect(value(figures, 'members[CoL].counts.P2')).toBe(2);
    expect(value(figures, 'members[CoLP].metrics[incident.P2.resolution].met')).toBe(1);
    expect(value(figures, 'total.counts.P2')).toBe(4);
    expect(figures.find((f) => f.path === 'total.metrics[IM2 P2 incident resolved within 4 hours].total')).toMatchObject({
      value: 2,
      total: true,
      tenantIds: ['CoL', 'CoLP'],
    });
    expect(figures.find((f) => f.path === 'members[CoLP].counts.P2')?.tickets).toEqual(['CoLP.A', 'CoLP.B']);
  });
});

describe('the digest of a publication', () => {
  const digest = (s = julySummary()) => figuresDigest(summaryFigures(s));

  it('is SHA-256 hex, the same for the same figures', () => {
    expect(digest()).toMatch(/^[0-9a-f]{64}$/);
    expect(digest()).toBe(digest());
  });

  it('covers figures only: not when or where it was built, the wording, nor the order of rows', () => {
    const s = julySummary();
    Object.assign(s, {
      generatedAt: '2030-01-01T00:00:00.000Z',
      asOf: '2030-01-01T00:00:00.000Z',
      logPosition: '99',
      tenantName: 'Renamed',
      summary: ['other words'],
    });
    s.metrics.reverse();
    s.suppliers[0]!.ticketIds.reverse();
    expect(digest(s)).toBe(digest());
  });

  it('changes when any one figure does', () => {
    const moved = [
      (s: ReturnType<typeof julySummary>) => (s.metrics[0]!.actual = 50),
      (s: ReturnType<typeof julySummary>) => (s.counts.P2 = 3),
      (s: ReturnType<typeof julySummary>) => (s.demand[1]!.incidents.P4 = 1),
      (s: ReturnType<typeof julySummary>) => (s.priorityIncidents[1]!.resolvedWithinTarget = false),
      (s: ReturnType<typeof julySummary>) => (s.suppliers[0]!.contract[0]!.rag = 'green'),
      (s: ReturnType<typeof julySummary>) => (s.backlog[0]!.total = 1),
    ];
    const digests = moved.map((move) => {
      const s = julySummary();
      move(s);
      return digest(s);
    });
    expect(new Set([digest(), ...digests]).size).toBe(moved.length + 1);
  });
});

describe('drift: what moved since a publication, and which facts moved it', () => {
  const fact = (over: Partial<LoggedFact>): LoggedFact => ({
    position: '50',
    eventId: 'e',
    streamId: 'incident-CoL.B',
    type: 'IncidentResolved',
    tenantId: 'CoL',
    ticketId: 'B',
    recordedAt: '2023-08-03T10:00:00.000Z',
    actor: 'desk',
    ...over,
  });
  const published = summaryFigures(julySummary());

  it('an unchanged document: []', () => expect(figureDrift(published, summaryFigures(julySummary()), [fact({})])).toEqual([]));

  it('names each moved figure with both values; cites facts on listed tickets, on tickets dated in its months, and the tenant’s policy', () => {
    const today = julySummary();
    today.metrics[0] = { ...today.metrics[0]!, actual: 50, total: 2 };
    today.priorityIncidents[1]!.resolvedWithinTarget = false;
    const facts = [
      fact({ position: '50', eventId: 'resolved-B', occurredAt: '2023-07-10T17:00:00.000Z' }),
      fact({ position: '51', eventId: 'breach-B', type: 'SlaBreached', occurredAt: '2023-07-10T13:00:00.000Z' }),
      fact({ position: '52', eventId: 'august-C', ticketId: 'C', type: 'IncidentRaised', occurredAt: '2023-08-03T09:00:00.000Z' }),
      fact({ position: '53', eventId: 'colp-B', tenantId: 'CoLP', occurredAt: '2023-07-10T17:00:00.000Z' }),
      fact({
        position: '54',
        eventId: 'policy',
        streamId: 'sla-policy-CoL',
        type: 'SlaPolicyVersionDefined',
        ticketId: undefined,
        occurredAt: '2023-08-03T09:00:00.000Z',
      }),
    ];
    const drift = figureDrift(published, summaryFigures(today), facts);
    expect(drift.map((d) => [d.figure, d.published, d.today, d.change])).toEqual([
      ['priorityIncidents[B].resolvedWithinTarget', null, false, 'changed'],
      ['metrics[incident.P2.resolution].actual', 100, 50, 'changed'],
      ['metrics[incident.P2.resolution].total', 1, 2, 'changed'],
    ]);
    // B's facts (dated in July, and B is listed): cited; C's (dated in August, listed nowhere) and CoLP's: not.
    for (const d of drift) expect(d.events.map((e) => e.eventId)).toEqual(['resolved-B', 'breach-B', 'policy']);
  });

  it('a row that appeared or disappeared says so', () => {
    const today = julySummary();
    today.suppliers[0] = { ...today.suppliers[0]!, supplierId: 'daisy', ticketIds: ['D'], p1p2Ids: [] };
    const drift = figureDrift(published, summaryFigures(today), [
      fact({ ticketId: 'D', eventId: 'assigned-D', type: 'IncidentAssigned', occurredAt: '2023-08-03T09:00:00.000Z' }),
    ]);
    expect(drift.find((d) => d.figure === 'suppliers[konica].tickets')).toMatchObject({ published: 2, today: null, change: 'disappeared', events: [] });
    expect(drift.find((d) => d.figure === 'suppliers[daisy].tickets')).toMatchObject({
      published: null,
      today: 2,
      change: 'appeared',
      events: [{ eventId: 'assigned-D' }],
    });
  });

  it('a group’s total cites the facts that moved its members’ figures of the same table', () => {
    const before = citySummary();
    const after = citySummary();
    after.members[0]!.metrics[0] = { ...after.members[0]!.metrics[0]!, actual: 50, total: 2 };
    after.metrics[0] = {
      ...after.metrics[0]!,
      byTenant: { ...after.metrics[0]!.byTenant, CoL: { actual: 50, met: 1, total: 2 } },
      group: { actual: 66.67, met: 2, total: 3 },
    };
    const drift = figureDrift(groupSummaryFigures(before), groupSummaryFigures(after), [
      fact({ eventId: 'resolved-B', occurredAt: '2023-07-10T17:00:00.000Z' }),
    ]);
    expect(drift.map((d) => d.figure)).toEqual([
      'members[CoL].metrics[incident.P2.resolution].actual',
      'members[CoL].metrics[incident.P2.resolution].total',
      'total.metrics[IM2 P2 incident resolved within 4 hours].actual',
      'total.metrics[IM2 P2 incident resolved within 4 hours].total',
    ]);
    expect(drift.every((d) => d.events.length === 1 && d.events[0]!.eventId === 'resolved-B')).toBe(true);
  });
});
