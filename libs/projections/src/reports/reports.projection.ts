import {
  evolveSlaPolicy,
  evolveTicket,
  initialSlaPolicyState,
  initialTicketState,
  parseStreamId,
  ticketKey,
  toDomainEvent,
  type CatalogueKind,
  type Ownership,
  type RaisedTicket,
  type SlaPolicyState,
  type TicketEvent,
} from '@itsm/domain';
import type { RecordedEvent } from '@itsm/event-store';
import type { ProjectionContext, ProjectionDefinition } from '../projection';
import { monthStartsIn, weekStartsIn } from './periods';
import { ticketContributions, type Contribution } from './ticket-contributions';

/** The operators' view of a ticket, plus what the projection needs to refold it. */
export interface TicketDoc {
  /** The document's key: tenant-scoped, `ticketKey(tenantId, ticketId)` (`CoL.INC-1`), as ticket ids are unique only per tenant. */
  id: string;
  /** The ticket id, as its tenant knows it (report answers show it as `id`). */
  ticketId: string;
  tenantId: string;
  kind: string;
  status: string;
  priority: string;
  serviceId: string;
  supplierId: string | null;
  groupId: string | null;
  open: boolean;
  /** Open with a recorded, unretracted SLA breach. */
  breachedOpen: boolean;
  /** Any recorded, unretracted SLA breach. */
  breached: boolean;
  raisedAt: string;
  respondedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  lastOccurredAt: string;
  title: string;
  reporter: string;
  channel: string;
  reopenCount: number;
  outageMinutes: number;
  majorIncident: string | null;
  revision: string;
  position: string;
}

/**
 * What the projection keeps to refold a ticket: its state and its current contributions. Apart
 * from TicketDoc so that the indexed, queried document stays small (SQLite's JSON indexes and
 * every query parse the whole document).
 */
export interface TicketFoldDoc {
  /** The tenant-scoped key, as the ticket document's. */
  id: string;
  state: RaisedTicket;
  contributions: Contribution[];
}

export interface AggregateDoc {
  id: string;
  /** How many tickets contribute: the document goes when the last one leaves. */
  n: number;
  counts: Record<string, number>;
  [label: string]: unknown;
}

interface Meta {
  id: 'clock';
  /** The latest occurredAt seen: the log's own notion of "now", the same on every rebuild. */
  logTime: number;
  zones: string[];
}

export interface ReportsProjectionOptions {
  /** Tickets open longer than this count in the aged backlog (IM10: 30 days). */
  agedAfterDays?: number;
}

const DEFAULT_ZONE = 'Europe/London';

/**
 * Facts that leave every SLA clock as it was (they touch neither the timeline nor the status the
 * clocks fold; only completed clocks count, so the log's time does not matter either).
 */
const SLA_NEUTRAL = new Set([
  'FeedbackRecorded',
  'ComplaintRecorded',
  'OutageRecorded',
  'MajorIncidentDeclared',
  'SlaWarningRaised',
  'SlaBreached',
  'SlaEventRetracted',
  'EscalationTriggered',
  'OutageStarted',
  'OutageEnded',
]);

/** Every query is per tenant: these serve the ticket lists and the P1/P2 look-ups without scanning a tenant's tickets. */
const REPORT_COMPOUND_INDEXES = {
  tickets: [
    ['tenantId', 'raisedAt'],
    ['tenantId', 'open', 'raisedAt'],
    ['tenantId', 'breached', 'raisedAt'],
    ['tenantId', 'breachedOpen', 'raisedAt'],
    ['tenantId', 'priority', 'lastOccurredAt'],
    ['tenantId', 'priority', 'open'],
  ],
  outages: [
    ['tenantId', 'serviceId', 'from'],
    ['tenantId', 'serviceId', 'to'],
  ],
  supplier_tickets: [['tenantId', 'month']],
};

export const REPORT_COLLECTIONS = {
  tickets: ['tenantId', 'kind', 'status', 'priority', 'serviceId', 'supplierId', 'groupId', 'open', 'breachedOpen', 'breached', 'raisedAt', 'lastOccurredAt'],
  ticket_folds: [],
  catalogue: ['kind', 'tenantId'],
  meta: [],
  sla_performance: ['tenantId', 'month', 'dimension'],
  demand: ['tenantId', 'month'],
  aged_backlog: ['tenantId', 'week'],
  satisfaction: ['tenantId', 'month'],
  supplier_tickets: ['supplierId', 'tenantId', 'month'],
  outages: ['serviceId', 'tenantId', 'month', 'from', 'to'],
  major_incidents: ['tenantId', 'raisedAt'],
};

/**
 * Every report read model in one projection, so they share one checkpoint and always agree with
 * each other. Pure: the same events in the same order give the same documents.
 */
