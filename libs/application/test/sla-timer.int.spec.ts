import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { cityOfLondon2023, decideTicket, initialTicketState, parseTicketStream, ticketStream, type Priority, type TicketKind } from '@itsm/domain';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import type { EventToAppend } from '@itsm/event-store';
import { MovableClock } from '@itsm/test-kit';
import { SlaTimer, TicketService } from '../src';

const MIN = 60_000;
const HOUR = 60 * MIN;
const JULY = Date.parse('2023-07-01T00:00:00Z');
const AUGUST = Date.parse('2023-08-01T00:00:00Z');
// The sparse-positions run checks how the timer follows the log, which fewer tickets show as well.
const TICKETS = Number(process.env.SLA_TIMER_TICKETS ?? (process.env.ITSM_SQLITE_POSITIONS === 'sparse' ? 2_000 : 10_000));

/**
 * Independent oracle for Mon–Fri 09:00–17:00 Europe/London (no bank holiday falls in July 2023):
 * a table of which whole minutes of July–August are working minutes, built with Intl, not Luxon.
 */
const MINUTES = (Date.parse('2023-09-01T00:00:00Z') - JULY) / MIN;
const working = new Uint8Array(MINUTES);
{
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  for (let m = 0; m < MINUTES; m++) {
    const parts = Object.fromEntries(fmt.formatToParts(new Date(JULY + m * MIN)).map((p) => [p.type, p.value]));
    const hhmm = `${parts.hour}:${parts.minute}`;
    const weekday = !['Sat', 'Sun'].includes(parts.weekday ?? '');
    working[m] = weekday && hhmm >= '09:00' && hhmm < '17:00' && parts.weekday !== undefined && !isBankHoliday(m) ? 1 : 0;
  }
}
function isBankHoliday(minute: number): boolean {
  const day = new Date(JULY + minute * MIN).toISOString().slice(0, 10);
  return day === '2023-08-28'; // Summer bank holiday; Europe/London midnight differs by an hour, the desk is shut then anyway
}
/** First instant after `used` working minutes have passed since `from`, once more time accrues. */
function oracleWorking(from: number, used: number): number {
  let m = Math.ceil((from - JULY) / MIN);
  let count = 0;
  for (; m < MINUTES; m++) {
    if (working[m]) {
      if (count === used) return JULY + m * MIN;
      count++;
    }
  }
  throw new Error('beyond the table');
}

const policy = { ...cityOfLondon2023('CoL', '2023-01-01T00:00:00Z'), version: 1 };
const TARGETS = policy.targets;
function expectedCrossings(kind: TicketKind, priority: Priority, raisedAt: number, respondedAt: number | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const t of TARGETS.filter((x) => x.kind === kind && x.priority === priority)) {
    for (const pct of [75, 100]) {
      const amount = (pct / 100) * t.targetMinutes;
      const at = t.calendarId === '24x7' ? raisedAt + amount * MIN : oracleWorking(raisedAt, amount);
      const stop = t.metric === 'response' ? (respondedAt ?? Infinity) : Infinity;
      if (at < stop && at < AUGUST) out.push([`${t.metric}/0/${priority}/${pct}`, new Date(at).toISOString()]);
    }
  }
  return out;
}

