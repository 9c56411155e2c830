import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { benchAppend } from './append.bench';
import { dataset, GENERATOR_VERSION } from './dataset';
import { benchHttp } from './http.bench';
import { benchImport } from './import.bench';
import { peakRssMb } from './measure';
import { benchQueries } from './queries.bench';
import { benchReadAll } from './read-all.bench';
import { benchRebuild } from './rebuild.bench';
import { benchReplay } from './replay.bench';
import { benchSlaTimer } from './sla-timer.bench';
import { renderBenchmarks } from './render';
import type { BenchReport, Section, SectionResults } from './report';

const ROOT = join(__dirname, '..', '..');
const DATA = join(ROOT, 'bench', '.data');
const SECTIONS = ['append', 'read-all', 'rebuild', 'replay', 'queries', 'http', 'sla-timer', 'import'] as const satisfies readonly Section[];

/** One section, in this process: prints its result as JSON on the last line. */
async function runSection(section: Section, events: number): Promise<SectionResults[Section]> {
  const log = join(DATA, `log-${GENERATOR_VERSION}-2023-${events}.sqlite`);
  switch (section) {
    case 'append':
      return benchAppend(DATA, Math.min(events, 200_000));
    case 'read-all':
      return benchReadAll(log);
    case 'rebuild':
      return benchRebuild(log, `${log}.read-models.sqlite`);
    case 'replay':
      return benchReplay(log);
    case 'queries':
      return { events, ...(await benchQueries(`${log}.read-models.sqlite`)), peakRssMb: peakRssMb() };
    case 'http': {
      const embedded = await benchHttp(10, true);
      const split = await benchHttp(10, false);
      return { results: [...embedded.results, ...split.results], peakRssMb: Math.max(embedded.apiPeakRssMb ?? 0, split.apiPeakRssMb ?? 0) };
    }
    case 'sla-timer':
      return benchSlaTimer(DATA, Math.min(100_000, events));
    case 'import':
      return benchImport(DATA);
  }
}

async function main() {
  const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, only: { type: 'string' }, section: { type: 'string' } } });
  const events = Number(values.events);
  mkdirSync(DATA, { recursive: true });
  if (values.section) {
    console.log(JSON.stringify(await runSection(values.section as Section, events)));
    return;
  }
  const only = values.only ? (values.only.split(',') as Section[]) : [...SECTIONS];
  const bar = new SingleBar({ format: 'generating the log [{bar}] {percentage}% | {value}/{total} events | eta {eta_formatted}', stream: process.stderr });
  bar.start(events, 0);
  await dataset(events, 2023, (done) => bar.update(Math.min(done, events)));
  bar.stop();
  const results: Partial<SectionResults> = {};
  for (const section of only) {
    process.stderr.write(`bench: ${section}...\n`);
    measureSection(section, events, results);
    process.stderr.write(`${JSON.stringify(results[section])}\n`);
  }
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
  };
  const file = join(ROOT, 'docs', 'benchmarks.json');
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  const previous = ((): Partial<BenchReport> => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as Partial<BenchReport>;
    } catch {
      return {};
    }
  })();
  const report: BenchReport = { date: new Date().toISOString(), machine, events, results: { ...previous.results, ...results } };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(ROOT, 'docs', 'BENCHMARKS.md'), renderBenchmarks(report));
  process.stderr.write(`bench: wrote docs/benchmarks.json and docs/BENCHMARKS.md\n`);
}

/** Runs one section in its own process, so its peak memory is its own; its result is the last line it prints. */
function measureSection<S extends Section>(section: S, events: number, into: Partial<SectionResults>): void {
  const out = execFileSync(process.execPath, [__filename, '--section', section, '--events', String(events)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  into[section] = JSON.parse(out.trim().split('\n').pop()!) as SectionResults[S];
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
