import { GROUP, type GroupServiceDeliverySummary, type SideBySide } from './group-summary';
import { definitionParagraph, markdownText, markdownTable } from './summary-markdown';

const figure = (v: number | null, unit: string) => (v === null ? null : `${v}${unit}`);

/** One table of figures, a column per member and the group's. */
function sideBySideTable(s: GroupServiceDeliverySummary, head: string, rows: SideBySide[]): string {
  const cells = (r: SideBySide) => (c: SideBySide['group'] | undefined) => (c === undefined ? null : c.total !== null ? `${figure(c.actual, r.unit) ?? '—'} (${c.met} / ${c.total})` : figure(c.actual, r.unit));
  const hasRefs = rows.some((r) => r.reference);
  return markdownTable(
    [...(hasRefs ? ['Ref'] : []), head, ...s.tenantIds, 'Group', ...(rows.some((r) => r.goal) ? ['Goal'] : [])],
    rows.map((r) => [...(hasRefs ? [r.reference] : []), r.label, ...s.tenantIds.map((t) => cells(r)(r.byTenant[t])), cells(r)(r.group), ...(rows.some((x) => x.goal) ? [r.goal] : [])]),
  );
}

/** A tenant group's monthly summary as Markdown: its members side by side, then the group (seed 000). */
export function renderGroupSummaryMarkdown(s: GroupServiceDeliverySummary): string {
  const names = s.tenantIds.map((t) => `${markdownText(s.tenantNames[t])} (${t})`).join(', ');
  return [
    `# IT Service Delivery Summary — ${markdownText(s.name)}, ${s.monthName}${s.partial ? ' (month in progress)' : ''}`,
    '',
    `Members: ${names}. Each column is the member's own figure (its own summary's); the Group column sums counts and divides the sums.`,
    '',
    s.logPosition === null ? `Built before any event was recorded, on ${s.generatedAt}.` : `Built from the read models at log position ${s.logPosition} on ${s.generatedAt}. Reproduce every figure with \`asOfPosition=${s.logPosition}\`.`,
    '',
    '## P1 and P2 incidents',
    '',
    markdownTable(['Priority', ...s.tenantIds, 'Group'], (['P1', 'P2'] as const).map((p) => [p, ...s.tenantIds.map((t) => s.counts[t][p]), s.counts[GROUP][p]])),
    '',
    ...s.yearOnYear.filter((y) => y.period === 'three months').map((y) => `- ${y.priority} incidents in the last 3 months across the group: ${y.now} (${y.yearEarlier} in the same period a year earlier).`),
    '',
    s.priorityIncidents.length
      ? markdownTable(
          ['Tenant', 'Ticket', 'Priority', 'Affected service', 'Reason', 'Supplier', 'Resolved within target'],
          s.priorityIncidents.map((t) => [t.tenantId, t.id, t.priority, t.service, t.reason, t.supplier, t.resolvedWithinTarget === null ? 'open' : t.resolvedWithinTarget ? 'yes' : 'no']),
        )
      : 'There were no P1 or P2 incidents.',
    '',
    definitionParagraph(s.definitions.priorityIncidents),
    '',
    '## Service levels',
    '',
    sideBySideTable(s, 'Measure', s.metrics),
    '',
    definitionParagraph(s.definitions.slaPerformance),
    '',
    `## Demand: tickets raised in ${s.monthName}`,
    '',
    sideBySideTable(s, 'Tickets', s.demand),
    '',
    definitionParagraph(s.definitions.demand),
    '',
    '## Aged backlog (open over 30 days)',
    '',
    sideBySideTable(s, 'Week starting (Monday)', s.backlog),
    '',
    definitionParagraph(s.definitions.agedBacklog),
    '',
    '## Supplier first-time fix',
    '',
    s.suppliers.length ? sideBySideTable(s, 'Supplier', s.suppliers) : 'No supplier activity.',
    '',
    definitionParagraph(s.definitions.suppliers),
    '',
    '## Availability',
    '',
    sideBySideTable(s, 'Service', s.availability),
    '',
    "Each member's availability counts the outages recorded against it; the group's, the union of its members' outages, is in the group's service-availability report.",
    '',
    definitionParagraph(s.definitions.availability),
    '',
    '## Customer satisfaction',
    '',
    s.satisfaction.length ? sideBySideTable(s, 'Answers', s.satisfaction) : 'No feedback this month.',
    '',
    definitionParagraph(s.definitions.satisfaction),
    '',
    '## Major incidents',
    '',
    s.majorIncidents.length
      ? markdownTable(
          ['Reference', 'Ticket', 'Members affected', 'Service', 'Description', 'Status', 'Cause'],
          s.majorIncidents.map((m) => [m.reference, `${m.ticketId} (${m.ticketTenantId})`, m.memberTenantIds.join(', '), m.service, m.description, m.status, m.rootCause]),
        )
      : 'No major incidents were declared.',
    '',
    definitionParagraph(s.definitions.majorIncidents),
    '',
  ].join('\n');
}
