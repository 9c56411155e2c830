import { fork } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { sharedIct2019 } from '@itsm/domain';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { importServiceNowLog } from '@itsm/migration';
import { loadCatalogue, Random } from '@itsm/simulation';
import { now, peakRssMb, round } from './measure';

/** The UCI "Incident management process enriched event log": its 36 columns, in its order. */
export const SN_COLUMNS = [
  'number', 'incident_state', 'active', 'reassignment_count', 'reopen_count', 'sys_mod_count', 'made_sla', 'caller_id', 'opened_by', 'opened_at',
  'sys_created_by', 'sys_created_at', 'sys_updated_by', 'sys_updated_at', 'contact_type', 'location', 'category', 'subcategory', 'u_symptom', 'cmdb_ci',
  'impact', 'urgency', 'priority', 'assignment_group', 'assigned_to', 'knowledge', 'u_priority_confirmation', 'notify', 'problem_id', 'rfc',
  'vendor', 'caused_by', 'closed_code', 'resolved_by', 'resolved_at', 'closed_at',
] as const; // prettier-ignore

/** The public file's size: rows and incidents. */
export const UCI_ROWS = 141_712;
export const UCI_INCIDENTS = 24_918;
/** Bump when the generator changes: cached files of an older one are not reused. */
const GENERATOR_VERSION = 'sn1';
const ZONE = 'Europe/London';
const TENANT = 'SNX';
const MIN = 60_000;

type Cells = Record<(typeof SN_COLUMNS)[number], string>;

/**
 * Exactly `incidents` incidents over exactly `rows` rows, seeded, in the shape of the public export
 * (and of libs/migration's fixtures): rows sorted by number then sys_mod_count; each row repeats
 * the incident's fields and its FINAL made_sla, resolved_at and closed_at; states go New → Active
 * (→ Awaiting … → Active) → Resolved → Closed, with reassignments between groups, a few priority
 * changes, reopened incidents (reopen_count rises on an Active row after a resolution), incidents
 * still open when the export was taken, sys_mod_count gaps, "?" for missing values, d/m/yyyy H:mm
 * dates from March 2016 to February 2017, and a few rows with the export's "-100" state.
 */
export async function generateServiceNowLog(
  dir: string,
  rows = UCI_ROWS,
  incidents = Math.round((rows * UCI_INCIDENTS) / UCI_ROWS),
  seed = 2016,
): Promise<string> {
  const file = `${dir}/servicenow-${GENERATOR_VERSION}-${seed}-${rows}.csv`;
  if (existsSync(file)) return file;
  const rng = new Random(seed);
  // Rows per incident: log-normal around the export's mean (5.7), at least 2, then nudged to the exact total.
  const counts = Array.from({ length: incidents }, () => Math.min(60, Math.max(2, Math.round(rng.logNormal(4.6, 0.55)))));
  let total = counts.reduce((a, b) => a + b, 0);
  while (total !== rows) {
    const i = rng.int(0, incidents - 1);
    const step = total < rows ? 1 : -1;
    const next = (counts[i] ?? 0) + step;
    if (next < 2 || next > 60) continue;
    counts[i] = next;
    total += step;
  }
  const tmp = `${file}.tmp`;
  const out = createWriteStream(tmp);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(stringify([[...SN_COLUMNS]]));
  const from = DateTime.fromISO('2016-02-29T00:00', { zone: ZONE }).toMillis();
  const span = DateTime.fromISO('2017-02-20T00:00', { zone: ZONE }).toMillis() - from;
  const date = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toFormat('d/M/yyyy HH:mm');
  let number = 0;
  for (const [i, count] of counts.entries()) {
    number += rng.int(1, 3);
    const lines = incidentRows(rng, `INC${String(number).padStart(7, '0')}`, from + Math.floor((i / incidents) * span) + rng.int(0, 6 * 60) * MIN, count, date);
    await write(stringify(lines.map((c) => SN_COLUMNS.map((k) => c[k]))));
  }
  out.end();
  await once(out, 'finish');
  renameSync(tmp, file);
  return file;
}

