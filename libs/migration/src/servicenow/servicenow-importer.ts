import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { DateTime } from 'luxon';
import { CatalogueRepository, executeCatalogueCommand, SlaPolicyRepository, TicketService } from '@itsm/application';
import { DomainError, FUTURE_TOLERANCE_MS, invalid, versionInForce, type Tenant } from '@itsm/domain';
import { AuditCheckpointer } from '@itsm/event-audit';
import { systemCommand, type EventStore } from '@itsm/event-store';
import { entriesFor, translateIncident, type NeededEntry } from './incident-translator';
import { BadRowError, parseSnRow, type IncidentRows, type SnRow } from './servicenow-row';

export interface ImportProblem {
  line: number;
  number?: string;
  reason: string;
}

export interface ServiceNowImportSummary {
  rows: number;
  incidents: number;
  commands: { appended: number; alreadyImported: number; refused: number };
  events: number;
  rowsSkipped: Record<string, number>;
  commandsRefused: Record<string, number>;
  /** The first problems, each with its line: a bad row is reported, never silently dropped. */
  problems: ImportProblem[];
  /** Whether an SLA policy had to be in force from the start of the history, and how it went. */
  sla: ServiceNowImportSla;
}

export interface ServiceNowImportSla {
  /** True: the history had to start within the tenant's SLA policies (it did, or nothing was imported); false: --no-sla. */
  required: boolean;
  /** The earliest opened_at of the incidents read, and that incident (null: none read). */
  historyStartsAt: string | null;
  firstIncident: string | null;
  /** When the tenant's earliest SLA policy version comes into force (null: it has none). */
  earliestPolicyFrom: string | null;
  /** Incidents raised (now or by an earlier run) before any policy was in force: they carry no SLA (only with --no-sla). */
  incidentsWithoutPolicy: number;
}

/** The import was refused before anything was written: the history starts before any SLA policy of the tenant. */
export class ImportRefusedError extends Error {
  readonly code = 'IMPORT.HISTORY_BEFORE_SLA_POLICY';
  constructor(
    message: string,
    readonly firstIncident: { number: string; openedAt: string },
    readonly earliestPolicyFrom: string | null,
  ) {
    super(message);
    this.name = 'ImportRefusedError';
  }
}

export interface ServiceNowImportOptions {
  tenantId: string;
  /** The file's name, kept in every event's metadata with the row. */
  sourceName: string;
  /**
   * The import's clock: every event is recorded (metadata.recordedAt) when the import appends it,
   * while its occurredAt stays the source's time. The CLI passes the wall clock; tests pin it.
   */
  now: () => Date;
  /**
   * Accept a history that starts before the tenant's earliest SLA policy: the incidents raised
   * before any policy is in force carry no SLA (no clocks, no breaches). Without it such an import
   * is refused before anything is written.
   */
  noSla?: boolean;
  onProgress?: (summary: ServiceNowImportSummary) => void;
  maxProblems?: number;
}

/**
 * Imports a ServiceNow incident event-log export (one row per update) as ticket history, through
 * the ticket command path with each command decided at its row's time, so every invariant holds and
 * the SLA clocks run as they would have, and recorded at the import's time. Streams the file with
 * constant memory (an incident's rows must be contiguous, as in the export; up to LANES incidents
 * are held at once, importing side by side so the store commits their appends together; problems
 * are reported as a one-at-a-time import meets them), is idempotent (command
 * ids derive from the incident, its sys_mod_count and the command's place), and so resumes after an
 * interruption by running again. `open` is called once more first (unless noSla) to find where the
 * history starts: before the tenant's earliest SLA policy, the import is refused (ImportRefusedError).
 */
