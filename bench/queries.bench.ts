import { physicalCollection, ReportQueries, reportsProjection } from '@itsm/projections';
import { SqliteReadStore } from '@itsm/read-store-sqlite';
import { Random } from '@itsm/simulation';
import { now, percentile, round } from './measure';

const TENANTS = ['CoL', 'CoLP', 'LBB', 'LBL', 'LBS'];
const MONTHS = Array.from({ length: 12 }, (_, i) => `2023-${String(i + 1).padStart(2, '0')}`);

type Figures = { p50Ms: number; p99Ms: number; maxMs: number; answerKb: number };

/**
 * p50/p99 of every report query on the rebuilt read models, with varied tenants and months. The
 * queries run interleaved (one of each per round), so the machine's noise falls on all alike;
 * beside them, in the same rounds, the floor: raw better-sqlite3 reading and parsing the rows a
 * supplier scorecard cannot do without (its tenant's supplier_tickets of the month).
 */
export async function benchQueries(readModelsFile: string, iterations = 200) {
  const reads = new SqliteReadStore(readModelsFile);
  const version = reportsProjection().version;
  const q = new ReportQueries(reads, (c) => physicalCollection(c, version));
  const rnd = new Random(5);
  const logNow = Date.parse('2024-01-01T00:00:00Z');
  const supplierTickets = reads.database.prepare(
    `SELECT doc FROM rm_${physicalCollection('supplier_tickets', version)} WHERE json_extract(doc, '$.tenantId') = ? AND json_extract(doc, '$.month') = ? ORDER BY id`,
  );
  const cases: Record<string, () => Promise<unknown>> = {
    'tickets (open, newest first)': () => q.tickets({ tenantId: rnd.pick(TENANTS), filter: { open: true }, limit: 50 }),
    'tickets (open over 30 days)': () => q.tickets({ tenantId: rnd.pick(TENANTS), aged: { now: logNow, days: 30 }, limit: 50 }),
    'tickets (breached, page of 50)': () => q.tickets({ tenantId: rnd.pick(TENANTS), filter: { breached: true }, limit: 50 }),
    'sla-performance (12 months)': () =>
      q.slaPerformance({ tenantId: rnd.pick(TENANTS), range: { from: '2023-01', to: '2023-12' }, granularity: 'month', dimension: 'all' }),
    'sla-performance (by supplier, quarter)': () =>
      q.slaPerformance({ tenantId: rnd.pick(TENANTS), range: { from: '2023-07', to: '2023-09' }, granularity: 'quarter', dimension: 'supplier' }),
    'demand (12 months)': () => q.demand({ tenantId: rnd.pick(TENANTS), range: { from: '2023-01', to: '2023-12' }, granularity: 'month' }),
    'aged-backlog (12 weeks)': () =>
      q.agedBacklog({ tenantId: rnd.pick(TENANTS), fromWeek: '2023-10-01', toWeek: '2023-12-31T23:59:59.999Z', now: logNow, days: 30 }),
    'supplier-scorecards (month)': () => q.supplierScorecards({ month: rnd.pick(MONTHS), zone: 'Europe/London', tenantId: rnd.pick(TENANTS) }),
    'service-availability (month)': () => q.serviceAvailability({ month: rnd.pick(MONTHS), zone: 'Europe/London', tenantId: rnd.pick(TENANTS) }),
    'priority-incidents (month)': () => q.priorityIncidents({ tenantId: rnd.pick(TENANTS), month: rnd.pick(MONTHS), zone: 'Europe/London' }),
    'satisfaction (12 months)': () => q.satisfaction({ tenantId: rnd.pick(TENANTS), range: { from: '2023-01', to: '2023-12' }, granularity: 'month' }),
    'major-incidents': () => q.majorIncidents({ tenantId: rnd.pick(TENANTS) }),
    'floor: raw better-sqlite3, a supplier_tickets month': async () =>
      (supplierTickets.all(rnd.pick(TENANTS), rnd.pick(MONTHS)) as Array<{ doc: string }>).map((r): unknown => JSON.parse(r.doc)),
  };
  const answers = new Map<string, string>();
  for (const [name, run] of Object.entries(cases)) for (let i = 0; i < 5; i++) answers.set(name, JSON.stringify(await run())); // warm the statement cache; keep an answer's size
  const samples = new Map<string, number[]>(Object.keys(cases).map((name) => [name, []]));
  for (let i = 0; i < iterations; i++) {
    for (const [name, run] of Object.entries(cases)) {
      const start = now();
      await run();
      samples.get(name)!.push(now() - start);
    }
  }
  const out: Record<string, Figures> = {};
  for (const [name, xs] of samples) {
    xs.sort((a, b) => a - b);
    out[name] = {
      p50Ms: round(percentile(xs, 50), 2),
      p99Ms: round(percentile(xs, 99), 2),
      maxMs: round(xs.at(-1) ?? NaN, 2),
      answerKb: round(answers.get(name)!.length / 1024, 1),
    };
  }
  await reads.close();
  return out;
}
