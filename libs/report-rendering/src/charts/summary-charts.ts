import { DateTime } from 'luxon';
import type { ServiceDeliverySummary } from '@itsm/projections';
import { barChart, gauge, lineChart, PRIORITY_COLOURS, RAG_COLOURS } from './svg-charts';

const P = ['P1', 'P2', 'P3', 'P4'] as const;
const monthLabel = (m: string) => DateTime.fromFormat(m, 'yyyy-MM').setLocale('en-GB').toFormat('LLL yy');
const weekLabel = (d: string) => DateTime.fromISO(d).setLocale('en-GB').toFormat('d LLL');
const KIND_SHORT: Record<string, string> = { incident: 'incidents', service_request: 'requests', starter_mover_leaver: 'starters/leavers' };
/** Gauge names of the measures that are not SLA clocks. */
const SHORT_NAMES: Record<string, string> = {
  'Incidents fixed by the service desk at first line': 'First-line fix',
  'Users reporting a good or very good experience': 'Good or very good',
};

/** The summary's charts and gauges as SVG: used by the HTML page and served to the dashboard. */
export function summaryCharts(s: ServiceDeliverySummary) {
  const months = s.trend.incident.map((t) => monthLabel(t.month) + (s.partial && t.month === s.month ? '*' : ''));
  const gauges = s.metrics.filter((m) => m.unit === '%');
  return {
    trend: lineChart(
      'Incidents resolved within SLA (%), last 12 months',
      months,
      P.map((p) => ({ name: `${p} incidents`, values: s.trend.incident.map((t) => t[p]), colour: PRIORITY_COLOURS[p] })),
    ),
    requestTrend: lineChart(
      'Service requests fulfilled within SLA (%), last 12 months',
      months,
      P.map((p) => ({ name: `${p} requests`, values: s.trend.service_request.map((t) => t[p]), colour: PRIORITY_COLOURS[p] })),
    ),
    demand: barChart('Tickets raised: incidents by priority, and service requests', months, [
      ...P.map((p) => ({ name: `${p} incidents`, values: s.demand.map((d) => d.incidents[p]), colour: PRIORITY_COLOURS[p] })),
      { name: 'service requests', values: s.demand.map((d) => d.serviceRequests), colour: '#8e44ad' },
    ]),
    backlog: barChart(
      'Tickets open over 30 days, each Monday',
      s.backlog.map((b) => weekLabel(b.week)),
      [{ name: 'open > 30 days', values: s.backlog.map((b) => b.total), colour: '#6d4c41' }],
    ),
    gauges: gauges.map((m) => {
      // Two short lines name the measure: its code where the policy has one, then what it counts.
      const what = m.priority
        ? `${m.priority} ${KIND_SHORT[m.kind ?? ''] ?? m.kind} ${m.metric === 'response' ? 'response' : 'resolution'}`
        : (SHORT_NAMES[m.measure] ?? m.measure);
      const label: [string, string] = m.reference
        ? [m.reference, what]
        : m.priority
          ? [`${m.priority} ${KIND_SHORT[m.kind ?? ''] ?? m.kind}`, m.metric === 'response' ? 'response' : 'resolution']
          : [what, ''];
      return {
        reference: m.reference,
        label: label.join(' ').trim(),
        actual: m.actual,
        svg: gauge(label, m.actual, m.goal.match(/[\d.]+/) ? Number(m.goal.match(/[\d.]+/)![0]) : null, RAG_COLOURS[m.rag]),
      };
    }),
    gaugeLegend: 'Each gauge: the arc is the % met this month, coloured by its RAG against the goal; the dashed line marks the goal.',
  };
}
