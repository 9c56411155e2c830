import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { createEventStore, createReadStore } from '@itsm/store-adapters';
import { showPosition } from '@itsm/event-store';
import { buildServiceDeliverySummary, Projector, ReportQueries, reportsProjection, summaryStamp } from '@itsm/projections';
import { renderSummaryHtml, renderSummaryMarkdown, renderSummaryPdf, renderSummaryXlsx } from '@itsm/report-rendering';
import type { CliCommand } from '../cli-context';
import { UsageError } from './export';

const ZONE = 'Europe/London';

const FORMATS = ['md', 'html', 'json', 'pdf', 'xlsx'];

/**
 * The monthly Service Delivery Summary of a tenant from the read models, as Markdown (default),
 * HTML, JSON, or the committee pack's A4 PDF or XLSX workbook (stamped with the log position and the
 * global hash chain head hash the figures stand at).
 */
export const report: CliCommand = async (args, ctx) => {
  const { values } = parseArgs({
    args,
    options: { tenant: { type: 'string' }, month: { type: 'string' }, format: { type: 'string', default: 'md' }, out: { type: 'string' } },
  });
  if (!values.tenant) throw new UsageError('report needs --tenant');
  const month = values.month ?? DateTime.now().setZone(ZONE).minus({ months: 1 }).toFormat('yyyy-MM');
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new UsageError(`--month must be YYYY-MM (got ${month})`);
  if (!FORMATS.includes(values.format)) throw new UsageError('--format must be md, html, json, pdf or xlsx');
  const store = createEventStore(ctx.config);
  const reads = createReadStore(ctx.config);
  try {
    // Read what the projector serves; building the read models is the projector's job (see rebuild).
    const projector = new Projector(store, reads, reportsProjection());
    await projector.init();
    const summary = await buildServiceDeliverySummary(new ReportQueries(reads, (c) => projector.collection(c)), {
      tenantId: values.tenant,
      month,
      zone: ZONE,
      logPosition: projector.checkpoint,
      now: new Date(),
    });
    const stamp = () => summaryStamp(store, projector.checkpoint);
    const body: string | Buffer =
      values.format === 'pdf'
        ? await renderSummaryPdf(summary, await stamp())
        : values.format === 'xlsx'
          ? await renderSummaryXlsx(summary, await stamp())
          : values.format === 'html'
            ? renderSummaryHtml(summary)
            : values.format === 'json'
              ? `${JSON.stringify(summary, null, 2)}\n`
              : renderSummaryMarkdown(summary);
    if (values.out) writeFileSync(values.out, body);
    else ctx.stdout.write(body);
    const behind = await store.countEventsAfter(projector.checkpoint);
    if (behind > 0)
      ctx.stderr.write(
        `report: the read models stand at position ${showPosition(projector.checkpoint) ?? '(none)'}, ${behind} event(s) behind the log; start the API or run rebuild to bring them up to date\n`,
      );
    return 0;
  } finally {
    await Promise.all([store.close(), reads.close()]);
  }
};