export async function importServiceNowLog(store: EventStore, open: () => Readable, options: ServiceNowImportOptions): Promise<ServiceNowImportSummary> {
  const summary: ServiceNowImportSummary = {
    rows: 0,
    incidents: 0,
    commands: { appended: 0, alreadyImported: 0, refused: 0 },
    events: 0,
    rowsSkipped: {},
    commandsRefused: {},
    problems: [],
    sla: { required: !options.noSla, historyStartsAt: null, firstIncident: null, earliestPolicyFrom: null, incidentsWithoutPolicy: 0 },
  };
  // The first problems in the order a one-at-a-time import meets them (see ProblemLog), with every one counted.
  const problems = new ProblemLog(options.maxProblems ?? 50);
  const problem = (p: ImportProblem, bucket: Record<string, number>, key: string, at: ProblemPlace) => {
    bucket[key] = (bucket[key] ?? 0) + 1;
    problems.add(p, at);
    summary.problems = problems.list();
  };
  const tenant = await tenantOf(store, options.tenantId);
  const zone = tenant.timeZone;
  const policies = (await new SlaPolicyRepository(store).load(options.tenantId)).state;
  const earliestPolicyFrom = policies.versions.map((v) => v.effectiveFrom).sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  summary.sla.earliestPolicyFrom = earliestPolicyFrom ?? null;
  if (!options.noSla) {
    const start = await historyStart(open(), zone);
    if (start && (earliestPolicyFrom === undefined || start.openedAt < Date.parse(earliestPolicyFrom))) {
      const when = `${DateTime.fromMillis(start.openedAt, { zone }).toFormat('yyyy-MM-dd HH:mm')} (${zone}; ${start.number} opened)`;
      const first = { number: start.number, openedAt: new Date(start.openedAt).toISOString() };
      throw earliestPolicyFrom === undefined
        ? new ImportRefusedError(`${options.tenantId} has no SLA policy: define one in force by ${when}, or import with --no-sla`, first, null)
        : new ImportRefusedError(
            `${options.tenantId}'s history starts on ${when}, before its earliest SLA policy (in force from ${earliestPolicyFrom}): define a policy in force by then, or import with --no-sla (incidents raised before any policy then carry no SLA)`,
            first,
            earliestPolicyFrom,
          );
    }
  }
  const done = new Set<string>();
  const registerEntries = catalogueRegistrar(store, options);

  // Incidents import side by side in lanes, so their appends share the store's group commits; an
  // incident's own commands go one after the other. Each lane decides with a clock of its own: a
  // command is decided at its row's time (the SLA facts it calls for are those due by then, as the
  // SLA timer would have recorded them) and recorded at the import's (options.now).
  const lanes = Array.from({ length: LANES }, () => {
    const clock = { at: 0, now: () => new Date(clock.at) };
    return { clock, tickets: new TicketService(store, clock, { now: options.now }) };
  });
  const idle = [...lanes];
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  /** Waits for every lane; the first unexpected error (not a refusal, which is reported) then ends the import. */
  const drain = async () => {
    await Promise.all(inFlight);
    if (failure) throw failure.error;
  };

  const importIncident = async (lane: (typeof lanes)[number], rows: IncidentRows, number: string, withoutPolicy: boolean, place: ProblemPlace) => {
    const { clock, tickets } = lane;
    await registerEntries(entriesFor(rows), rows[0].openedAt);
    for (const c of translateIncident(options.tenantId, rows)) {
      const commandId = `servicenow/${options.tenantId}/${number}/${c.row.sysModCount}/${c.index}`;
      try {
        // Decided at its row's time, a fact is never "in the future" to the decider: the import's own time is the limit.
        if (c.at > options.now().getTime() + FUTURE_TOLERANCE_MS)
          throw invalid('TICKET.OCCURRED_IN_FUTURE', 'occurredAt must not be after the import runs', 'occurredAt');
        clock.at = c.at;
        const result = await tickets.execute(options.tenantId, number, c.command, {
          metadata: {
            commandId,
            actor: 'import:servicenow',
            tenantId: options.tenantId,
            correlationId: `servicenow/${number}`,
            causationId: commandId,
            requestHash: createHash('sha256').update(JSON.stringify(c.command)).digest('hex'),
            source: {
              system: 'servicenow',
              file: options.sourceName,
              line: c.row.line,
              number,
              sysModCount: c.row.sysModCount,
              state: c.row.state,
              madeSla: c.row.madeSla,
            },
          },
        });
        if (c.command.type === 'RaiseTicket' && withoutPolicy) summary.sla.incidentsWithoutPolicy++;
        if (result.replayed) summary.commands.alreadyImported++;
        else {
          summary.commands.appended++;
          summary.events += result.events.length;
        }
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        summary.commands.refused++;
        problem({ line: c.row.line, number, reason: `${c.command.type} refused: ${error.code}: ${error.message}` }, summary.commandsRefused, error.code, place);
        if (c.command.type === 'RaiseTicket') return; // nothing else of this incident can land
      }
    }
  };

  /** Takes the incident's rows in file order: what a one-at-a-time import decides up front is decided here, then its commands go to a free lane. */
  const dispatch = async (rows: IncidentRows, place: ProblemPlace) => {
    const number = rows[0].number;
    if (done.has(number)) {
      for (const r of rows)
        problem(
          { line: r.line, number, reason: `the rows of ${number} are not together: sort the file by number, sys_mod_count` },
          summary.rowsSkipped,
          'incident rows not contiguous',
          place,
        );
      return;
    }
    done.add(number);
    summary.incidents++;
    rows.sort((a, b) => a.sysModCount - b.sysModCount || a.updatedAt - b.updatedAt || a.line - b.line);
    const openedAt = rows[0].openedAt;
    if (summary.sla.historyStartsAt === null || openedAt < Date.parse(summary.sla.historyStartsAt)) {
      summary.sla.historyStartsAt = new Date(openedAt).toISOString();
      summary.sla.firstIncident = number;
    }
    const withoutPolicy = !versionInForce(policies, openedAt);
    while (idle.length === 0) await Promise.race(inFlight);
    if (failure) await drain();
    const lane = idle.pop()!;
    const work = importIncident(lane, rows, number, withoutPolicy, place)
      .catch((error: unknown) => void (failure ??= { error }))
      .finally(() => {
        idle.push(lane);
        inFlight.delete(work);
      });
    inFlight.add(work);
  };

  // Audit checkpoints are recorded as the import goes (and at its end), as the API records them.
  const checkpointer = new AuditCheckpointer(store, { now: options.now });
  let group: IncidentRows | undefined;
  let dispatched = 0;
  for await (const { record, info } of records(open())) {
    summary.rows++;
    const line = info.lines;
    let row: SnRow;
    try {
      row = parseSnRow(record, line, zone);
    } catch (error) {
      if (!(error instanceof BadRowError)) throw error;
      problem({ line, number: record.number, reason: error.message }, summary.rowsSkipped, `bad ${error.field}`, { incident: dispatched, after: false });
      continue;
    }
    if (group && group[0].number !== row.number) {
      await dispatch(group, { incident: dispatched++, after: true });
      group = undefined;
      if (summary.incidents % 100 === 0) {
        options.onProgress?.(summary);
        await checkpointer.checkpoint(); // as it goes: a later edit is located within ~100 incidents
      }
    }
    if (group) group.push(row);
    else group = [row];
  }
  if (group) await dispatch(group, { incident: dispatched++, after: true });
  await drain();
  await checkpointer.checkpoint();
  options.onProgress?.(summary);
  return summary;
}

