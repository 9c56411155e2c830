import { createReadStream, statSync } from 'node:fs';
import { createEventStore } from '@itsm/store-adapters';
import { importEvents } from '@itsm/event-transfer';
import { showPosition } from '@itsm/event-store';
import { printJson, type CliCommand } from '../cli-context';
import { progressBar } from '../progress';
import { UsageError } from './export';
import { importReport, importServiceNow } from './import-servicenow';

/** Imports an export into the configured store (empty, or holding an interrupted import of the same file). */
export const importLog: CliCommand = async (args, ctx) => {
  if (args[0] === 'servicenow-log') return importServiceNow(args.slice(1), ctx);
  if (args[0] === 'report') return importReport(args.slice(1), ctx);
  const [file] = args;
  if (!file) throw new UsageError('import needs the export file (or - for stdin)');
  const store = createEventStore(ctx.config);
  try {
    const bytes = file === '-' ? 0 : statSync(file).size;
    const input = file === '-' ? process.stdin : createReadStream(file);
    const bar = progressBar('import', bytes, 'bytes');
    const summary = await importEvents(store, input, () => bar.update('bytesRead' in input ? input.bytesRead : 0));
    bar.stop();
    printJson(ctx, { ...summary, headPosition: showPosition(await store.headPosition()) });
    return 0;
  } finally {
    await store.close();
  }
};
