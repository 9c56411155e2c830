import { marked } from 'marked';
import type { PublicationStamp, PublishedSummary, SummaryStamp } from '@itsm/projections';
import { summaryCharts } from '../charts/summary-charts';
import { renderGroupSummaryHtml, renderSummaryHtml, sanitizeSummaryMarkup } from '../html/summary-html';
import { renderGroupSummaryMarkdown } from '../markdown/group-summary-markdown';
import { markdownText, renderSummaryMarkdown } from '../markdown/summary-markdown';
import { renderGroupSummaryPdf, renderSummaryPdf } from '../pdf/summary-pdf';
import { renderGroupSummaryXlsx, renderSummaryXlsx } from '../xlsx/summary-xlsx';

/**
 * One format of a published document. Each renders from the document as kept and the stamp alone
 * (no clock, no read model), so it answers the same bytes every time, and every format carries the
 * same figures. A new format (pdf, xlsx) is one more entry of PUBLICATION_RENDERERS: the API's
 * `format=` accepts whatever is listed there.
 */
export interface PublicationRenderer {
  /** The media type an Accept header names to pick this format. */
  mediaType: string;
  /** The Content-Type of the answer. */
  contentType: string;
  render(document: PublishedSummary, stamp: PublicationStamp): string | Buffer | Promise<string | Buffer>;
}

/** The stamp as a Markdown section (the actor is operator text: escaped like any). */
export function publicationStampMarkdown(stamp: PublicationStamp): string {
  return [
    '## Publication',
    '',
    `Published as ${markdownText(stamp.publicationId)} on ${markdownText(stamp.publishedAt)} by ${markdownText(stamp.publishedBy)}: ${stamp.figures} figures, whose SHA-256 digest is \`${stamp.digest}\`.`,
    '',
    `Built at log position ${stamp.position} (the log's first ${stamp.eventCount} events), where the global hash chain's head was \`${stamp.headGlobalHash}\`. A later \`verify\` that finds this head hash there proves nothing before it changed; \`asOfPosition=${stamp.position}\` rebuilds every figure.`,
    '',
  ].join('\n');
}

const markdownOf = (d: PublishedSummary) => (d.kind === 'tenant' ? renderSummaryMarkdown(d.summary) : renderGroupSummaryMarkdown(d.summary));

export const PUBLICATION_RENDERERS = {
  /** As the summary endpoints answer it (a tenant's with its SVG charts), the stamp first. */
  json: {
    mediaType: 'application/json',
    contentType: 'application/json; charset=utf-8',
    render: (d: PublishedSummary, stamp: PublicationStamp) =>
      JSON.stringify(d.kind === 'tenant' ? { publication: stamp, ...d.summary, charts: summaryCharts(d.summary) } : { publication: stamp, ...d.summary }),
  },
  md: {
    mediaType: 'text/markdown',
    contentType: 'text/markdown; charset=utf-8',
    render: (d: PublishedSummary, stamp: PublicationStamp) => `${markdownOf(d)}\n${publicationStampMarkdown(stamp)}`,
  },
  /** The summary's own page, the stamp at its foot (through the same Markdown and allowlist as the page). */
  html: {
    mediaType: 'text/html',
    contentType: 'text/html; charset=utf-8',
    render: (d: PublishedSummary, stamp: PublicationStamp) => {
      const page = d.kind === 'tenant' ? renderSummaryHtml(d.summary) : renderGroupSummaryHtml(d.summary);
      const foot = `<footer>${sanitizeSummaryMarkup(marked.parse(publicationStampMarkdown(stamp), { async: false }))}</footer>`;
      const end = page.lastIndexOf('</body>');
      return end < 0 ? page + foot : page.slice(0, end) + foot + page.slice(end);
    },
  },
  /** The committee pack: A4 PDF and a workbook, stamped with the publication as well as the position and head hash. */
  pdf: {
    mediaType: 'application/pdf',
    contentType: 'application/pdf',
    render: (d: PublishedSummary, stamp: PublicationStamp) =>
      d.kind === 'tenant' ? renderSummaryPdf(d.summary, packStamp(stamp)) : renderGroupSummaryPdf(d.summary, packStamp(stamp)),
  },
  xlsx: {
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    render: (d: PublishedSummary, stamp: PublicationStamp) =>
      d.kind === 'tenant' ? renderSummaryXlsx(d.summary, packStamp(stamp)) : renderGroupSummaryXlsx(d.summary, packStamp(stamp)),
  },
} satisfies Record<string, PublicationRenderer>;

/** The pack's stamp: the position and head hash, then the publication's id and digest. */
const packStamp = (stamp: PublicationStamp): SummaryStamp => ({
  logPosition: stamp.position,
  headGlobalHash: stamp.headGlobalHash,
  lines: [
    ['Publication', stamp.publicationId],
    ['Figures digest (SHA-256)', stamp.digest],
  ],
});

export type PublicationFormat = keyof typeof PUBLICATION_RENDERERS;
export const PUBLICATION_FORMATS = Object.keys(PUBLICATION_RENDERERS) as PublicationFormat[];

/** The document in a format, from what was kept. */
export async function renderPublication(
  format: PublicationFormat,
  document: PublishedSummary,
  stamp: PublicationStamp,
): Promise<{ contentType: string; body: string | Buffer }> {
  const renderer: PublicationRenderer = PUBLICATION_RENDERERS[format];
  return { contentType: renderer.contentType, body: await renderer.render(document, stamp) };
}
