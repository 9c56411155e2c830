import { fork, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { SlaTimer, TicketService } from '@itsm/application';
import { cityOfLondon2023, decideTicket, EVENT_SCHEMA_VERSION, initialTicketState, ticketStream } from '@itsm/domain';
import { commandEvents, systemCommand, type EventToAppend } from '@itsm/event-store';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { peakRssMb, percentile, round, timed } from './measure';

const MIN = 60_000;
const mb = (bytes: number) => round(bytes / 2 ** 20);

/**
 * The SLA timer with `open` open tickets: most have distant deadlines; `dueSoon` P1s have their
 * 15-minute response deadline seconds after the timer has started up. Measures, for each, the delay from the
 * deadline to the moment its SlaBreached was recorded. The tickets are written by this process;
 * the timer runs in a process of its own (as in apps/projector), so its peak memory is the
 * timer's and not the loader's. Beside it, in the same run, the limit: a bare Node process
 * holding the same 100,000 stream ids and deadlines as a plain Map.
 */
export async function benchSlaTimer(dir: string, open = 100_000, dueSoon = 500) {
  const file = `${dir}/sla-timer.sqlite`;
  rmSync(file, { force: true });
  const store = new SqliteEventStore({ filename: file });
  const { demoCatalogue, loadCatalogue } = await import('@itsm/simulation'); // the loader's only: the timer process does not load it
  const catalogue = demoCatalogue();
  await loadCatalogue(store, catalogue, new Date('2022-12-01T00:00:00Z'));
  const tenant = catalogue.tenants.find((t) => t.tenantId === 'CoL')!;
  const service = catalogue.services.find((s) => s.serviceId === 'email')!;
  const policy = { ...cityOfLondon2023('CoL', '2023-01-01T00:00:00Z'), version: 1 };
  const raise = (i: number, priority: 'P1' | 'P4', at: number): EventToAppend[] => {
    const ticketId = `T${i}`;
    const events = decideTicket(
      {
        type: 'RaiseTicket',
        ticketId,
        tenantId: 'CoL',
        kind: 'incident',
        priority,
        serviceId: 'email',
        title: 't',
        description: 'd',
        reporter: 'r',
        channel: 'phone',
        occurredAt: new Date(at).toISOString(),
      },
      initialTicketState(),
      { now: new Date(at).toISOString(), tenant, service, slaPolicy: policy, knownTenantIds: new Set(['CoL']) },
    );
    return commandEvents(
      ticketStream('CoL', ticketId),
      undefined,
      events,
      systemCommand(`raise/${ticketId}`, 'bench', 'CoL'),
      EVENT_SCHEMA_VERSION,
      new Date(at).toISOString(),
    );
  };
  const append = async (from: number, to: number, events: (n: number) => EventToAppend[]) => {
    for (let i = from; i < to; i += 1000) {
      await Promise.all(
        Array.from({ length: Math.min(1000, to - i) }, (_, k) =>
          store.append(ticketStream('CoL', `T${i + k}`), events(i + k), { expectedRevision: 'no_stream' }),
        ),
      );
    }
  };
  // P4s raised minutes ago, far from due...
  const load = await timed(() => append(dueSoon, open, (n) => raise(n, 'P4', Date.now() - 10 * MIN)));
  const bare = bareMapProcess(ticketStream('CoL', 'T0').slice(0, -'T0'.length), open);
  const timer = await timerProcess(file, async () => {
    // ...then, once the timer has started up, P1s whose response deadlines fall over 10 s from 5 s on.
    const start = Date.now() + 5_000;
    await append(0, dueSoon, (n) => raise(n, 'P1', start + Math.floor((n / dueSoon) * 10_000) - 15 * MIN));
    return start + 10_000 + 3_000;
  });
  await store.close();
  const read = new SqliteEventStore({ filename: file });
  const delays: number[] = [];
  for await (const e of read.readAll()) {
    if (e.type !== 'SlaBreached' || (e.data as { metric?: string }).metric !== 'response') continue;
    delays.push(Date.parse(String(e.metadata.recordedAt)) - Date.parse(String(e.data.occurredAt)));
  }
  await read.close();
  rmSync(file, { force: true });
  delays.sort((a, b) => a - b);
  return {
    openTickets: open,
    dueDuringRun: dueSoon,
    breachesRecorded: delays.length,
    loadSeconds: round(load.ms / 1000, 1),
    timerStartupSeconds: timer.startupSeconds,
    delayMs: { p50: percentile(delays, 50), p99: percentile(delays, 99), max: delays.at(-1) },
    /** Peak RSS of the timer's process (start-up index, then the run). */
    peakRssMb: timer.peakRssMb,
    /** Heap the index of open tickets holds (heap after catch-up minus before, both after a full GC). */
    indexHeapMb: timer.indexHeapMb,
    /** RSS of the timer's process with its modules loaded, before it reads the log. */
    timerModulesRssMb: timer.modulesRssMb,
    bareMap: bare,
    ratioToBareMap: round(timer.peakRssMb / bare.peakRssMb, 2),
    loaderPeakRssMb: peakRssMb(),
  };
}

/** The limit: a Node process with no modules holding `open` stream ids and their deadlines in a Map. */
function bareMapProcess(prefix: string, open: number): { peakRssMb: number; heapMb: number } {
  const code = `const m=new Map();const t=Date.now();for(let i=0;i<${open};i++)m.set(${JSON.stringify(prefix)}+'T'+i,t+i*1000);globalThis.gc();
const u=process.memoryUsage();console.log(JSON.stringify({size:m.size,peakRssMb:process.resourceUsage().maxRSS/1024,heapMb:u.heapUsed/2**20}));`;
  const out = spawnSync(process.execPath, ['--expose-gc', '-e', code], { encoding: 'utf8' });
  const r = JSON.parse(out.stdout.trim()) as { size: number; peakRssMb: number; heapMb: number };
  if (r.size !== open) throw new Error('bare map process held the wrong count');
  return { peakRssMb: round(r.peakRssMb), heapMb: round(r.heapMb) };
}

interface TimerRun {
  startupSeconds: number;
  peakRssMb: number;
  indexHeapMb: number;
  modulesRssMb: number;
}

/**
 * Runs the timer in a process of its own: it starts up (reads the log) and runs; `started` is then
 * called and says until when (ms since epoch) the timer runs.
 */
function timerProcess(file: string, started: () => Promise<number>): Promise<TimerRun> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--sla-timer-process', file], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (m: { started: true } | TimerRun) => {
      if ('started' in m) started().then((until) => child.send({ until }), reject);
      else resolve(m);
    });
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`timer process exited with ${code}`)));
  });
}

