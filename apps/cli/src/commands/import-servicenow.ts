import { createReadStream, statSync, type ReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { CatalogueRepository } from '@itsm/application';
import type { Tenant } from '@itsm/domain';
import { createEventStore } from '@itsm/store-adapters';
import { ImportRefusedError, importServiceNowLog, madeSlaReport, type MeasuringPolicy, type ServiceNowImportSummary } from '@itsm/migration';
import { printJson, type CliCommand } from '../cli-context';
import { progressBar } from '../progress';
import { UsageError } from './export';

/**
 * `import servicenow-log FILE --tenant T [--no-sla]`: a ServiceNow incident event log as ticket
 * history, recorded now (the wall clock: this is where the import's time comes from). A history
 * that starts before the tenant's earliest SLA policy is refused (exit 1) unless --no-sla.
 */
export const importServiceNow: CliCommand = async (args, ctx) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { tenant: { type: 'string' }, 'no-sla': { type: 'boolean', default: false } },
  });
  const [file] = positionals;
  if (!file || !values.tenant) throw new UsageError('import servicenow-log needs the CSV file and --tenant');
  const store = createEventStore(ctx.config);
  try {
    let input: ReadStream | undefined;
    const bar = progressBar('import', statSync(file).size, 'bytes');
    let summary: ServiceNowImportSummary;
    try {
      summary = await importServiceNowLog(store, () => (input = createReadStream(file)), {
        tenantId: values.tenant,
        sourceName: basename(file),
        now: () => new Date(),
        noSla: values['no-sla'],
        onProgress: () => bar.update(input?.bytesRead ?? 0),
      });
    } catch (error) {
      if (!(error instanceof ImportRefusedError)) throw error;
      ctx.stderr.write(`import: refused, nothing imported: ${error.message}\n`);
      return 1;
    } finally {
      bar.stop();
    }
    printJson(ctx, summary);
    const skipped = Object.values(summary.rowsSkipped).reduce((n, v) => n + v, 0);
    if (skipped || summary.commands.refused)
      ctx.stderr.write(`import: ${skipped} row(s) skipped and ${summary.commands.refused} command(s) refused; each is listed above with its line\n`);
    if (summary.sla.incidentsWithoutPolicy) {
      const policy = summary.sla.earliestPolicyFrom
        ? `before ${values.tenant}'s earliest SLA policy (in force from ${summary.sla.earliestPolicyFrom})`
        : `and ${values.tenant} has no SLA policy`;
      ctx.stderr.write(`import: --no-sla: ${summary.sla.incidentsWithoutPolicy} incident(s) were raised ${policy}; they carry no SLA\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
};

/** `import report --tenant T [--policy pinned|city-of-london-2023|shared-ict-2019]`: made_sla against this system's measurement. */
export const importReport: CliCommand = async (args, ctx) => {
  const { values } = parseArgs({ args, options: { tenant: { type: 'string' }, policy: { type: 'string', default: 'pinned' } } });
  if (!values.tenant) throw new UsageError('import report needs --tenant');
  if (!['pinned', 'city-of-london-2023', 'shared-ict-2019'].includes(values.policy))
    throw new UsageError('--policy must be pinned, city-of-london-2023 or shared-ict-2019');
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
