import { demoCatalogue, generateHistory, type TicketStep } from '@itsm/simulation';

const options = { seed: 7, tickets: 3000, from: '2023-04-03T00:00:00Z', days: 91 };
const steps = (o = options): TicketStep[] => [...generateHistory(demoCatalogue(), o)];

describe('the history generator', () => {
  const all = steps();
  const raises = all.filter((s) => s.command.type === 'RaiseTicket');

  it('is deterministic from its seed, and another seed gives another history', () => {
    expect(JSON.stringify(steps())).toBe(JSON.stringify(all));
    expect(JSON.stringify(steps({ ...options, seed: 8 }))).not.toBe(JSON.stringify(all));
  });

  it('raises every ticket once, first in its life, and yields in time order', () => {
    expect(raises).toHaveLength(3000);
    const seen = new Set<string>();
    for (let i = 0; i < all.length; i++) {
      if (i) expect(all[i]!.at).toBeGreaterThanOrEqual(all[i - 1]!.at);
      if (all[i]!.command.type === 'RaiseTicket') seen.add(all[i]!.ticketId);
      else expect(seen.has(all[i]!.ticketId)).toBe(true);
    }
    const first = Date.parse(options.from);
    expect(Math.min(...raises.map((s) => s.at))).toBeGreaterThanOrEqual(first);
    expect(Math.max(...raises.map((s) => s.at))).toBeLessThan(first + 92 * 86_400_000);
  });

  it("has the boroughs' priority mix and the lifecycle of a real desk", () => {
    const share = (p: string) => raises.filter((s) => (s.command as { priority: string }).priority === p).length / raises.length;
    expect(share('P4')).toBeGreaterThan(0.6);
    expect(share('P3')).toBeGreaterThan(0.25);
    expect(share('P1')).toBeLessThan(0.02);
    const count = (type: string) => all.filter((s) => s.command.type === type).length;
    // The history stops at its horizon: the newest tickets, and the stalled ones, are still open.
    expect(count('RespondToTicket')).toBeGreaterThan(2950);
    expect(count('PutTicketOnHold')).toBeGreaterThan(500);
    expect(count('ResumeTicket')).toBeLessThan(count('PutTicketOnHold'));
    const resolved = new Set(all.filter((s) => s.command.type === 'ResolveTicket').map((s) => s.ticketId));
    expect(3000 - resolved.size).toBeGreaterThan(30);
    expect(3000 - resolved.size).toBeLessThan(300);
    expect(count('ReopenTicket')).toBeGreaterThan(50);
    expect(count('RecordFeedback')).toBeGreaterThan(90);
    expect(count('ChangeTicketPriority')).toBeGreaterThan(100);
    expect(count('RecordOutage')).toBeGreaterThan(50);
    expect(count('CloseTicket')).toBeGreaterThan(1800);
    // The SLA engine recorded breaches for some, not most.
    const breached = new Set(all.filter((s) => s.events.some((e) => e.type === 'SlaBreached')).map((s) => s.ticketId));
    expect(breached.size).toBeGreaterThan(30);
    expect(breached.size).toBeLessThan(1000);
    expect(new Set(raises.map((s) => s.tenantId))).toEqual(new Set(['CoL', 'CoLP', 'LBB', 'LBL', 'LBS']));
  });
});