describe('SLA timer at scale (10,000 open tickets, a month, two timers at once)', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'itsm-timer-'));
    store = new SqliteEventStore({ filename: join(dir, 'timer.sqlite') });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends exactly the expected warnings and breaches, none twice', async () => {
    const clock = new MovableClock(JULY);
    const meta = (commandId: string) => ({
      commandId,
      actor: 'test',
      tenantId: 'CoL',
      correlationId: commandId,
      causationId: commandId,
      requestHash: commandId,
    });
    const tenant = {
      tenantId: 'CoL',
      name: 'City of London Corporation',
      timeZone: 'Europe/London',
      priorityMatrix: [
        ['P1', 'P2', 'P3'],
        ['P2', 'P3', 'P4'],
        ['P3', 'P4', 'P4'],
      ],
      autoCloseDays: 5,
      reopenWindowDays: 10,
    };
    const service = { serviceId: 'email', name: 'Email', tenantIds: ['CoL'], critical: true, ownership: 'it_owned', availabilityTargetPct: 99.5 };
    const e = (type: string, data: object): EventToAppend => ({
      id: randomUUID(),
      type,
      data: { ...data, occurredAt: '2023-01-01T00:00:00.000Z' },
      metadata: meta('seed'),
    });
    await store.append('tenant-CoL', [e('TenantRegistered', tenant)], { expectedRevision: 'no_stream' });
    await store.append('service-email', [e('ServiceRegistered', service)], { expectedRevision: 'no_stream' });
    await store.append('sla-policy-CoL', [e('SlaPolicyVersionDefined', policy)], { expectedRevision: 'no_stream' });

    // Histories: raised at whole minutes over the first five days of July, some answered in 5 minutes.
    const rng = fc.sample(
      fc.tuple(
        fc.integer({ min: 0, max: 5 * 24 * 60 - 1 }),
        fc.constantFrom<Priority>('P1', 'P2', 'P3', 'P3', 'P4', 'P4'),
        fc.constantFrom<TicketKind>('incident', 'incident', 'incident', 'service_request', 'starter_mover_leaver'),
        fc.boolean(),
      ),
      { numRuns: TICKETS, seed: 42 },
    );
    const expected = new Map<string, Array<[string, string]>>();
    for (let i = 0; i < TICKETS; i += 500) {
      await Promise.all(
        rng.slice(i, i + 500).map(async ([minute, priority, kind, answered], j) => {
          const ticketId = `T${i + j}`;
          const raisedAt = JULY + minute * MIN;
          const ctx = { now: new Date(raisedAt).toISOString(), tenant: tenant as never, service: service as never, slaPolicy: policy };
          const raised = decideTicket(
            {
              type: 'RaiseTicket',
              ticketId,
              tenantId: 'CoL',
              kind,
              priority,
              serviceId: 'email',
              title: 't',
              description: 'd',
              reporter: 'r',
              channel: 'email',
              occurredAt: ctx.now,
            },
            initialTicketState(),
            ctx,
          );
          const respondedAt = answered ? raisedAt + 5 * MIN : undefined;
          const events = [...raised];
          if (respondedAt) events.push({ type: 'IncidentResponded', data: { respondedBy: 'desk', occurredAt: new Date(respondedAt).toISOString() } });
          await store.append(
            ticketStream('CoL', ticketId),
            events.map((ev) => ({ id: randomUUID(), type: ev.type, data: ev.data as never, metadata: meta(ticketId) })),
            { expectedRevision: 'no_stream' },
          );
          expected.set(ticketId, expectedCrossings(kind, priority, raisedAt, respondedAt));
        }),
      );
    }

    const timerA = new SlaTimer(store, new TicketService(store, clock), clock, {
      onError: (err) => {
        throw err;
      },
    });
    const timerB = new SlaTimer(store, new TicketService(store, clock), clock, {
      onError: (err) => {
        throw err;
      },
    });
    for (let at = JULY; at <= AUGUST; at += HOUR) {
      clock.set(at);
      await Promise.all([timerA.runDue(), timerB.runDue()]);
    }

    const recorded = new Map<string, Array<[string, string]>>();
    let slaEvents = 0;
    for await (const ev of store.readAll()) {
      if (ev.type !== 'SlaWarningRaised' && ev.type !== 'SlaBreached') continue;
      slaEvents++;
      const id = parseTicketStream(ev.streamId)!.ticketId;
      recorded.set(id, [...(recorded.get(id) ?? []), [ev.data.key as string, ev.data.occurredAt as string]]);
      expect(ev.type === 'SlaBreached').toBe(String(ev.data.key).endsWith('/100'));
    }
    const sort = (xs: Array<[string, string]>) => [...xs].sort((a, b) => a[0].localeCompare(b[0]));
    let mismatches = 0;
    for (const [id, want] of expected) {
      const got = recorded.get(id) ?? [];
      if (JSON.stringify(sort(got)) !== JSON.stringify(sort(want))) {
        if (mismatches++ < 3) expect({ id, got: sort(got) }).toEqual({ id, got: sort(want) });
      }
    }
    expect(mismatches).toBe(0);
    const total = [...expected.values()].reduce((n, xs) => n + xs.length, 0);
    expect(slaEvents).toBe(total);
    expect(total).toBeGreaterThan(2 * TICKETS); // the month really did bring most clocks past their targets
    expect(timerA.stats(AUGUST).dueNow + timerB.stats(AUGUST).dueNow).toBe(0);
  }, 300_000);
});