const PRIORITY = [
  ['3 - Moderate', 0.93],
  ['4 - Low', 0.03],
  ['2 - High', 0.03],
  ['1 - Critical', 0.01],
] as const;
const IMPACT = {
  '1 - Critical': ['1 - High', '1 - High'],
  '2 - High': ['1 - High', '2 - Medium'],
  '3 - Moderate': ['2 - Medium', '2 - Medium'],
  '4 - Low': ['3 - Low', '3 - Low'],
} as const;
const CONTACT = [
  ['Phone', 0.97],
  ['Self service', 0.01],
  ['Email', 0.01],
  ['IVR', 0.005],
  ['Direct opening', 0.005],
] as const;
const HOLDS = [
  ['Awaiting User Info', 0.6],
  ['Awaiting Vendor', 0.15],
  ['Awaiting Problem', 0.15],
  ['Awaiting Evidence', 0.1],
] as const;

/** The `count` rows of one incident's life. */
function incidentRows(rng: Random, number: string, openedAt: number, count: number, date: (ms: number) => string): Cells[] {
  // How it ends: most closed (resolved, then closed 5 days later); some only resolved; some still open.
  const drawn = rng.weighted([
    ['closed', 0.9],
    ['resolved', 0.05],
    ['open', 0.05],
  ] as const);
  const end = drawn === 'closed' && count < 3 ? 'resolved' : drawn; // two rows: New, Resolved
  const reopens = end !== 'open' && count >= 6 && rng.chance(0.08) ? rng.int(1, Math.min(2, Math.floor((count - 4) / 2))) : 0;
  let priority = rng.weighted(PRIORITY);
  const [impact, urgency] = IMPACT[priority];
  const group = () => `Group ${rng.int(1, 78)}`;
  const base = {
    number,
    caller_id: `Caller ${rng.int(1, 5200)}`,
    opened_by: `Opened by ${rng.int(1, 200)}`,
    opened_at: date(openedAt),
    sys_created_by: rng.chance(0.4) ? '?' : `Created by ${rng.int(1, 200)}`,
    sys_created_at: '',
    contact_type: rng.weighted(CONTACT),
    location: `Location ${rng.int(1, 225)}`,
    category: `Category ${rng.int(1, 58)}`,
    subcategory: `Subcategory ${rng.int(1, 254)}`,
    u_symptom: rng.chance(0.2) ? '?' : `Symptom ${rng.int(1, 525)}`,
    cmdb_ci: rng.chance(0.97) ? '?' : `Configuration item ${rng.int(1, 50)}`,
    impact,
    urgency,
    notify: 'Do Not Notify',
    problem_id: rng.chance(0.98) ? '?' : `Problem ID ${rng.int(1, 250)}`,
    rfc: '?',
    vendor: rng.chance(0.995) ? '?' : `Vendor ${rng.int(1, 3)}`,
    caused_by: '?',
    closed_code: `code ${rng.int(1, 17)}`,
    resolved_by: `Resolved by ${rng.int(1, 200)}`,
    knowledge: rng.chance(0.1) ? 'true' : 'false',
    u_priority_confirmation: rng.chance(0.3) ? 'true' : 'false',
  };
  base.sys_created_at = base.sys_created_by === '?' ? '?' : base.opened_at;
  // The states, row by row: New, then Active work (with holds), a resolution per cycle, a close.
  const tail: string[] = end === 'closed' ? ['Resolved', 'Closed'] : end === 'resolved' ? ['Resolved'] : [];
  const middle = count - 1 - tail.length;
  const states: string[] = ['New'];
  const reopenAt = new Set<number>();
  for (let r = 0; r < reopens; r++) reopenAt.add(2 + 2 * r); // ... Active, Resolved, Active(reopened) ...
  for (let k = 0; k < middle; k++) {
    if (reopenAt.has(k)) states.push('Active');
    else if (reopenAt.has(k + 1)) states.push('Resolved');
    else if (k > 0 && states[states.length - 1] === 'Active' && rng.chance(0.12)) states.push(rng.weighted(HOLDS));
    else states.push('Active');
  }
  states.push(...tail);
  // Times: a few minutes to days between updates; a close 5 days after the last resolution.
  const timeline: Array<{ state: string; at: number }> = [];
  let at = openedAt;
  for (const state of states) {
    const previous = timeline.at(-1);
    if (previous)
      at += (state === 'Closed' ? 5 * 24 * 60 : Math.max(1, Math.round(rng.logNormal(previous.state.startsWith('Awaiting') ? 600 : 90, 1.2)))) * MIN;
    timeline.push({ state, at });
  }
  const lastResolved = timeline[states.lastIndexOf('Resolved')];
  const resolvedAt = lastResolved ? date(lastResolved.at) : '?';
  const closedAt = end === 'closed' ? date(at) : '?';
  const madeSla = rng.chance(0.93);
  const breachesAt = madeSla ? Infinity : rng.int(1, states.length);
  let assignmentGroup = rng.chance(0.3) ? '?' : group();
  let assignedTo = '?';
  let reassignments = 0;
  let reopenCount = 0;
  let sysModCount = 0;
  return timeline.map(({ state, at: updatedAt }, k) => {
    if (k > 0) {
      sysModCount += rng.chance(0.15) ? rng.int(2, 4) : 1;
      if (state === 'Active' && states[k - 1] === 'Resolved') reopenCount++;
      if (assignmentGroup === '?') assignmentGroup = group();
      else if (state === 'Active' && rng.chance(0.15)) {
        assignmentGroup = group();
        reassignments++;
      }
      if (assignedTo === '?' || (state === 'Active' && rng.chance(0.1))) assignedTo = `Resolver ${rng.int(1, 234)}`;
      if (state === 'Active' && rng.chance(0.01)) priority = rng.weighted(PRIORITY);
    }
    const closedOrResolved = state === 'Resolved' || state === 'Closed';
    return {
      ...base,
      incident_state: k > 0 && rng.chance(0.0005) ? '-100' : state,
      active: closedOrResolved ? 'false' : 'true',
      reassignment_count: String(reassignments),
      reopen_count: String(reopenCount),
      sys_mod_count: String(sysModCount),
      made_sla: k >= breachesAt ? 'false' : 'true',
      sys_updated_by: `Updated by ${rng.int(1, 200)}`,
      sys_updated_at: date(updatedAt),
      priority,
      assignment_group: assignmentGroup,
      assigned_to: assignedTo,
      resolved_at: resolvedAt,
      closed_at: closedAt,
    };
  });
}

