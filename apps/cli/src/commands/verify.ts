import { parseArgs } from 'node:util';
import { createEventStore } from '@itsm/store-adapters';
import { verifyLog } from '@itsm/event-audit';
import { printJson, type CliCommand } from '../cli-context';
import { progressBar } from '../progress';

/** Recomputes the hash chains; exit 1 and the first break when the log was tampered with. */
export const verify: CliCommand = async (args, ctx) => {
  const { values } = parseArgs({ args, options: { tenant: { type: 'string' } } });
  const store = createEventStore(ctx.config);
  try {
    const bar = progressBar('verify', await store.countEventsAfter());
    const report = await verifyLog(store, { tenantId: values.tenant, onProgress: (checked) => bar.update(checked) });
    bar.stop();
    printJson(ctx, report);
    if (!report.ok) ctx.stderr.write(`verify: BROKEN at position ${report.firstBreak!.position}: ${report.firstBreak!.detail}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await store.close();
  }
};
