import type { ServiceDeliverySummary } from './service-delivery-summary';
import { barChart, gauge, lineChart, PRIORITY_COLOURS, RAG_COLOURS } from './svg-charts';

const P = ['P1', 'P2', 'P3', 'P4'] as const;

/** The summary's charts and gauges as SVG: used by the HTML page and served to the dashboard. */
export function summaryCharts(s: ServiceDeliverySummary) {
  const months = s.trend.map((t) => t.month.slice(2));
  return {
    trend: lineChart('% resolved within SLA, last 12 months', months, P.map((p) => ({ name: p, values: s.trend.map((t) => t[p]), colour: PRIORITY_COLOURS[p] }))),
    demand: barChart('Tickets raised by priority', months, P.map((p) => ({ name: p, values: s.demand.map((d) => d[p]), colour: PRIORITY_COLOURS[p] }))),
    backlog: barChart('Tickets open over 30 days, weekly', s.backlog.map((b) => b.week.slice(5, 10)), [{ name: 'open > 30 days', values: s.backlog.map((b) => b.total), colour: '#6d4c41' }]),
    gauges: s.metrics.filter((m) => m.unit === '%').map((m, _i, all) => ({ reference: m.reference, actual: m.actual, svg: gauge(all.filter((x) => x.reference === m.reference).length > 1 ? `${m.reference} ${m.priority}` : m.reference, m.actual, m.goal.match(/[\d.]+/) ? Number(m.goal.match(/[\d.]+/)![0]) : null, RAG_COLOURS[m.rag]) })),
  };
}