type CsvRecord = { record: Record<string, string>; info: { lines: number } };

/** The file's records, each with its line (info: the parser reads ahead of the loop). */
const records = (input: Readable) =>
  input.pipe(
    parse({ columns: true, skip_empty_lines: true, relax_column_count: true, trim: true, bom: true, info: true }),
  ) as unknown as AsyncIterable<CsvRecord>;

/** The incident opened first among the readable rows (a row the import would skip does not count). */
async function historyStart(input: Readable, zone: string): Promise<{ number: string; openedAt: number } | undefined> {
  let start: { number: string; openedAt: number } | undefined;
  for await (const { record, info } of records(input)) {
    let row: SnRow;
    try {
      row = parseSnRow(record, info.lines, zone);
    } catch (error) {
      if (error instanceof BadRowError) continue;
      throw error;
    }
    if (!start || row.openedAt < start.openedAt) start = { number: row.number, openedAt: row.openedAt };
  }
  return start;
}

async function tenantOf(store: EventStore, tenantId: string): Promise<Tenant> {
  const tenant = await new CatalogueRepository(store).value<Tenant>('Tenant', tenantId);
  if (!tenant) throw new Error(`tenant ${tenantId} is not registered: register it (and its SLA policy) first`);
  return tenant;
}

/** Incidents importing at once: enough for the store to commit many appends together, few enough to keep memory flat. */
const LANES = 32;