async function runTimer(file: string): Promise<TimerRun> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  gc();
  const modulesRssMb = mb(process.memoryUsage().rss);
  const heapBefore = process.memoryUsage().heapUsed;
  const store = new SqliteEventStore({ filename: file });
  const clock = { now: () => new Date() };
  const timer = new SlaTimer(store, new TicketService(store, clock), clock, { pollIntervalMs: 100 });
  const startup = await timed(() => timer.catchUp());
  gc();
  const indexHeapMb = mb(process.memoryUsage().heapUsed - heapBefore);
  timer.start();
  const { until } = await new Promise<{ until: number }>((r) => {
    process.once('message', r);
    process.send!({ started: true });
  });
  await new Promise((r) => setTimeout(r, Math.max(0, until - Date.now())));
  await timer.stop();
  await store.close();
  return { startupSeconds: round(startup.ms / 1000, 2), peakRssMb: peakRssMb(), indexHeapMb, modulesRssMb };
}

if (require.main === module && process.argv[2] === '--sla-timer-process') {
  const timerFile = process.argv[3];
  if (timerFile === undefined) throw new Error('usage: sla-timer.bench.js --sla-timer-process <log file>');
  runTimer(timerFile).then(
    (r) => {
      process.send!(r);
      process.disconnect();
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
