/** The formats of the monthly summary, by their `format=` name, and the media type of each. */
export const SUMMARY_FORMATS = {
  json: 'application/json',
  md: 'text/markdown',
  html: 'text/html',
  csv: 'text/csv',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export type SummaryFormat = keyof typeof SUMMARY_FORMATS;
export const SUMMARY_FORMAT_NAMES = Object.keys(SUMMARY_FORMATS) as SummaryFormat[];

/** The format an Accept header chose among SUMMARY_FORMATS' media types (express's `req.accepts`); JSON when none. */
export const summaryFormatFor = (accepted: string | false): SummaryFormat => SUMMARY_FORMAT_NAMES.find((f) => SUMMARY_FORMATS[f] === accepted) ?? 'json';
