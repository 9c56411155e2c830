import type { Priority, SlaClock, SlaMetric, TicketKind } from '@itsm/domain';
import { rag, type Rag } from '@itsm/projections';

/**
 * The clocks an SLA performance figure counts, as the reports count them (FIGURES.slaPerformance):
 * completed clocks only, met or breached; a running, paused or cancelled clock is not counted.
 */
export const countedClocks = (clocks: SlaClock[]): SlaClock[] =>
  clocks.filter((c) => c.stoppedAt !== undefined && (c.state === 'met' || c.state === 'breached'));

/** One goal's figure: how many counted clocks met their target, against the goal, with its RAG. */
export interface SlaPerformanceCell {
  reference: string | null;
  targetMinutes: number | null;
  goalPct: number | null;
  total: number;
  met: number;
  breached: number;
  pctMet: number | null;
  /** As the monthly summary colours a goal: green when met, amber within 5% of it, red beyond. */
  rag: Rag;
}

interface Row {
  reference: string | null;
  targetMinutes: number | null;
  goalPct: number | null;
  /** The policy version the labels come from: the newest among the clocks counted. */
  labelledBy: number;
  total: number;
  met: number;
  breached: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** `metric|kind|priority`: one goal of a policy. */
export const goalKey = (metric: SlaMetric, kind: TicketKind, priority: Priority) => `${metric}|${kind}|${priority}`;

/** Counted clocks summed per metric × kind × (final) priority, as the SLA performance report sums them. */
export class SlaPerformanceTally {
  private readonly rows = new Map<string, Row>();

  /** The counted clocks of one ticket, measured by the policy `version`. */
  add(kind: TicketKind, clocks: SlaClock[], version: number): void {
    for (const c of countedClocks(clocks)) {
      const key = goalKey(c.metric, kind, c.priority);
      let row = this.rows.get(key);
      if (!row) this.rows.set(key, (row = { reference: null, targetMinutes: null, goalPct: null, labelledBy: -Infinity, total: 0, met: 0, breached: 0 }));
      if (version >= row.labelledBy)
        Object.assign(row, { reference: c.reference ?? null, targetMinutes: c.targetMinutes ?? null, goalPct: c.goalPct ?? null, labelledBy: version });
      row.total++;
      if (c.state === 'met') row.met++;
      else row.breached++;
    }
  }

  cells(): Map<string, SlaPerformanceCell> {
    const out = new Map<string, SlaPerformanceCell>();
    for (const [key, r] of this.rows) {
      const pctMet = r.total > 0 ? round2((100 * r.met) / r.total) : null;
      out.set(key, {
        reference: r.reference,
        targetMinutes: r.targetMinutes,
        goalPct: r.goalPct,
        total: r.total,
        met: r.met,
        breached: r.breached,
        pctMet,
        rag: r.goalPct === null ? 'grey' : rag(pctMet, r.goalPct, 'higher'),
      });
    }
    return out;
  }
}
