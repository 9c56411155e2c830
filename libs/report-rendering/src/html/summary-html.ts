import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import type { GroupServiceDeliverySummary, ServiceDeliverySummary } from '@itsm/projections';
import { summaryCharts } from '../charts/summary-charts';
import { escapeXml, RAG_COLOURS } from '../charts/svg-charts';
import { renderGroupSummaryMarkdown } from '../markdown/group-summary-markdown';
import { renderSummaryMarkdown } from '../markdown/summary-markdown';

const STYLE = `body{font-family:system-ui,Segoe UI,Arial,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#212121}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;width:100%;font-size:.9rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}
th{background:#f5f5f5}h1{font-size:1.6rem}h2{border-bottom:2px solid #eee;padding-bottom:.2rem;margin-top:2rem}
.gauges{display:flex;flex-wrap:wrap;gap:.5rem}.charts svg{margin:1rem 0;border:1px solid #eee}
td.rag-GREEN{background:${RAG_COLOURS.green};color:#fff}td.rag-AMBER{background:${RAG_COLOURS.amber}}td.rag-RED{background:${RAG_COLOURS.red};color:#fff}td.rag-GREY{background:#eee}`;

/**
 * What the Markdown may become: headings, paragraphs, lists, tables and inline emphasis. No links,
 * images, scripts, styles, forms, frames, attributes or URLs of any kind: the summary itself makes
 * none, so any that appear came from operators' text that escaping missed, and are dropped
 * (their text kept; a script's or style's content dropped with it).
 */
const SUMMARY_MARKUP: sanitizeHtml.IOptions = {
  allowedTags: ['h1', 'h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'strong', 'em', 'del', 'code', 'br', 'hr'],
  allowedAttributes: {},
  allowedSchemes: [],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

/** marked's HTML of the summary's Markdown, through the allowlist above. */
export const sanitizeSummaryMarkup = (html: string): string => sanitizeHtml(html, SUMMARY_MARKUP);

/** One self-contained HTML page: the Markdown's content, RAG cells coloured, with the SVG charts and gauges inline. */
export function renderSummaryHtml(s: ServiceDeliverySummary): string {
  const charts = summaryCharts(s);
  const visuals = `<h2>At a glance</h2><div class="gauges">${charts.gauges.map((g) => g.svg).join('')}</div><p>${escapeXml(charts.gaugeLegend)}</p><div class="charts">${charts.trend}${charts.requestTrend}${charts.demand}${charts.backlog}</div>`;
  // The charts go after the summary lines, before the detail tables.
  return htmlPage(`IT Service Delivery Summary — ${s.tenantName}, ${s.monthName}`, renderSummaryMarkdown(s), visuals, '<h2>P1 and P2 incidents</h2>');
}

/** A tenant group's summary as one self-contained HTML page. */
export function renderGroupSummaryHtml(s: GroupServiceDeliverySummary): string {
  return htmlPage(`IT Service Delivery Summary — ${s.name}, ${s.monthName}`, renderGroupSummaryMarkdown(s));
}

/** Markdown as a page: sanitised to the allowlist, RAG cells coloured, visuals (our SVG) before a heading. */
function htmlPage(title: string, markdown: string, visuals = '', before = ''): string {
  const body = sanitizeSummaryMarkup(marked.parse(markdown, { async: false })).replace(/<td>(GREEN|AMBER|RED|GREY)<\/td>/g, '<td class="rag-$1">$1</td>');
  const at = before ? body.indexOf(before) : -1;
  const page = !visuals ? body : at < 0 ? body + visuals : body.slice(0, at) + visuals + body.slice(at);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title><style>${STYLE}</style></head><body>${page}</body></html>\n`;
}
