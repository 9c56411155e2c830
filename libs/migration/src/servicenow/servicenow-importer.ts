import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { CatalogueRepository, executeCatalogueCommand, TicketService } from '@itsm/application';
import { DomainError, type Tenant } from '@itsm/domain';
import { AuditCheckpointer, systemCommand, type EventStore } from '@itsm/event-store';
import { entriesFor, translateIncident, type NeededEntry } from './incident-translator';
import { BadRowError, parseSnRow, type SnRow } from './servicenow-row';

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
}

export interface ServiceNowImportOptions {
  tenantId: string;
  /** The file's name, kept in every event's metadata with the row. */
  sourceName: string;
  onProgress?: (summary: ServiceNowImportSummary) => void;
  maxProblems?: number;
}

/**
 * Imports a ServiceNow incident event-log export (one row per update) as ticket history, through
 * the ticket command path with each command at its row's time, so every invariant holds and the
 * SLA clocks run as they would have. Streams the file with constant memory (an incident's rows
 * must be contiguous, as in the export), is idempotent (command ids derive from the incident, its
 * sys_mod_count and the command's place), and so resumes after an interruption by running again.
 */
export async function importServiceNowLog(store: EventStore, input: Readable, options: ServiceNowImportOptions): Promise<ServiceNowImportSummary> {
  const summary: ServiceNowImportSummary = { rows: 0, incidents: 0, commands: { appended: 0, alreadyImported: 0, refused: 0 }, events: 0, rowsSkipped: {}, commandsRefused: {}, problems: [] };
  const maxProblems = options.maxProblems ?? 50;
  const problem = (p: ImportProblem, bucket: Record<string, number>, key: string) => {
    bucket[key] = (bucket[key] ?? 0) + 1;
    if (summary.problems.length < maxProblems) summary.problems.push(p);
  };
  const tenant = await tenantOf(store, options.tenantId);
  const zone = tenant.timeZone;
  const clock = { at: 0, now: () => new Date(clock.at) };
  const tickets = new TicketService(store, clock);
  const registered = new Set<string>();
  const done = new Set<string>();

  const ensure = async (entries: NeededEntry[], at: number) => {
    for (const e of entries) {
      const key = `${e.kind}:${e.id}`;
      if (registered.has(key)) continue;
      const value =
        e.kind === 'Service'
          ? { serviceId: e.id, name: e.name, tenantIds: [options.tenantId], critical: false, ownership: 'it_owned', availabilityTargetPct: 99 }
          : e.kind === 'ResolverGroup'
            ? { groupId: e.id, name: e.name, tenantIds: [options.tenantId], serviceDesk: false }
            : { supplierId: e.id, name: e.name, targets: { firstTimeFixPct: 95, uptimePct: 97, meanResponseMinutes: 240 } };
      const commandId = `servicenow/${options.tenantId}/catalogue/${key}`;
      await executeCatalogueCommand(store, { kind: e.kind, id: e.id, action: 'ensure', value }, systemCommand(commandId, 'import:servicenow', e.kind === 'Supplier' ? '*' : options.tenantId), () => new Date(at));
      registered.add(key);
    }
  };

  // Audit checkpoints are recorded as the import goes (and at its end), as the API records them.
  const checkpointer = new AuditCheckpointer(store);
  const importIncident = async (rows: SnRow[]) => {
    const number = rows[0].number;
    if (done.has(number)) {
      for (const r of rows) problem({ line: r.line, number, reason: `the rows of ${number} are not together: sort the file by number, sys_mod_count` }, summary.rowsSkipped, 'incident rows not contiguous');
      return;
    }
    done.add(number);
    summary.incidents++;
    rows.sort((a, b) => a.sysModCount - b.sysModCount || a.updatedAt - b.updatedAt || a.line - b.line);
    await ensure(entriesFor(rows), rows[0].openedAt);
    for (const c of translateIncident(options.tenantId, rows)) {
      clock.at = c.at;
      const commandId = `servicenow/${options.tenantId}/${number}/${c.row.sysModCount}/${c.index}`;
      try {
        const result = await tickets.execute(options.tenantId, number, c.command, {
          metadata: {
            commandId,
            actor: 'import:servicenow',
            tenantId: options.tenantId,
            correlationId: `servicenow/${number}`,
            causationId: commandId,
            requestHash: createHash('sha256').update(JSON.stringify(c.command)).digest('hex'),
            source: { system: 'servicenow', file: options.sourceName, line: c.row.line, number, sysModCount: c.row.sysModCount, state: c.row.state, madeSla: c.row.madeSla },
          },
        });
        if (result.replayed) summary.commands.alreadyImported++;
        else {
          summary.commands.appended++;
          summary.events += result.events.length;
        }
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        summary.commands.refused++;
        problem({ line: c.row.line, number, reason: `${c.command.type} refused: ${error.code}: ${error.message}` }, summary.commandsRefused, error.code);
        if (c.command.type === 'RaiseTicket') return; // nothing else of this incident can land
      }
    }
  };

  let group: SnRow[] = [];
  // info: each record comes with its own line number (the parser reads ahead of the loop).
  const parser = input.pipe(parse({ columns: true, skip_empty_lines: true, relax_column_count: true, trim: true, bom: true, info: true }));
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    summary.rows++;
    const line = info.lines;
    let row: SnRow;
    try {
      row = parseSnRow(record, line, zone);
    } catch (error) {
      if (!(error instanceof BadRowError)) throw error;
      problem({ line, number: record.number, reason: error.message }, summary.rowsSkipped, `bad ${error.field}`);
      continue;
    }
    if (group.length && group[0].number !== row.number) {
      await importIncident(group);
      group = [];
      if (summary.incidents % 100 === 0) {
        options.onProgress?.(summary);
        await checkpointer.checkpoint(); // as it goes: a later edit is located within ~100 incidents
      }
    }
    group.push(row);
  }
  if (group.length) await importIncident(group);
  await checkpointer.checkpoint();
  options.onProgress?.(summary);
  return summary;
}

async function tenantOf(store: EventStore, tenantId: string): Promise<Tenant> {
  const tenant = await new CatalogueRepository(store).value<Tenant>('Tenant', tenantId);
  if (!tenant) throw new Error(`tenant ${tenantId} is not registered: register it (and its SLA policy) first`);
  return tenant;
}
