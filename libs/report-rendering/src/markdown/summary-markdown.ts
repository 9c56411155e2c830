import type { FigureDefinition, ServiceDeliverySummary } from '@itsm/projections';
import { summarySections } from '../tables/summary-tables';
import { definitionParts, isBlank, type SummarySection, type SummaryTable, type TableCell } from '../tables/summary-table';

/**
 * Operators' free text is escaped, as text in any Markdown renderer (the committee's, and marked for
 * the HTML page): HTML's & < > as entities, and Markdown's own syntax (links and images `[..](..)`,
 * emphasis, code, strikethrough, bare-URL autolinks) behind a backslash, so `[x](javascript:..)`,
 * `![](https://..)` or `https://..` stays the characters it is. Line breaks become spaces: no text
 * can start a block of its own.
 */
export const markdownText = (v: unknown) =>
  String(v)
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]~!@]/g, '\\$&')
    // GFM turns bare URLs into links (scheme://, www., e-mail addresses): an escaped ':' or '.' stops it.
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/\b(www)\./gi, '$1\\.');
const text = markdownText;

/** A cell's text: '—' for no figure, a RAG in capitals, a ratio's counts after its figure. */
const cellText = (c: TableCell) => (isBlank(c) ? '—' : typeof c === 'object' ? ('rag' in c ? c.rag.toUpperCase() : `${c.figure ?? '—'} (${c.counted})`) : c);
const row = (cells: TableCell[]) => `| ${cells.map((c) => text(cellText(c)).replace(/\|/g, '\\|')).join(' | ')} |`;
/** A Markdown table whose every cell is escaped operator text. */
export const markdownTable = (t: SummaryTable) => {
  const head = t.columns.map((c) => c.header);
  return [row(head), row(head.map(() => '---')), ...t.rows.map(row)].join('\n');
};

/** A figure's definition, printed under its table. */
export const definitionParagraph = (d: FigureDefinition) =>
  definitionParts(d)
    .map(([label, part]) => `_${label}:_ ${text(part)}`)
    .join(' ');

/** Sections as Markdown: a heading, then each block and a blank line. */
export function markdownSections(sections: SummarySection[]): string[] {
  return sections.flatMap((section) => [
    `## ${text(section.heading)}`,
    '',
    ...section.blocks.flatMap((b) => {
      if ('table' in b) return [b.table.rows.length || b.table.empty === undefined ? markdownTable(b.table) : text(b.table.empty), ''];
      if ('text' in b) return [text(b.text), ''];
      if ('bullets' in b) return [...b.bullets.map((l) => `- ${text(l)}`), ''];
      return [definitionParagraph(b.definition), ''];
    }),
  ]);
}

/** The Service Delivery Summary as Markdown, in the order of the committees' reports. */
export function renderSummaryMarkdown(s: ServiceDeliverySummary): string {
  return [
    `# IT Service Delivery Summary — ${text(s.tenantName)}, ${s.monthName}${s.partial ? ' (month in progress)' : ''}`,
    '',
    s.logPosition === null
      ? `Built from the read models before any event was recorded, on ${s.generatedAt}.`
      : `Built from the read models at log position ${s.logPosition} on ${s.generatedAt}. Reproduce every figure with \`asOfPosition=${s.logPosition}\`.`,
    ...(s.partial
      ? ['', `**Partial month:** ${s.monthName} had not ended at ${s.asOf}; its figures are to that moment. Rows marked * are months in progress.`]
      : []),
    '',
    '## Summary',
    '',
    ...s.summary.map((l) => `- ${text(l)}`),
    '',
    ...markdownSections(summarySections(s)),
  ].join('\n');
}