/**
 * Where a problem falls in the order a one-at-a-time import meets them: a bad row before the
 * `incident`-th incident is handed over (after: false), or a problem of that incident (after: true).
 */
interface ProblemPlace {
  incident: number;
  after: boolean;
}

/** The first `max` problems by place, whatever order the lanes report them in. */
class ProblemLog {
  private readonly kept: Array<{ problem: ImportProblem; at: ProblemPlace; seq: number }> = [];
  private seq = 0;
  constructor(private readonly max: number) {}

  add(problem: ImportProblem, at: ProblemPlace): void {
    const entry = { problem, at, seq: this.seq++ };
    const before = (x: typeof entry, y: typeof entry) => x.at.incident - y.at.incident || Number(x.at.after) - Number(y.at.after) || x.seq - y.seq;
    // Walk back past the kept problems that come after this one.
    let i = this.kept.length;
    for (let previous = this.kept[i - 1]; previous && before(entry, previous) < 0; previous = this.kept[i - 1]) i--;
    if (i >= this.max) return;
    this.kept.splice(i, 0, entry);
    if (this.kept.length > this.max) this.kept.pop();
  }

  list(): ImportProblem[] {
    return this.kept.map((k) => k.problem);
  }
}

/**
 * Registers, once per import, each catalogue entry the incidents name (a category as a service, a
 * group as a resolver group, a vendor as a supplier), dated at the first incident naming it. The one
 * place the importer writes to the catalogue; lanes needing an entry at once wait for one write.
 */
function catalogueRegistrar(store: EventStore, options: ServiceNowImportOptions): (entries: NeededEntry[], at: number) => Promise<void> {
  const registered = new Map<string, Promise<void>>();
  const register = async (e: NeededEntry, at: number) => {
    const key = `${e.kind}:${e.id}`;
    const value =
      e.kind === 'Service'
        ? { serviceId: e.id, name: e.name, tenantIds: [options.tenantId], critical: false, ownership: 'it_owned', availabilityTargetPct: 99 }
        : e.kind === 'ResolverGroup'
          ? { groupId: e.id, name: e.name, tenantIds: [options.tenantId], serviceDesk: false }
          : { supplierId: e.id, name: e.name, targets: { firstTimeFixPct: 95, uptimePct: 97, meanResponseMinutes: 240 } };
    const commandId = `servicenow/${options.tenantId}/catalogue/${key}`;
    await executeCatalogueCommand(
      store,
      { kind: e.kind, id: e.id, action: 'ensure', value },
      systemCommand(commandId, 'import:servicenow', e.kind === 'Supplier' ? '*' : options.tenantId),
      () => new Date(at),
      undefined,
      options.now,
    );
  };
  // Claimed at once, in the order incidents are handed over: an entry is dated by the first incident naming it.
  return async (entries, at) => {
    const writes = entries.map((e) => {
      const key = `${e.kind}:${e.id}`;
      let done = registered.get(key);
      if (!done) registered.set(key, (done = register(e, at)));
      return done;
    });
    await Promise.all(writes);
  };
}