describe('SLA timer with two tenants using one ticket id', () => {
  it("follows each tenant's T1 apart and records each one's own crossings", async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    const clock = new MovableClock(JULY);
    const seed = (type: string, data: object): EventToAppend => ({ id: randomUUID(), type, data: { ...data, occurredAt: '2023-01-01T00:00:00.000Z' } });
    for (const tenantId of ['CoL', 'LBB']) {
      const tenant = {
        tenantId,
        name: tenantId,
        timeZone: 'Europe/London',
        priorityMatrix: [
          ['P1', 'P2', 'P3'],
          ['P2', 'P3', 'P4'],
          ['P3', 'P4', 'P4'],
        ],
        autoCloseDays: 5,
        reopenWindowDays: 10,
      };
      await store.append(`tenant-${tenantId}`, [seed('TenantRegistered', tenant)], { expectedRevision: 'no_stream' });
      await store.append(`sla-policy-${tenantId}`, [seed('SlaPolicyVersionDefined', { ...cityOfLondon2023(tenantId, '2023-01-01T00:00:00Z'), version: 1 })], {
        expectedRevision: 'no_stream',
      });
    }
    const service = { serviceId: 'email', name: 'Email', tenantIds: ['CoL', 'LBB'], critical: true, ownership: 'it_owned', availabilityTargetPct: 99.5 };
    await store.append('service-email', [seed('ServiceRegistered', service)], { expectedRevision: 'no_stream' });
    const tickets = new TicketService(store, clock);
    const raisedAt = Date.parse('2023-07-03T08:00:00Z');
    clock.set(raisedAt);
    const priorities = { CoL: 'P1', LBB: 'P4' } as const;
    for (const [tenantId, priority] of Object.entries(priorities)) {
      const commandId = `raise-${tenantId}`;
      await tickets.execute(
        tenantId,
        'T1',
        {
          type: 'RaiseTicket',
          ticketId: 'T1',
          tenantId,
          kind: 'incident',
          priority,
          serviceId: 'email',
          title: 't',
          description: 'd',
          reporter: 'r',
          channel: 'email',
          occurredAt: new Date(raisedAt).toISOString(),
        },
        { metadata: { commandId, actor: 'test', tenantId, correlationId: commandId, causationId: commandId, requestHash: commandId } },
      );
    }
    const timer = new SlaTimer(store, tickets, clock, {
      onError: (err) => {
        throw err;
      },
    });
    for (let at = raisedAt; at <= AUGUST; at += HOUR) {
      clock.set(at);
      await timer.runDue();
    }
    for (const [tenantId, priority] of Object.entries(priorities)) {
      const events = [];
      for await (const e of store.readStream(ticketStream(tenantId, 'T1'))) events.push(e);
      const got = events
        .filter((e) => e.type === 'SlaWarningRaised' || e.type === 'SlaBreached')
        .map((e) => [e.data.key as string, e.data.occurredAt as string]);
      const want = expectedCrossings('incident', priority, raisedAt, undefined);
      expect({ tenantId, got: [...got].sort() }).toEqual({ tenantId, got: [...want].sort() });
      expect(want.length).toBeGreaterThan(0);
    }
    await store.close();
  });
});
