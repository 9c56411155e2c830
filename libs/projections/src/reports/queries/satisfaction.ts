import type { AggregateDoc } from '../reports.projection';
import { periodOf, type Granularity, type PeriodRange } from '../periods';
import { pct, round2 } from './report-arithmetic';
import type { ReportReads } from './report-reads';

type SatisfactionCounter =
  'feedback' | 'resolved' | 'satisfactionAnswers' | 'positive' | 'neutral' | 'negative' | 'npsAnswers' | 'promoters' | 'detractors' | 'complaints';

/** A satisfaction document: one tenant's feedback, complaints and resolutions in a month. */
export interface SatisfactionDoc extends AggregateDoc {
  tenantId: string;
  month: string;
  counts: Partial<Record<SatisfactionCounter, number>>;
}

export interface SatisfactionQuery {
  tenantId: string;
  range: PeriodRange;
  granularity: Granularity;
}

export type SatisfactionRow = {
  period: string;
  feedback: number;
  resolved: number;
  satisfactionAnswers: number;
  positive: number;
  neutral: number;
  negative: number;
  promoters: number;
  detractors: number;
  responseRatePct: number | null;
  positivePct: number | null;
  neutralPct: number | null;
  negativePct: number | null;
  goodOrVeryGoodPct: number | null;
  npsAnswers: number;
  nps: number | null;
  complaints: number;
};

/** Feedback volume and response rate, sentiment split, NPS, % good or very good, complaints. */
export async function satisfaction(reads: ReportReads, q: SatisfactionQuery): Promise<SatisfactionRow[]> {
  const docs = await reads.all<SatisfactionDoc>('satisfaction', { tenantId: q.tenantId, month: { $gte: q.range.from, $lte: q.range.to } });
  const sums = new Map<string, Partial<Record<SatisfactionCounter, number>>>();
  for (const d of docs) {
    const period = periodOf(d.month, q.granularity);
    const s = sums.get(period) ?? {};
    for (const [k, v] of Object.entries(d.counts) as Array<[SatisfactionCounter, number]>) s[k] = (s[k] ?? 0) + v;
    sums.set(period, s);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, s]) => {
      const g = (k: SatisfactionCounter) => s[k] ?? 0;
      return {
        period,
        feedback: g('feedback'),
        resolved: g('resolved'),
        satisfactionAnswers: g('satisfactionAnswers'),
        positive: g('positive'),
        neutral: g('neutral'),
        negative: g('negative'),
        promoters: g('promoters'),
        detractors: g('detractors'),
        responseRatePct: pct(g('feedback'), g('resolved')),
        positivePct: pct(g('positive'), g('satisfactionAnswers')),
        neutralPct: pct(g('neutral'), g('satisfactionAnswers')),
        negativePct: pct(g('negative'), g('satisfactionAnswers')),
        goodOrVeryGoodPct: pct(g('positive'), g('satisfactionAnswers')),
        npsAnswers: g('npsAnswers'),
        nps: g('npsAnswers') > 0 ? round2((100 * (g('promoters') - g('detractors'))) / g('npsAnswers')) : null,
        complaints: g('complaints'),
      };
    });
}
