import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { csvSafeText } from '../spreadsheet-safe-text';

/** A cell: numbers and booleans as themselves, text as text, null empty. Never a formula. */
export type XlsxValue = string | number | boolean | null;

export interface XlsxSheet {
  /** At most 31 characters, none of : \ / ? * [ ]. */
  name: string;
  columns: Array<{ header: string; width?: number }>;
  rows: XlsxValue[][];
}

/** Excel's longest text cell. */
const MAX_TEXT = 32_767;

/**
 * Operators' text as a text cell a spreadsheet shows and never runs: neutralised as the CSV writer
 * neutralises it (a leading = + - @ tab or CR gets a quote), cut to what a cell holds.
 */
const cell = (v: XlsxValue): XlsxValue => (typeof v === 'string' ? csvSafeText(v).slice(0, MAX_TEXT) : v);

/**
 * The sheets as one XLSX workbook: a bold, frozen header row per sheet, no formulas, links or
 * macros. Dated `date` (document properties and every zip entry), so equal sheets give equal bytes.
 */
export async function writeWorkbook(sheets: XlsxSheet[], props: { title: string; subject: string; date: Date }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'itsm-backend';
  wb.lastModifiedBy = 'itsm-backend';
  wb.title = csvSafeText(props.title);
  wb.subject = csvSafeText(props.subject);
  wb.created = props.date;
  wb.modified = props.date;
  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c) => ({ header: cell(c.header) as string, width: c.width ?? Math.min(60, Math.max(10, c.header.length + 2)) }));
    ws.getRow(1).font = { bold: true };
    for (const row of sheet.rows) ws.addRow(row.map(cell));
  }
  return fixZipDates(Buffer.from(await wb.xlsx.writeBuffer()), props.date);
}

/** exceljs dates each zip entry with the time of writing: rewrite the archive with one fixed date. */
async function fixZipDates(xlsx: Buffer, date: Date): Promise<Buffer> {
  const source = await JSZip.loadAsync(xlsx);
  const out = new JSZip();
  for (const [name, entry] of Object.entries(source.files)) {
    if (entry.dir) continue;
    out.file(name, await entry.async('nodebuffer'), { date, createFolders: false });
  }
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}
