import { AuditCheckpointer } from '@itsm/event-audit';
import { createEventStore } from '@itsm/store-adapters';
import { printJson, type CliCommand } from '../cli-context';

/** Records a checkpoint of the global chain now (say, before figures are published). */
export const checkpoint: CliCommand = async (_args, ctx) => {
  const store = createEventStore(ctx.config);
  try {
    const recorded = await new AuditCheckpointer(store).checkpoint();
    printJson(ctx, recorded ?? { recorded: false, reason: 'nothing new since the last checkpoint' });
    return 0;
  } finally {
    await store.close();
  }
};
