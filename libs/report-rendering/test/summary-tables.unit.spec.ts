import { citySummary, julySummary } from '../../projections/test/publication-fixture';
import { groupSummaryTables, markdownTable, renderGroupSummaryMarkdown, renderSummaryMarkdown, summaryTables, type SummaryTable } from '../src';

/** One table model per summary table: the Markdown (and so the HTML) and the PDF lay out its cells. */
describe('the tables of a summary', () => {
  const all: Array<[string, Record<string, SummaryTable>, string]> = [
    ['tenant', summaryTables(julySummary()), renderSummaryMarkdown(julySummary())],
    ['group', groupSummaryTables(citySummary()), renderGroupSummaryMarkdown(citySummary())],
  ];

  it.each(all)('%s: every row has a cell per column', (_, tables) => {
    for (const t of Object.values(tables)) for (const row of t.rows) expect(row).toHaveLength(t.columns.length);
  });

  it.each(all)('%s: the Markdown page prints each table of the model, or what it says instead', (_, tables, markdown) => {
    for (const t of Object.values(tables)) expect(markdown).toContain(t.rows.length || t.empty === undefined ? markdownTable(t) : t.empty);
  });

  it('cells say no figure, a RAG and a ratio the same way in every row', () => {
    const t = summaryTables(julySummary());
    expect(t.serviceLevels.rows[0]?.at(-1)).toEqual({ rag: 'red' });
    expect(
      markdownTable({
        columns: [
          { header: 'A', weight: 1 },
          { header: 'B', weight: 1 },
          { header: 'C', weight: 1 },
        ],
        rows: [[null, { rag: 'amber' }, { figure: null, counted: '0 / 0' }]],
      }),
    ).toBe('| A | B | C |\n| --- | --- | --- |\n| — | AMBER | — (0 / 0) |');
  });
});
