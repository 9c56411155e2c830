import type { Channel, HoldReason, TicketCommand } from '@itsm/domain';
import type { IncidentRows, SnRow } from './servicenow-row';

/** A catalogue entry the import needs (a category becomes a service, a group a resolver group, a vendor a supplier). */
export interface NeededEntry {
  kind: 'Service' | 'ResolverGroup' | 'Supplier';
  id: string;
  name: string;
}

/** One ticket command derived from the export, with the row it came from. */
export interface TranslatedCommand {
  at: number;
  row: SnRow;
  /** Its place among the commands of its row: with the row's sys_mod_count, a stable command id. */
  index: number;
  command: TicketCommand;
}

const HOLD: Record<string, HoldReason> = {
  'Awaiting User Info': 'awaiting_customer',
  'Awaiting Evidence': 'awaiting_customer',
  'Awaiting Vendor': 'awaiting_supplier',
  'Awaiting Problem': 'awaiting_problem',
};
const CHANNELS: Record<string, Channel> = {
  phone: 'phone',
  email: 'email',
  'self service': 'portal',
  'walk in': 'walk_in',
  ivr: 'phone',
  'direct opening': 'portal',
};

/** "Category 55" → "sn-category-55": ids this system accepts, the same on every run. */
export const snId = (value: string) =>
  `sn-${
    value
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 58) || 'none'
  }`;
export const UNASSIGNED_GROUP = 'sn-unassigned';

export const serviceOf = (row: SnRow): NeededEntry => ({
  kind: 'Service',
  id: snId(row.category ?? 'uncategorised'),
  name: row.category ?? 'Uncategorised (ServiceNow)',
});
export const groupOf = (row: SnRow): NeededEntry =>
  row.assignmentGroup
    ? { kind: 'ResolverGroup', id: snId(row.assignmentGroup), name: row.assignmentGroup }
    : { kind: 'ResolverGroup', id: UNASSIGNED_GROUP, name: 'Unassigned (ServiceNow)' };
export const supplierOf = (row: SnRow): NeededEntry | undefined => (row.vendor ? { kind: 'Supplier', id: snId(row.vendor), name: row.vendor } : undefined);

/**
 * When a resolution or close happened, seen at the row whose state became Resolved or Closed. The
 * export repeats the incident's FINAL resolved_at and closed_at on every row, so the value dates
 * this transition only when the rows agree with it: at or after the row before (still not resolved
 * or closed there) and at or before `latest`. For the final resolution `latest` is the row that
 * closed the incident (or the last row), as ServiceNow may stamp resolved_at at a later save of the
 * resolved incident; for the final close, the last row; for an earlier resolution or close of a
 * reopened incident, this row itself, so the final value never lands on it. Otherwise the
 * transition is dated at this row's sys_updated_at.
 */
export function transitionTime(value: number | null, previousRowAt: number, latest: number, rowAt: number): number {
  return value !== null && value >= previousRowAt && value <= latest ? value : rowAt;
}

/**
 * The life of one incident from its rows (sorted by sys_mod_count): raised at opened_at; assigned
 * when the group changes; priority changes; on hold in the Awaiting states and resumed on leaving
 * them; responded once someone works on it; resolved and closed at the row whose state becomes
 * Resolved or Closed (see `transitionTime`); reopened when reopen_count rises. Times never go back:
 * a row dated before the previous fact is taken at that fact's time.
 */
