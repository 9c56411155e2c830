import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { CatalogueRepository } from '@itsm/application';
import type { Tenant } from '@itsm/domain';
import { createEventStore } from '@itsm/event-store';
import { importServiceNowLog, madeSlaReport, type MeasuringPolicy } from '@itsm/migration';
import { printJson, type CliCommand } from '../cli-context';
import { progressBar } from '../progress';
import { UsageError } from './export';

/** `import servicenow-log FILE --tenant T`: a ServiceNow incident event log as ticket history. */
export const importServiceNow: CliCommand = async (args, ctx) => {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { tenant: { type: 'string' } } });
  const [file] = positionals;
  if (!file || !values.tenant) throw new UsageError('import servicenow-log needs the CSV file and --tenant');
  const store = createEventStore(ctx.config);
  try {
    const input = createReadStream(file);
    const bar = progressBar('import', statSync(file).size, 'bytes');
    const summary = await importServiceNowLog(store, input, { tenantId: values.tenant, sourceName: basename(file), onProgress: () => bar.update(input.bytesRead) });
    bar.stop();
    printJson(ctx, summary);
    const skipped = Object.values(summary.rowsSkipped).reduce((n, v) => n + v, 0);
    if (skipped || summary.commands.refused) ctx.stderr.write(`import: ${skipped} row(s) skipped and ${summary.commands.refused} command(s) refused; each is listed above with its line\n`);
    return 0;
  } finally {
    await store.close();
  }
};

/** `import report --tenant T [--policy pinned|city-of-london-2023|shared-ict-2019]`: made_sla against this system's measurement. */
export const importReport: CliCommand = async (args, ctx) => {
  const { values } = parseArgs({ args, options: { tenant: { type: 'string' }, policy: { type: 'string', default: 'pinned' } } });
  if (!values.tenant) throw new UsageError('import report needs --tenant');
  if (!['pinned', 'city-of-london-2023', 'shared-ict-2019'].includes(values.policy!)) throw new UsageError('--policy must be pinned, city-of-london-2023 or shared-ict-2019');
  const store = createEventStore(ctx.config);
  try {
    const tenant = await new CatalogueRepository(store).value<Tenant>('Tenant', values.tenant);
    if (!tenant) throw new UsageError(`tenant ${values.tenant} is not registered`);
    printJson(ctx, await madeSlaReport(store, { tenantId: values.tenant, zone: tenant.timeZone, policy: values.policy as MeasuringPolicy, now: new Date() }));
    return 0;
  } finally {
    await store.close();
  }
};