/** RSS at 25, 50, 75 and 100% of the rows: flat memory shows as four close figures. */
type RssSamples = Record<'25%' | '50%' | '75%' | '100%', number>;
const mb = () => round(process.memoryUsage().rss / 2 ** 20);
function sampler(total: number) {
  const samples: Partial<RssSamples> = {};
  return {
    at(done: number) {
      for (const p of [25, 50, 75, 100] as const) if (done >= (total * p) / 100 && samples[`${p}%`] === undefined) samples[`${p}%`] = mb();
    },
    samples: () => samples as RssSamples,
  };
}

export interface ImportRun {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  rss: RssSamples;
  summary?: object;
}

/** The limit: the same file through csv-parse alone (same options as the importer), counting rows. */
async function bareParse(file: string, rows: number): Promise<ImportRun> {
  const rss = sampler(rows);
  const start = now();
  let n = 0;
  const parser = createReadStream(file).pipe(parse({ columns: true, skip_empty_lines: true, relax_column_count: true, trim: true, bom: true, info: true }));
  for await (const record of parser) {
    if (record) rss.at(++n);
  }
  const seconds = (now() - start) / 1000;
  return { rows: n, seconds: round(seconds, 2), rowsPerSecond: Math.round(n / seconds), peakRssMb: peakRssMb(), rss: rss.samples() };
}

