import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import { createEventStore } from '@itsm/store-adapters';
import { exportEvents } from '@itsm/event-transfer';
import type { CliCommand } from '../cli-context';
import { progressBar } from '../progress';

/** The log as NDJSON (to --out or stdout), filtered by tenant, stream and record time. */
export const exportLog: CliCommand = async (args, ctx) => {
  const { values } = parseArgs({
    args,
    options: {
      tenant: { type: 'string' },
      stream: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const instant = (name: 'from' | 'to') => {
    const v = values[name];
    if (v === undefined) return undefined;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) throw new UsageError(`--${name} must be an ISO 8601 instant (got ${v})`);
    return d;
  };
  const filter = { tenantId: values.tenant, streamIds: values.stream, from: instant('from'), to: instant('to') };
  const store = createEventStore(ctx.config);
  const out: Writable = values.out ? createWriteStream(values.out) : ctx.stdout;
  try {
    const bar = progressBar('export', await store.countEventsAfter());
    let lines = 0;
    let seen = 0;
    for await (const line of exportEvents(store, filter, () => ++seen % 5000 === 0 && bar.update(seen))) {
      lines++;
      if (!out.write(line)) await once(out, 'drain');
    }
    bar.stop();
    if (values.out) {
      out.end();
      await once(out, 'finish');
    }
    ctx.stderr.write(`export: ${lines} of ${seen} events${values.out ? ` to ${values.out}` : ''}\n`);
    return 0;
  } finally {
    await store.close();
  }
};

/** Bad arguments: the CLI prints the message and the usage, and exits 2. */
export class UsageError extends Error {}
