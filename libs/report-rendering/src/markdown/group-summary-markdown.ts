import type { GroupServiceDeliverySummary } from '@itsm/projections';
import { groupSummarySections } from '../tables/group-summary-tables';
import { markdownSections, markdownText } from './summary-markdown';

/** A tenant group's monthly summary as Markdown: its members side by side, then the group (seed 000). */
export function renderGroupSummaryMarkdown(s: GroupServiceDeliverySummary): string {
  const names = s.tenantIds.map((t) => `${markdownText(s.tenantNames[t])} (${t})`).join(', ');
  return [
    `# IT Service Delivery Summary — ${markdownText(s.name)}, ${s.monthName}${s.partial ? ' (month in progress)' : ''}`,
    '',
    `Members: ${names}. Each column is the member's own figure (its own summary's); the Group column sums counts and divides the sums.`,
    '',
    s.logPosition === null
      ? `Built before any event was recorded, on ${s.generatedAt}.`
      : `Built from the read models at log position ${s.logPosition} on ${s.generatedAt}. Reproduce every figure with \`asOfPosition=${s.logPosition}\`.`,
    '',
    ...markdownSections(groupSummarySections(s)),
  ].join('\n');
}