export function reportsProjection(options: ReportsProjectionOptions = {}): ProjectionDefinition {
  const agedAfterDays = options.agedAfterDays ?? 30;
  return {
    name: 'reports',
    // v2: the ticket's fold (state, contributions) moved out of the indexed ticket document.
    // v3: first-line fixes of incidents in demand (SD2).
    // v4: outages indexed by their end too (availability reads the smaller side of a month).
    // v5: ticket ids are per tenant: tickets and ticket_folds keyed (and their `id`) `<tenantId>.<ticketId>`, with
    //     the ticket id in `ticketId`; outages and major incidents keyed by tenant too.
    // v6: figures reconcile with their lists: supplier_tickets (one per supplier × month × ticket) replace the
    //     scorecard sums; outages and major incidents per affected tenant; backlog weeks by local date;
    //     `breached` judges the final priority.
    version: 6,
    collections: REPORT_COLLECTIONS,
    compoundIndexes: REPORT_COMPOUND_INDEXES,
    // A time crossing refreshes every open ticket: findAll('tickets', { open: true }).
    indexesWhileBuilding: { tickets: ['open'] },
    // Only its projector writes these documents: the recently used ones (a ticket's fold, the
    // aggregates it feeds, the catalogue) stay in memory across batches instead of being read back.
    keepInMemory: 60_000,
    async apply(event, ctx) {
      const meta = (await ctx.get<Meta>('meta', 'clock')) ?? { id: 'clock', logTime: 0, zones: [DEFAULT_ZONE] };
      const at = Date.parse(typeof event.data.occurredAt === 'string' ? event.data.occurredAt : '');
      const before = meta.logTime;
      const logTime = Number.isNaN(at) ? before : Math.max(before, at);
      const [kind, id] = subjectOf(event.streamId);
      const zones =
        kind === 'tenant' && typeof event.data.timeZone === 'string' && !meta.zones.includes(event.data.timeZone)
          ? [...meta.zones, event.data.timeZone].sort()
          : meta.zones;
      if (logTime !== before || zones !== meta.zones) ctx.put('meta', 'clock', { ...meta, logTime, zones });

      if (kind === 'tenant' || kind === 'service' || kind === 'supplier') {
        ctx.put('catalogue', `${kind}:${id}`, { id: `${kind}:${id}`, kind, tenantId: kind === 'tenant' ? id : null, value: stripTime(event.data) });
      } else if (kind === 'sla-policy') {
        const doc = await ctx.get<{ state: SlaPolicyState }>('catalogue', `policy:${id}`);
        ctx.put('catalogue', `policy:${id}`, {
          id: `policy:${id}`,
          kind: 'policy',
          tenantId: id,
          state: evolveSlaPolicy(doc?.state ?? initialSlaPolicyState(), toDomainEvent(event)),
        });
      } else if (kind === 'incident') {
        await applyTicketEvent(event, id, logTime, agedAfterDays, ctx);
      }

      // Time passed a Monday or a month start: open tickets gain a backlog week or an open-at-month-end.
      const crossed = before > 0 && zones.some((z) => weekStartsIn(before, logTime, z).length > 0 || monthStartsIn(before, logTime, z).length > 0);
      if (crossed) {
        for (const doc of await ctx.findAll<TicketDoc>('tickets', { open: true })) {
          const fold = (await ctx.get<TicketFoldDoc>('ticket_folds', doc.id))!;
          await refresh(doc.id, doc, fold, fold.state, logTime, agedAfterDays, ctx, undefined, fold.contributions);
        }
      }
    },
  };
}

/** key: the ticket's tenant-scoped key (`<tenantId>.<ticketId>`), from its stream. */
async function applyTicketEvent(event: RecordedEvent, key: string, logTime: number, agedAfterDays: number, ctx: ProjectionContext): Promise<void> {
  const fold = await ctx.get<TicketFoldDoc>('ticket_folds', key);
  const state = evolveTicket(fold?.state ?? initialTicketState(), toDomainEvent<TicketEvent>(event));
  // The command path raises a ticket in its own stream; a raise naming another ticket is not reported.
  if (!state.raised || `${state.tenantId}.${state.ticketId}` !== key) return;
  const existing = fold && (await ctx.get<TicketDoc>('tickets', key));
  await refresh(key, existing, fold, state, logTime, agedAfterDays, ctx, event, fold && SLA_NEUTRAL.has(event.type) ? fold.contributions : undefined);
}

