import type { FigureDefinition, Rag } from '@itsm/projections';

/** A column of a summary table: its heading, and how print lays it out (the Markdown ignores both hints). */
export interface TableColumn {
  header: string;
  /** The column's share of the table's width. */
  weight: number;
  align?: 'left' | 'right' | 'center';
}

/**
 * A cell before any layout: text; a number; null when there is no figure (printed '—', as is empty
 * text); a RAG status (coloured where the format has colour); or a figure beside the counts it
 * divides ("97.5%" and "39 / 40"), set on one line or two as the format fits.
 */
export type TableCell = string | number | null | { rag: Rag } | { figure: string | null; counted: string };

/** One table of a summary: which columns, their headings and every row's cells, as each format shows them. */
export interface SummaryTable {
  columns: TableColumn[];
  rows: TableCell[][];
  /** What to say instead when there are no rows; without it the table is shown empty. */
  empty?: string;
  /** Wide: set in smaller print where the format has sizes. */
  compact?: boolean;
}

/** What a section holds, in order: tables, our own sentences, bullet lines, a figure's definition. */
export type SummaryBlock = { table: SummaryTable } | { text: string } | { bullets: string[] } | { definition: FigureDefinition };

/** A headed section of a summary document, as the Markdown page and the PDF both lay it out. */
export interface SummarySection {
  heading: string;
  blocks: SummaryBlock[];
}

/** A column list from [header, weight, align] triples. */
export const columns = (...spec: Array<[string, number, TableColumn['align']?]>): TableColumn[] =>
  spec.map(([header, weight, align]) => ({ header, weight, align }));

/** A figure's definition as labelled parts: who counts, when, over what period and (where it has one) what meets it. */
export const definitionParts = (d: FigureDefinition): Array<[label: string, text: string]> => [
  ['Who counts', d.population],
  ['When', d.clock],
  ['Period', d.period],
  ...(d.met === '—' ? [] : [['Met', d.met] as [string, string]]),
];

/** A cell with no figure: null, or empty text. */
export const isBlank = (c: TableCell): c is null | '' => c === null || c === undefined || c === '';
