import { rmSync } from 'node:fs';
import { SlaTimer, TicketService } from '@itsm/application';
import { cityOfLondon2023, decideTicket, EVENT_SCHEMA_VERSION, initialTicketState, ticketStream, type TicketEvent } from '@itsm/domain';
import { commandEvents, SqliteEventStore, systemCommand, type EventToAppend } from '@itsm/event-store';
import { demoCatalogue, loadCatalogue } from '@itsm/simulation';
import { peakRssMb, percentile, round, timed } from './measure';

const MIN = 60_000;

/**
 * The SLA timer with `open` open tickets: most have distant deadlines; `dueSoon` P1s have their
 * 15-minute response deadline in the next seconds. Measures, for each, the delay from the
 * deadline to the moment its SlaBreached was recorded.
 */
export async function benchSlaTimer(dir: string, open = 100_000, dueSoon = 500) {
  const file = `${dir}/sla-timer.sqlite`;
  rmSync(file, { force: true });
  const store = new SqliteEventStore({ filename: file });
  const catalogue = demoCatalogue();
  await loadCatalogue(store, catalogue, new Date('2022-12-01T00:00:00Z'));
  const tenant = catalogue.tenants.find((t) => t.tenantId === 'CoL')!;
  const service = catalogue.services.find((s) => s.serviceId === 'email')!;
  const policy = { ...cityOfLondon2023('CoL', '2023-01-01T00:00:00Z'), version: 1 };
  const start = Date.now() + 20_000; // deadlines from 20 s after loading ends...
  const raise = (i: number, priority: 'P1' | 'P4', at: number): EventToAppend[] => {
    const ticketId = `T${i}`;
    const events = decideTicket(
      { type: 'RaiseTicket', ticketId, tenantId: 'CoL', kind: 'incident', priority, serviceId: 'email', title: 't', description: 'd', reporter: 'r', channel: 'phone', occurredAt: new Date(at).toISOString() },
      initialTicketState(),
      { now: new Date(at).toISOString(), tenant, service, slaPolicy: policy, knownTenantIds: new Set(['CoL']) },
    ) as TicketEvent[];
    return commandEvents(ticketStream('CoL', ticketId), undefined, events, systemCommand(`raise/${ticketId}`, 'bench', 'CoL'), EVENT_SCHEMA_VERSION, new Date(at).toISOString());
  };
  const load = await timed(async () => {
    for (let i = 0; i < open; i += 1000) {
      await Promise.all(
        Array.from({ length: Math.min(1000, open - i) }, (_, k) => {
          const n = i + k;
          // ...spread over 10 s for the P1s; P4s were raised minutes ago and are far from due.
          const events = n < dueSoon ? raise(n, 'P1', start + Math.floor((n / dueSoon) * 10_000) - 15 * MIN) : raise(n, 'P4', Date.now() - 10 * MIN);
          return store.append(ticketStream('CoL', `T${n}`), events, { expectedRevision: 'no_stream' });
        }),
      );
    }
  });
  const clock = { now: () => new Date() };
  const timer = new SlaTimer(store, new TicketService(store, clock), clock, { pollIntervalMs: 100 });
  const startup = await timed(() => timer.catchUp());
  timer.start();
  await new Promise((r) => setTimeout(r, Math.max(0, start + 10_000 - Date.now()) + 3_000));
  await timer.stop();
  const delays: number[] = [];
  for await (const e of store.readAll()) {
    if (e.type !== 'SlaBreached' || (e.data as { metric?: string }).metric !== 'response') continue;
    delays.push(Date.parse(String(e.metadata.recordedAt)) - Date.parse(String(e.data.occurredAt)));
  }
  await store.close();
  rmSync(file, { force: true });
  delays.sort((a, b) => a - b);
  return {
    openTickets: open,
    dueDuringRun: dueSoon,
    breachesRecorded: delays.length,
    loadSeconds: round(load.ms / 1000, 1),
    timerStartupSeconds: round(startup.ms / 1000, 2),
    delayMs: { p50: percentile(delays, 50), p99: percentile(delays, 99), max: delays[delays.length - 1] },
    peakRssMb: peakRssMb(),
  };
}
