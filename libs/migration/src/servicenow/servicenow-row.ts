import { DateTime } from 'luxon';

/** The incident states of the ServiceNow event-log export. */
export const SN_STATES = ['New', 'Active', 'Awaiting User Info', 'Awaiting Problem', 'Awaiting Vendor', 'Awaiting Evidence', 'Resolved', 'Closed'] as const;
export type SnState = (typeof SN_STATES)[number];

/** One update of one incident, as the export gives it, with its values parsed. */
export interface SnRow {
  /** Line of the file (1 = the header). */
  line: number;
  number: string;
  state: SnState;
  active: boolean;
  reassignmentCount: number;
  reopenCount: number;
  sysModCount: number;
  madeSla: boolean | null;
  caller: string | null;
  openedAt: number;
  updatedAt: number;
  contactType: string | null;
  location: string | null;
  category: string | null;
  subcategory: string | null;
  symptom: string | null;
  impact: number | null;
  urgency: number | null;
  priority: 'P1' | 'P2' | 'P3' | 'P4';
  assignmentGroup: string | null;
  assignedTo: string | null;
  vendor: string | null;
  closedCode: string | null;
  resolvedBy: string | null;
  resolvedAt: number | null;
  closedAt: number | null;
}

/** The rows of one incident: never empty, as an incident is known by its rows. */
export type IncidentRows = [SnRow, ...SnRow[]];

/** A row that could not be read, and why: reported, never silently dropped. */
export class BadRowError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

const missing = (v: string | undefined) => v === undefined || v.trim() === '' || v.trim() === '?';
const text = (v: string | undefined) => (missing(v) ? null : v!.trim());

/** "dd-mm-yyyy hh:mm" or "d/m/yyyy hh:mm" (seconds optional), read in the tenant's zone. */
export function parseSnDate(value: string | undefined, field: string, zone: string, required: true): number;
export function parseSnDate(value: string | undefined, field: string, zone: string, required?: false): number | null;
export function parseSnDate(value: string | undefined, field: string, zone: string, required = false): number | null {
  if (missing(value)) {
    if (required) throw new BadRowError(field, 'is missing');
    return null;
  }
  const v = value!.trim();
  const key = `${zone}|${v}`;
  let at = parsedDates.get(key);
  if (at === undefined) {
    at = readDate(v, zone);
    if (parsedDates.size >= 20_000) parsedDates.clear(); // bounded: an export repeats an incident's dates on each of its rows
    parsedDates.set(key, at);
  }
  if (at === null) throw new BadRowError(field, `"${v}" is not a date (dd-mm-yyyy hh:mm or d/m/yyyy hh:mm)`);
  return at;
}

const DATE_FORMATS = ['d-M-yyyy H:mm', 'd-M-yyyy H:mm:ss', 'd/M/yyyy H:mm', 'd/M/yyyy H:mm:ss'] as const;
/** The format that read the last date, tried first: an export uses one throughout (the formats exclude each other, so the order tried does not matter). */
let lastFormat: (typeof DATE_FORMATS)[number] = DATE_FORMATS[0];
const parsedDates = new Map<string, number | null>();

function readDate(v: string, zone: string): number | null {
  for (const format of [lastFormat, ...DATE_FORMATS.filter((f) => f !== lastFormat)]) {
    const d = DateTime.fromFormat(v, format, { zone });
    if (d.isValid) {
      lastFormat = format;
      return d.toMillis();
    }
  }
  return null;
}

function bool(value: string | undefined, field: string, required: boolean): boolean | null {
  if (missing(value)) {
    if (required) throw new BadRowError(field, 'is missing');
    return null;
  }
  const v = value!.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new BadRowError(field, `"${value}" is not TRUE or FALSE`);
}

function count(value: string | undefined, field: string): number {
  if (missing(value)) return 0;
  const n = Number(value!.trim());
  if (!Number.isInteger(n) || n < 0) throw new BadRowError(field, `"${value}" is not a count`);
  return n;
}

/** "1 - High" → 1. */
function level(value: string | undefined, field: string): number | null {
  if (missing(value)) return null;
  const m = /^([1-3])\s*-/.exec(value!.trim());
  if (!m) throw new BadRowError(field, `"${value}" is not "1 - High", "2 - Medium" or "3 - Low"`);
  return Number(m[1]);
}

const PRIORITIES: Record<string, SnRow['priority']> = { '1': 'P1', '2': 'P2', '3': 'P3', '4': 'P4' };

/** Parses one CSV record (column name → cell); throws BadRowError naming the field. */
export function parseSnRow(record: Record<string, string>, line: number, zone: string): SnRow {
  const number = text(record.number);
  if (!number) throw new BadRowError('number', 'is missing');
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(number)) throw new BadRowError('number', `"${number}" is not an incident number`);
  const state = text(record.incident_state) as SnState | null;
  if (!state || !SN_STATES.includes(state)) throw new BadRowError('incident_state', `"${record.incident_state}" is not one of ${SN_STATES.join(', ')}`);
  const priority = PRIORITIES[/^([1-4])\s*-/.exec(record.priority?.trim() ?? '')?.[1] ?? ''];
  if (!priority) throw new BadRowError('priority', `"${record.priority}" is not "1 - Critical" … "4 - Low"`);
  return {
    line,
    number,
    state,
    active: bool(record.active, 'active', false) ?? (state !== 'Resolved' && state !== 'Closed'),
    reassignmentCount: count(record.reassignment_count, 'reassignment_count'),
    reopenCount: count(record.reopen_count, 'reopen_count'),
    sysModCount: count(record.sys_mod_count, 'sys_mod_count'),
    madeSla: bool(record.made_sla, 'made_sla', false),
    caller: text(record.caller_id),
    openedAt: parseSnDate(record.opened_at, 'opened_at', zone, true),
    updatedAt: parseSnDate(record.sys_updated_at, 'sys_updated_at', zone) ?? parseSnDate(record.opened_at, 'opened_at', zone, true),
    contactType: text(record.contact_type),
    location: text(record.location),
    category: text(record.category),
    subcategory: text(record.subcategory),
    symptom: text(record.u_symptom),
    impact: level(record.impact, 'impact'),
    urgency: level(record.urgency, 'urgency'),
    priority,
    assignmentGroup: text(record.assignment_group),
    assignedTo: text(record.assigned_to),
    vendor: text(record.vendor),
    closedCode: text(record.closed_code),
    resolvedBy: text(record.resolved_by),
    resolvedAt: parseSnDate(record.resolved_at, 'resolved_at', zone),
    closedAt: parseSnDate(record.closed_at, 'closed_at', zone),
  };
}