/** Recomputes a ticket's document and contributions, applying only the difference to the aggregates. */
async function refresh(
  key: string,
  existing: TicketDoc | undefined,
  fold: TicketFoldDoc | undefined,
  state: RaisedTicket,
  logTime: number,
  agedAfterDays: number,
  ctx: ProjectionContext,
  event?: RecordedEvent,
  slaUnchanged?: Contribution[],
): Promise<void> {
  const tenant = await ctx.get<{ value: { timeZone?: string } }>('catalogue', `tenant:${state.tenantId}`);
  const service = await ctx.get<{ value: { ownership: Ownership; supplierId?: string } }>('catalogue', `service:${state.serviceId}`);
  const policyDoc = state.slaPolicyVersion === undefined ? undefined : await ctx.get<{ state: SlaPolicyState }>('catalogue', `policy:${state.tenantId}`);
  const policy = policyDoc?.state.versions.find((v) => v.version === state.slaPolicyVersion);
  const contributions = ticketContributions(state, {
    logTime,
    zone: tenant?.value.timeZone ?? DEFAULT_ZONE,
    policy,
    service: service?.value,
    agedAfterDays,
    slaUnchanged,
  });
  await applyDifference(fold?.contributions ?? [], contributions, ctx);
  // The outcome is judged against the final priority (README, "SLA engine"): a breach recorded under
  // a priority the ticket no longer has stays in the log as history but does not mark it breached.
  const live = state.sla.filter((r) => r.kind === 'breach' && !r.retracted && slaRecordPriority(r.key) === state.priority);
  const open = state.status !== 'resolved' && state.status !== 'closed';
  const doc: TicketDoc = {
    id: key,
    ticketId: state.ticketId,
    tenantId: state.tenantId,
    kind: state.kind,
    status: state.status,
    priority: state.priority,
    serviceId: state.serviceId,
    supplierId: state.assignment?.supplierId ?? null,
    groupId: state.assignment?.groupId ?? null,
    open,
    breachedOpen: open && live.length > 0,
    breached: live.length > 0,
    raisedAt: state.raisedAt,
    respondedAt: state.respondedAt ?? null,
    resolvedAt: state.resolvedAt ?? null,
    closedAt: state.closedAt ?? null,
    lastOccurredAt: state.lastOccurredAt,
    title: state.title,
    reporter: state.reporter,
    channel: state.channel,
    reopenCount: state.reopenCount,
    outageMinutes: state.outageMinutes,
    majorIncident: state.majorIncident?.reference ?? null,
    revision: event ? event.revision.toString() : (existing?.revision ?? '0'),
    position: event ? event.position.toString() : (existing?.position ?? '0'),
  };
  ctx.put('tickets', key, doc);
  ctx.put('ticket_folds', key, { id: key, state, contributions } satisfies TicketFoldDoc);
}

async function applyDifference(before: Contribution[], after: Contribution[], ctx: ProjectionContext): Promise<void> {
  const id = (c: Contribution) => `${c.collection}\u0000${c.key}`;
  const old = new Map(before.map((c) => [id(c), c]));
  const now = new Map(after.map((c) => [id(c), c]));
  for (const k of new Set([...old.keys(), ...now.keys()])) {
    const o = old.get(k);
    const n = now.get(k);
    if (o && n && sameJson(o.counters, n.counters) && sameJson(o.labels, n.labels)) continue;
    const c = (n ?? o)!;
    const doc = (await ctx.get<AggregateDoc>(c.collection, c.key)) ?? { id: c.key, n: 0, counts: {} };
    const counts = { ...doc.counts };
    let contributors = doc.n;
    if (o) {
      contributors--;
      for (const [name, v] of Object.entries(o.counters)) counts[name] = (counts[name] ?? 0) - v;
    }
    let labels = {};
    if (n) {
      contributors++;
      labels = n.labels;
      for (const [name, v] of Object.entries(n.counters)) counts[name] = (counts[name] ?? 0) + v;
    }
    for (const name of Object.keys(counts)) if (counts[name] === 0) delete counts[name];
    if (contributors === 0) ctx.delete(c.collection, c.key);
    else ctx.put(c.collection, c.key, { ...doc, ...labels, id: c.key, n: contributors, counts: sortKeys(counts) });
  }
}

/** The priority an SLA record was crossed under: its key is `<metric>/<cycle>/<priority>/<threshold>`. */
const slaRecordPriority = (key: string) => key.split('/')[2];

/** Counters in name order: a rebuild writes byte-identical documents. */
function sortKeys(o: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The catalogue entries the reports name, by the kind their documents carry. */
const CATALOGUE_DOC_KIND: Partial<Record<CatalogueKind, string>> = { Tenant: 'tenant', Service: 'service', Supplier: 'supplier' };

/** What an event's stream is about, as the projection files it: [kind, id]; ['', stream] for the rest. */
function subjectOf(streamId: string): [string, string] {
  const s = parseStreamId(streamId);
  if (s?.kind === 'ticket') return ['incident', ticketKey(s.tenantId, s.ticketId)];
  if (s?.kind === 'sla-policy') return ['sla-policy', s.tenantId];
  if (s?.kind === 'catalogue') return [CATALOGUE_DOC_KIND[s.catalogueKind] ?? '', s.id];
  return ['', streamId];
}

function stripTime(data: object): object {
  const { occurredAt: _at, ...rest } = data as { occurredAt?: string };
  return rest;
}

/** Deep equality of JSON values (what JSON.stringify comparison meant, without building strings). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const [i, k] of ka.entries()) if (k !== kb[i] || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}
