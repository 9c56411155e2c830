import { DateTime } from 'luxon';
import {
  cityOfLondon2023,
  computeSlaClocks,
  evolveSlaPolicy,
  evolveTicket,
  initialSlaPolicyState,
  initialTicketState,
  parseTicketStream,
  sharedIct2019,
  slaPolicyStream,
  type SlaPolicyVersion,
  type TicketEvent,
  type TicketState,
  toDomainEvent,
} from '@itsm/domain';
import { readWhole, type EventStore } from '@itsm/event-store';

/** Which policy measures the imported tickets: the one each pinned when imported, or a template. */
export type MeasuringPolicy = 'pinned' | 'city-of-london-2023' | 'shared-ict-2019';

export interface MadeSlaGroup {
  priority: string;
  month: string;
  incidents: number;
  /** Incidents ServiceNow said made their SLA. */
  sourceMade: number;
  /** Incidents whose resolution clock this system measured as met (of those it could judge). */
  measuredMet: number;
  /** Still open here: no outcome to compare. */
  notJudged: number;
  agree: number;
  disagree: number;
  /** The first disagreeing incidents: [number, ServiceNow's made_sla, this system's outcome]. */
  disagreements: Array<[string, boolean | null, 'met' | 'breached']>;
}

/**
 * Compares, per priority and month (of the incident's opening, in the tenant's zone), the
 * source's final made_sla with this system's own measurement of the resolution clock under a
 * chosen policy. Reads the imported tickets from the log, so it needs no read model.
 */
export async function madeSlaReport(
  store: EventStore,
  options: { tenantId: string; zone: string; policy: MeasuringPolicy; now: Date; maxListed?: number },
): Promise<{ policy: MeasuringPolicy; groups: MadeSlaGroup[]; totals: Omit<MadeSlaGroup, 'priority' | 'month' | 'disagreements'> }> {
  const template: SlaPolicyVersion | undefined =
    options.policy === 'city-of-london-2023'
      ? { ...cityOfLondon2023(options.tenantId, '1970-01-01T00:00:00Z'), version: 0 }
      : options.policy === 'shared-ict-2019'
        ? { ...sharedIct2019(options.tenantId, '1970-01-01T00:00:00Z'), version: 0 }
        : undefined;
  const pinned = (await readWhole(store, slaPolicyStream(options.tenantId))).reduce((s, e) => evolveSlaPolicy(s, toDomainEvent(e)), initialSlaPolicyState());
  const tickets = new Map<string, { state: TicketState; madeSla: boolean | null }>();
  for await (const e of store.readAll()) {
    if (parseTicketStream(e.streamId)?.tenantId !== options.tenantId) continue;
    const source = e.metadata.source as { system?: string; madeSla?: boolean | null } | undefined;
    const t = tickets.get(e.streamId);
    if (!t && source?.system !== 'servicenow') continue;
    const next = { state: evolveTicket(t?.state ?? initialTicketState(), toDomainEvent<TicketEvent>(e)), madeSla: t?.madeSla ?? null };
    if (source?.system === 'servicenow' && source.madeSla !== undefined) next.madeSla = source.madeSla;
    tickets.set(e.streamId, next);
  }
  const groups = new Map<string, MadeSlaGroup>();
  for (const [, { state, madeSla }] of tickets) {
    if (!state.raised) continue;
    const policy = template ?? pinned.versions.find((v) => v.version === state.slaPolicyVersion);
    const month = DateTime.fromISO(state.raisedAt, { zone: options.zone }).toFormat('yyyy-MM');
    const key = `${state.priority}|${month}`;
    const g = groups.get(key) ?? {
      priority: state.priority,
      month,
      incidents: 0,
      sourceMade: 0,
      measuredMet: 0,
      notJudged: 0,
      agree: 0,
      disagree: 0,
      disagreements: [],
    };
    g.incidents++;
    if (madeSla) g.sourceMade++;
    const resolution = policy
      ? computeSlaClocks(state, policy, options.now.getTime())
          .filter((c) => c.metric === 'resolution')
          .at(-1)
      : undefined;
    const outcome = resolution?.state === 'met' || resolution?.state === 'breached' ? resolution.state : undefined;
    if (!outcome) g.notJudged++;
    else {
      if (outcome === 'met') g.measuredMet++;
      if ((outcome === 'met') === madeSla) g.agree++;
      else {
        g.disagree++;
        if (g.disagreements.length < (options.maxListed ?? 20)) g.disagreements.push([state.ticketId, madeSla, outcome]);
      }
    }
    groups.set(key, g);
  }
  const list = [...groups.values()].sort((a, b) => a.month.localeCompare(b.month) || a.priority.localeCompare(b.priority));
  const sum = (k: 'incidents' | 'sourceMade' | 'measuredMet' | 'notJudged' | 'agree' | 'disagree') => list.reduce((n, g) => n + g[k], 0);
  return {
    policy: options.policy,
    groups: list,
    totals: {
      incidents: sum('incidents'),
      sourceMade: sum('sourceMade'),
      measuredMet: sum('measuredMet'),
      notJudged: sum('notJudged'),
      agree: sum('agree'),
      disagree: sum('disagree'),
    },
  };
}
