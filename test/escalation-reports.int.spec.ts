import { defineEscalationPolicyVersion, SlaTimer, TicketService } from '@itsm/application';
import type { EscalationRule } from '@itsm/domain';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { systemCommand, type EventStore } from '@itsm/event-store';
import { Projector, reportsProjection, type TicketDoc } from '@itsm/projections';
import { SqliteReadStore } from '@itsm/read-store-sqlite';
import { appendHistory, demoCatalogue, generateHistory, loadCatalogue } from '@itsm/simulation';
import { MovableClock } from '@itsm/test-kit';

/**
 * Escalations change no SLA figure: two logs of the same history, one whose tenants have escalation
 * policies (so the timer also records EscalationTriggered), build the same SLA performance and the
 * same breached tickets.
 */
const NOW = Date.parse('2023-02-07T12:00:00Z'); // the history's last day: many tickets still open
const RULES: EscalationRule[] = (['incident', 'service_request'] as const).flatMap((kind) =>
  (['P1', 'P2', 'P3', 'P4'] as const).flatMap((priority) =>
    [50, 75, 150].map((atPercent) => ({ kind, priority, metric: 'resolution' as const, atPercent, notify: ['role:duty-manager'] })),
  ),
);

async function build(withEscalations: boolean) {
  const events = new SqliteEventStore({ filename: ':memory:' });
  const catalogue = demoCatalogue();
  await loadCatalogue(events, catalogue, new Date('2023-01-01T00:00:00Z'));
  if (withEscalations) {
    for (const t of catalogue.tenants) {
      await defineEscalationPolicyVersion(
        events,
        { tenantId: t.tenantId, rules: RULES, effectiveFrom: '2023-01-01T00:00:00Z' },
        systemCommand(`test/escalation/${t.tenantId}`, 'test', t.tenantId),
        () => new Date('2023-01-01T00:00:00Z'),
      );
    }
  }
  await appendHistory(events, generateHistory(catalogue, { seed: 7, tickets: 300, from: '2023-02-01T00:00:00Z', days: 6 }), { seed: 7 });
  const clock = new MovableClock(NOW);
  const timer = new SlaTimer(events, new TicketService(events, clock), clock);
  while ((await timer.runDue()) > 0);
  const escalations = await count(events, 'EscalationTriggered');
  const reads = new SqliteReadStore(':memory:');
  const projector = new Projector(events, reads, reportsProjection(), { batchSize: 500 });
  await projector.init();
  await projector.catchUp();
  const all = async <T extends object>(logical: string) => (await reads.find<T & { id: string }>(projector.collection(logical), { limit: 10_000 })).items;
  const slaPerformance = await all('sla_performance');
  const breached = (await all<TicketDoc>('tickets')).map((d) => [d.id, d.breached, d.breachedOpen, d.status]);
  await reads.close();
  await events.close();
  return { escalations, slaPerformance, breached };
}

async function count(store: EventStore, type: string): Promise<number> {
  let n = 0;
  for await (const e of store.readAll()) if (e.type === type) n++;
  return n;
}

it('the reports projection ignores EscalationTriggered: the same SLA figures and breached tickets with or without escalations', async () => {
  const [without, withEscalations] = [await build(false), await build(true)];
  expect(without.escalations).toBe(0);
  expect(withEscalations.escalations).toBeGreaterThan(20);
  expect(withEscalations.slaPerformance.length).toBeGreaterThan(20);
  expect(withEscalations.slaPerformance).toEqual(without.slaPerformance);
  expect(withEscalations.breached).toEqual(without.breached);
}, 120_000);