export function translateIncident(tenantId: string, rows: IncidentRows): TranslatedCommand[] {
  const out: TranslatedCommand[] = [];
  const first = rows[0];
  let last = first.openedAt;
  let index = 0;
  let currentRow = first;
  const push = (at: number, command: Omit<TicketCommand, 'occurredAt'>) => {
    last = Math.max(last, at);
    out.push({ at: last, row: currentRow, index: index++, command: { ...command, occurredAt: new Date(last).toISOString() } as TicketCommand });
  };
  push(first.openedAt, {
    type: 'RaiseTicket',
    ticketId: first.number,
    tenantId,
    kind: 'incident',
    priority: first.priority,
    serviceId: serviceOf(first).id,
    title: [first.category, first.subcategory, first.symptom].filter(Boolean).join(' / ') || first.number,
    description: `Imported from ServiceNow (${first.number})${first.location ? `, ${first.location}` : ''}`,
    reporter: first.caller ?? 'unknown',
    channel: CHANNELS[(first.contactType ?? '').toLowerCase()] ?? 'phone',
  } as Omit<TicketCommand, 'occurredAt'>);
  let priority = first.priority;
  let group: string | undefined;
  let responded = false;
  let onHold = false;
  let resolved = false;
  let closed = false;
  let reopens = first.reopenCount;
  let previousRowAt = first.openedAt;
  // The final resolution and close are those after the last reopen.
  const lastReopenCount = Math.max(...rows.map((r) => r.reopenCount));
  const lastRowAt = Math.max(...rows.map((r) => r.updatedAt));
  for (const [i, row] of rows.entries()) {
    // Indexes restart with each sys_mod_count (rows repeating one carry on counting).
    if (row.sysModCount !== currentRow.sysModCount) index = 0;
    currentRow = row;
    const at = row.updatedAt;
    const previousAt = previousRowAt;
    previousRowAt = at;
    if (row.reopenCount > reopens && (resolved || closed)) {
      push(at, { type: 'ReopenTicket', reason: 'reopened in ServiceNow' } as never);
      resolved = false;
      closed = false;
    }
    reopens = Math.max(reopens, row.reopenCount);
    if (closed) continue;
    if (row.priority !== priority && !resolved) {
      push(at, { type: 'ChangeTicketPriority', priority: row.priority, reason: 'priority changed in ServiceNow' } as never);
      priority = row.priority;
    }
    const g = row.assignmentGroup ? groupOf(row).id : undefined;
    if (g && g !== group && !resolved) {
      const supplier = supplierOf(row);
      push(at, { type: 'AssignTicket', groupId: g, ...(supplier ? { supplierId: supplier.id } : {}) } as never);
      group = g;
    }
    if (!responded && (row.state !== 'New' || row.assignedTo)) {
      push(at, { type: 'RespondToTicket', respondedBy: row.assignedTo ?? row.assignmentGroup ?? 'servicenow' } as never);
      responded = true;
    }
    const hold = HOLD[row.state];
    if (hold && !onHold && !resolved) {
      push(at, { type: 'PutTicketOnHold', reason: hold, note: row.state } as never);
      onHold = true;
    } else if (!hold && onHold && (row.state === 'New' || row.state === 'Active')) {
      push(at, { type: 'ResumeTicket' } as never);
      onHold = false;
    }
    const final = reopens >= lastReopenCount;
    if ((row.state === 'Resolved' || row.state === 'Closed') && !resolved) {
      const closingAt = rows.slice(i).find((r) => r.state === 'Closed')?.updatedAt ?? lastRowAt;
      push(transitionTime(row.resolvedAt, previousAt, final ? closingAt : at, at), {
        type: 'ResolveTicket',
        resolutionCode: row.closedCode ?? 'resolved',
        rootCause: row.closedCode ?? 'not recorded in ServiceNow',
        resolvedByGroupId: group ?? groupOf(row).id,
        firstLineFix: row.reassignmentCount === 0,
      } as never);
      resolved = true;
      onHold = false;
    }
    if (row.state === 'Closed' && !closed) {
      push(transitionTime(row.closedAt, previousAt, final ? lastRowAt : at, at), { type: 'CloseTicket' } as never);
      closed = true;
    }
  }
  return out;
}

/** Every catalogue entry the commands of an incident name. */
export function entriesFor(rows: IncidentRows): NeededEntry[] {
  const out = new Map<string, NeededEntry>();
  const add = (e: NeededEntry | undefined) => e && out.set(`${e.kind}:${e.id}`, e);
  add(serviceOf(rows[0]));
  add(groupOf({ ...rows[0], assignmentGroup: null }));
  for (const r of rows) {
    if (r.assignmentGroup) add(groupOf(r));
    add(supplierOf(r));
  }
  return [...out.values()];
}
