// The documents of a summary in every format (Markdown, HTML, PDF, XLSX, SVG charts), and the
// formats of a publication. Reads the summaries @itsm/projections composes; projections never import it.
export * from './tables/summary-table';
export * from './tables/summary-tables';
export * from './tables/group-summary-tables';
export * from './charts/summary-charts';
export * from './markdown/summary-markdown';
export * from './markdown/group-summary-markdown';
export * from './html/summary-html';
export * from './pdf/summary-pdf';
export * from './xlsx/summary-xlsx';
export * from './spreadsheet-safe-text';
export * from './summary-formats';
export * from './publications/publication-renderers';