/** The import into a fresh SQLite store holding the tenant and an SLA policy in force since 2010. */
async function importRun(file: string, rows: number, storeFile: string): Promise<ImportRun> {
  rmSync(storeFile, { force: true });
  const store = new SqliteEventStore({ filename: storeFile });
  const tenant = {
    tenantId: TENANT,
    name: 'ServiceNow migrant',
    timeZone: ZONE,
    priorityMatrix: [
      ['P1', 'P2', 'P3'],
      ['P2', 'P3', 'P4'],
      ['P3', 'P4', 'P4'],
    ] as never,
    autoCloseDays: 5,
    reopenWindowDays: 10,
  };
  await loadCatalogue(
    store,
    { tenants: [tenant], suppliers: [], services: [], groups: [], policies: [sharedIct2019(TENANT, '2010-01-01T00:00:00Z')] },
    new Date('2010-01-01T00:00:00Z'),
  );
  const rss = sampler(rows);
  const start = now();
  const summary = await importServiceNowLog(store, () => createReadStream(file), {
    tenantId: TENANT,
    sourceName: 'servicenow.csv',
    now: () => new Date(),
    onProgress: (s) => rss.at(s.rows),
  });
  const seconds = (now() - start) / 1000;
  await store.close();
  rmSync(storeFile, { force: true });
  rmSync(`${storeFile}-wal`, { force: true });
  rmSync(`${storeFile}-shm`, { force: true });
  const { problems, ...counts } = summary;
  return {
    rows: summary.rows,
    seconds: round(seconds, 1),
    rowsPerSecond: Math.round(summary.rows / seconds),
    peakRssMb: peakRssMb(),
    rss: rss.samples(),
    summary: { ...counts, firstProblems: problems.slice(0, 3) },
  };
}

/** One measurement in a process of its own, so its peak memory is its own. */
function inProcess(role: 'import' | 'parse', file: string, rows: number, storeFile: string): Promise<ImportRun> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--servicenow-import-process', role, file, String(rows), storeFile], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve(m as ImportRun));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`${role} process exited with ${code}`)));
  });
}

/**
 * The ServiceNow import of a file the size and shape of the public incident event log (generated:
 * the real file cannot be fetched here), beside its limit in the same run: the bare csv-parse of
 * the same file. Each runs in its own process; RSS is sampled at 25/50/75/100% of the rows.
 */
export async function benchImport(dir: string, rows = UCI_ROWS) {
  const file = await generateServiceNowLog(dir, rows);
  const storeFile = `${dir}/import-bench.sqlite`;
  const parseBefore = await inProcess('parse', file, rows, storeFile);
  const imported = await inProcess('import', file, rows, storeFile);
  const parseAfter = await inProcess('parse', file, rows, storeFile);
  const bare = parseBefore.rowsPerSecond >= parseAfter.rowsPerSecond ? parseBefore : parseAfter;
  return {
    file: { rows, incidents: Math.round((rows * UCI_INCIDENTS) / UCI_ROWS), columns: SN_COLUMNS.length, megabytes: round(statSync(file).size / 2 ** 20) },
    import: imported,
    bareCsvParse: { ...bare, runs: [parseBefore.rowsPerSecond, parseAfter.rowsPerSecond] },
    ratioToBareParse: round(imported.rowsPerSecond / bare.rowsPerSecond, 3),
    peakRssMb: imported.peakRssMb,
  };
}

if (require.main === module && process.argv[2] === '--servicenow-import-process') {
  const [, , , role, file, rows, storeFile] = process.argv;
  if (file === undefined || storeFile === undefined)
    throw new Error('usage: import.bench.js --servicenow-import-process <parse|import> <file> <rows> <store file>');
  (role === 'parse' ? bareParse(file, Number(rows)) : importRun(file, Number(rows), storeFile)).then(
    (r) => {
      if (!process.send) return console.log(JSON.stringify(r)); // run by hand (e.g. under --cpu-prof)
      process.send(r);
      process.disconnect();
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
} else if (require.main === module) {
  // `node dist/bench/import.bench.js [rows]`: this section alone.
  benchImport(`${__dirname}/../../bench/.data`, Number(process.argv[2] ?? UCI_ROWS)).then(
    (r) => console.log(JSON.stringify(r)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
