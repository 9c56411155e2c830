import { parseArgs } from 'node:util';
import { SlaTimer, TicketService } from '@itsm/application';
import { DomainError } from '@itsm/domain';
import { AuditCheckpointer } from '@itsm/event-audit';
import { createEventStore } from '@itsm/store-adapters';
import { showPosition, systemCommand } from '@itsm/event-store';
import { demoCatalogue, generateHistory, loadCatalogue } from '@itsm/simulation';
import { printJson, type CliCommand } from '../cli-context';
import { progressBar } from '../progress';
import { UsageError } from './export';

const DAY = 86_400_000;
/** About the API's spacing (every 1,000 events): most commands append one or two. */
const CHECKPOINT_EVERY_COMMANDS = 500;

/**
 * Loads the catalogue and SLA policies of DOMAIN.md (CoL, CoLP, LBB, LBL, LBS, their services,
 * suppliers and resolver groups) and months of realistic tickets ending now, through the real
 * command path (TicketService, as the API uses) with the SLA timer running on the simulated
 * clock, so breaches and automatic closes happen when they would have. `--now` pins the end of
 * the history (default: the wall clock); nothing is dated after it. Idempotent for the same seed
 * and `--now`: command ids derive from the seed, so running it again appends nothing. Run again
 * later without `--now`, it appends only what time alone brought since (SLA breaches, closes).
 */
export const demo: CliCommand = async (args, ctx) => {
  const { values } = parseArgs({
    args,
    options: { months: { type: 'string', default: '13' }, tickets: { type: 'string' }, seed: { type: 'string', default: '1' }, now: { type: 'string' } },
  });
  const months = Number(values.months);
  const seed = Number(values.seed);
  if (!Number.isInteger(months) || months < 1 || months > 36) throw new UsageError('--months must be a whole number from 1 to 36');
  // 13 months by default: a year's trend and the same month a year ago (seed 003) have data to show.
  const tickets = Number(values.tickets ?? 300 * months);
  if (!Number.isInteger(tickets) || tickets < 1) throw new UsageError('--tickets must be a positive whole number');
  const end = values.now === undefined ? Date.now() : Date.parse(values.now);
  if (Number.isNaN(end) || (values.now !== undefined && !/^\d{4}-\d\d-\d\dT/.test(values.now))) throw new UsageError('--now must be an ISO 8601 instant');
  const days = Math.round((months * 365) / 12);
  const from = end - days * DAY;
  const store = createEventStore(ctx.config);
  try {
    const catalogue = demoCatalogue();
    await loadCatalogue(store, catalogue, new Date(from - DAY));
    const clock = { at: from, now: () => new Date(clock.at) };
    const service = new TicketService(store, clock);
    const timer = new SlaTimer(store, service, clock, { onError: (e, id) => ctx.stderr.write(`sla-timer: ${id}: ${(e as Error).message}\n`) });
    // Checkpoints as it goes, as the API records them: a later edit is located between two of them.
    const checkpointer = new AuditCheckpointer(store, { now: () => clock.now() });
    const steps = [...generateHistory(catalogue, { seed, tickets, from: new Date(from).toISOString(), days: days - 1, until: new Date(end).toISOString() })];
    const bar = progressBar('demo', steps.length, 'commands');
    let appended = 0;
    const refused: Record<string, number> = {};
    let replayed = 0;
    let lastTimerRun = from;
    for (const [i, step] of steps.entries()) {
      if (step.at - lastTimerRun >= 15 * 60_000) {
        clock.at = step.at;
        await timer.runDue(); // what time alone brought about before this step
        lastTimerRun = step.at;
      }
      clock.at = step.at;
      const commandId = `demo/${seed}/${step.ticketId}/${step.index}`;
      try {
        const result = await service.execute(step.tenantId, step.ticketId, step.command, { metadata: systemCommand(commandId, 'demo:desk', step.tenantId) });
        if (result.replayed) replayed++;
        else appended++;
      } catch (error) {
        // The timer may have closed a resolved ticket before the generated close or reopen came:
        // the system refuses it, as it would refuse an operator.
        if (!(error instanceof DomainError)) throw error;
        refused[error.code] = (refused[error.code] ?? 0) + 1;
      }
      if (i % 200 === 0) bar.update(i);
      if (i % CHECKPOINT_EVERY_COMMANDS === CHECKPOINT_EVERY_COMMANDS - 1) await checkpointer.checkpoint();
    }
    clock.at = end;
    await timer.runDue();
    await checkpointer.checkpoint();
    bar.stop();
    printJson(ctx, {
      tenants: catalogue.tenants.map((t) => t.tenantId),
      from: new Date(from).toISOString(),
      to: new Date(end).toISOString(),
      tickets,
      commands: steps.length,
      appended,
      alreadyThere: replayed,
      refused,
      headPosition: showPosition(await store.headPosition()),
      next: ['npm start', 'npm run cli -- token --sub me --roles reporter,operator,auditor --tenants "*"', 'open http://localhost:3000/dashboard'],
    });
    return 0;
  } finally {
    await store.close();
  }
};
