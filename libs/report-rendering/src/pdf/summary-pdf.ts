import type { GroupServiceDeliverySummary, ServiceDeliverySummary, SummaryStamp } from '@itsm/projections';
import { summaryCharts } from '../charts/summary-charts';
import { RAG_COLOURS } from '../charts/svg-charts';
import { groupSummarySections } from '../tables/group-summary-tables';
import { summarySections } from '../tables/summary-tables';
import { definitionParts, isBlank, type SummarySection, type TableCell } from '../tables/summary-table';
import { PdfReport, type PdfCell } from './pdf-report';

const CHART = { width: 640, height: 240 };
const GAUGE = { width: 160, height: 104 };
/** The small print of a wide table. */
const COMPACT = 7;

/** A cell as print lays it out: '—' for no figure, a RAG on its colour, a ratio's counts under its figure. */
function pdfCell(c: TableCell): PdfCell {
  if (isBlank(c)) return '—';
  if (typeof c !== 'object') return String(c);
  if ('rag' in c)
    return {
      text: c.rag.toUpperCase(),
      fill: c.rag === 'grey' ? '#eeeeee' : RAG_COLOURS[c.rag],
      color: c.rag === 'green' || c.rag === 'red' ? '#ffffff' : '#212121',
    };
  return `${c.figure ?? '—'}\n(${c.counted})`;
}

/** Sections as print: a heading, then each table (or what is said instead), sentence and definition. */
function printSections(pdf: PdfReport, sections: SummarySection[]): void {
  for (const section of sections) {
    pdf.heading(section.heading);
    for (const b of section.blocks) {
      if ('table' in b) {
        const t = b.table;
        if (!t.rows.length && t.empty !== undefined) pdf.paragraph(t.empty);
        else
          pdf.table(
            t.columns,
            t.rows.map((r) => r.map(pdfCell)),
            t.compact ? COMPACT : undefined,
          );
      } else if ('text' in b) pdf.paragraph(b.text);
      else if ('bullets' in b) pdf.bullets(b.bullets);
      else
        pdf.paragraph(
          definitionParts(b.definition)
            .map(([label, part]) => `${label}: ${part}`)
            .join(' '),
          'note',
        );
    }
  }
}

/** Where the figures stand, said once at the top (and stamped at every page's foot). */
function provenance(pdf: PdfReport, at: { logPosition: string | null; generatedAt: string }, stamp: SummaryStamp): void {
  pdf.paragraph(
    at.logPosition === null
      ? `Built from the read models before any event was recorded, on ${at.generatedAt}.`
      : `Built from the read models at log position ${at.logPosition} on ${at.generatedAt}. Reproduce every figure with asOfPosition=${at.logPosition}.`,
  );
  pdf.field('Global chain head hash at that position', stamp.headGlobalHash);
  for (const [label, value] of stamp.lines ?? []) pdf.field(label, value);
  pdf.paragraph('');
}

/** The monthly Service Delivery Summary as an A4 PDF: the HTML page's charts and tables, stamped. */
export function renderSummaryPdf(s: ServiceDeliverySummary, stamp: SummaryStamp): Promise<Buffer> {
  const title = `IT Service Delivery Summary — ${s.tenantName}, ${s.monthName}`;
  const pdf = new PdfReport(
    { title, logPosition: stamp.logPosition, headGlobalHash: stamp.headGlobalHash, date: new Date(s.generatedAt) },
    `Monthly service delivery figures of ${s.tenantName} (${s.tenantId})`,
  );
  pdf.title(`${title}${s.partial ? ' (month in progress)' : ''}`, `${s.tenantName} (${s.tenantId}) · times in ${s.zone}`);
  provenance(pdf, s, stamp);
  if (s.partial)
    pdf.paragraph(`Partial month: ${s.monthName} had not ended at ${s.asOf}; its figures are to that moment. Rows marked * are months in progress.`, 'strong');

  pdf.heading('Summary').bullets(s.summary);

  const charts = summaryCharts(s);
  pdf
    .heading('At a glance')
    .gauges(
      charts.gauges.map((g) => g.svg),
      GAUGE,
    )
    .paragraph(charts.gaugeLegend, 'note');
  for (const svg of [charts.trend, charts.requestTrend, charts.demand, charts.backlog]) pdf.chart(svg, CHART);

  printSections(pdf, summarySections(s));
  return pdf.finish();
}

/** A tenant group's monthly summary as an A4 PDF: its members side by side with the group, stamped. */
export function renderGroupSummaryPdf(s: GroupServiceDeliverySummary, stamp: SummaryStamp): Promise<Buffer> {
  const title = `IT Service Delivery Summary — ${s.name}, ${s.monthName}`;
  const pdf = new PdfReport(
    { title, logPosition: stamp.logPosition, headGlobalHash: stamp.headGlobalHash, date: new Date(s.generatedAt) },
    `Monthly service delivery figures of the tenant group ${s.name} (${s.groupId})`,
  );
  pdf.title(`${title}${s.partial ? ' (month in progress)' : ''}`, `Members: ${s.tenantIds.map((t) => `${s.tenantNames[t]} (${t})`).join(', ')}`);
  pdf.paragraph("Each column is the member's own figure (its own summary's); the Group column sums counts and divides the sums.");
  provenance(pdf, s, stamp);

  printSections(pdf, groupSummarySections(s));
  return pdf.finish();
}
