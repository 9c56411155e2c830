import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import type { TableColumn } from '../tables/summary-table';

/** What every page of a committee document carries at its foot: where in the log its figures stand. */
export interface PdfStamp {
  /** Title repeated in each page's footer. */
  title: string;
  logPosition: string | null;
  headGlobalHash: string;
  /** The document's date (the summary's generatedAt): its creation date, so the same summary gives the same bytes. */
  date: Date;
}

/** A table cell: text, or text on a coloured ground (a RAG cell). */
export type PdfCell = string | { text: string; fill: string; color?: string };

/** A column: its header, its share of the table's width, its alignment. */
export type PdfColumn = TableColumn;

const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const ITALIC = 'Helvetica-Oblique';
const MARGIN = { top: 44, bottom: 52, left: 40, right: 40 };
const INK = '#212121';
const RULE = '#bdbdbd';
const HEAD_FILL = '#eeeeee';
/** A cell's text is cut here in the PDF (the XLSX keeps it whole), so no row outgrows a page. */
const MAX_CELL_CHARS = 400;

/**
 * Windows-1252, the encoding of the PDF's standard fonts: what operators typed prints as itself
 * where it can; a character outside it prints as '?', a control character (a line break aside) as
 * a space.
 */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
/** Typography the definitions use that Windows-1252 lacks, in its nearest form. */
const NEAREST: Record<string, string> = { '−': '-', '‐': '-', '‑': '-', '≤': '<=', '≥': '>=', '→': '->', '\u2009': ' ', '\u202f': ' ' };
/** Cells hold text and numbers; anything else prints as nothing rather than `[object Object]`. */
const cellString = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : '';
export const pdfText = (v: unknown): string =>
  [...cellString(v)]
    .map((c) =>
      c === '\n'
        ? c
        : /[\u0000-\u001f\u007f-\u009f]/.test(c)
          ? ' '
          : (c >= ' ' && c <= '~') || (c >= '\u00a0' && c <= '\u00ff') || WIN_ANSI_EXTRA.has(c)
            ? c
            : (NEAREST[c] ?? '?'),
    )
    .join('');

/** A cell's text is cut to this many lines too. */
const MAX_CELL_LINES = 8;
const clip = (s: string) => {
  const lines = s.split('\n');
  const cut = lines.length > MAX_CELL_LINES ? `${lines.slice(0, MAX_CELL_LINES).join('\n')}…` : s;
  return cut.length > MAX_CELL_CHARS ? `${cut.slice(0, MAX_CELL_CHARS - 1)}…` : cut;
};

/**
 * An A4 committee document drawn with pdfkit's standard fonts and vectors: headings, paragraphs,
 * tables that break across pages under a repeated header, the summary's own SVG charts, and a
 * footer on every page stamping the log position and the global chain's head hash. Nothing in it
 * acts: no links, actions, scripts, forms or attachments; operators' text is only ever text.
 */
export class PdfReport {
  private readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly ended: Promise<Buffer>;

  constructor(
    private readonly stamp: PdfStamp,
    subject: string,
  ) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      bufferPages: true,
      // Fixed dates: pdfkit also derives the file's ID from them, so equal input gives equal bytes.
      info: {
        Title: pdfText(stamp.title),
        Subject: pdfText(subject),
        Creator: 'itsm-backend',
        Producer: 'itsm-backend (pdfkit)',
        CreationDate: stamp.date,
        ModDate: stamp.date,
      },
      lang: 'en-GB',
      displayTitle: true,
    });
    this.doc.on('data', (c: Buffer) => this.chunks.push(c));
    this.ended = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
    this.doc.font(FONT).fontSize(9).fillColor(INK);
  }

  private get width(): number {
    return this.doc.page.width - MARGIN.left - MARGIN.right;
  }

  private get bottom(): number {
    return this.doc.page.height - MARGIN.bottom;
  }

  /** Starts a new page unless `height` still fits on this one. */
  private room(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  title(text: string, subtitle: string): this {
    this.doc.font(BOLD).fontSize(17).fillColor(INK).text(pdfText(text), MARGIN.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.2).font(FONT).fontSize(10).fillColor('#424242').text(pdfText(subtitle), { width: this.width });
    this.doc.fillColor(INK).moveDown(0.6);
    return this;
  }

  /** A section heading, in the document outline too; it never sits alone at a page's foot. */
  heading(text: string): this {
    this.room(60);
    this.doc.moveDown(0.6).font(BOLD).fontSize(12.5).fillColor('#0d47a1').text(pdfText(text), MARGIN.left, this.doc.y, { width: this.width });
    const y = this.doc.y + 1;
    this.doc
      .moveTo(MARGIN.left, y)
      .lineTo(MARGIN.left + this.width, y)
      .lineWidth(0.8)
      .strokeColor('#90caf9')
      .stroke();
    this.doc.outline.addItem(pdfText(text));
    this.doc.fillColor(INK).moveDown(0.4);
    return this;
  }

  paragraph(text: string, style: 'body' | 'note' | 'strong' = 'body'): this {
    const size = style === 'note' ? 7.5 : 9;
    this.doc
      .font(style === 'note' ? ITALIC : style === 'strong' ? BOLD : FONT)
      .fontSize(size)
      .fillColor(style === 'note' ? '#555555' : INK);
    this.room(this.doc.heightOfString(pdfText(text), { width: this.width }));
    this.doc.text(pdfText(text), MARGIN.left, this.doc.y, { width: this.width });
    this.doc.fillColor(INK).moveDown(0.4);
    return this;
  }

  /** A label and its value on one line, the label bold. */
  field(label: string, value: string): this {
    this.doc
      .font(BOLD)
      .fontSize(9)
      .fillColor(INK)
      .text(`${pdfText(label)}: `, MARGIN.left, this.doc.y, { continued: true, width: this.width });
    this.doc.font(FONT).text(pdfText(value));
    return this;
  }

  bullets(lines: string[]): this {
    this.doc.font(FONT).fontSize(9).fillColor(INK);
    for (const line of lines) {
      const text = pdfText(line);
      this.room(this.doc.heightOfString(text, { width: this.width - 12 }));
      const y = this.doc.y;
      this.doc.circle(MARGIN.left + 4, y + 4.5, 1.6).fill(INK);
      this.doc.text(text, MARGIN.left + 12, y, { width: this.width - 12 });
      this.doc.moveDown(0.15);
    }
    this.doc.moveDown(0.3);
    return this;
  }

  /** A table whose rows wrap their text, break across pages and repeat the header on each. */
  table(columns: PdfColumn[], rows: PdfCell[][], fontSize = 7.5): this {
    const total = columns.reduce((n, c) => n + c.weight, 0);
    const widths = columns.map((c) => (this.width * c.weight) / total);
    const pad = 3;
    // Every row has one cell per column (the tables are built so): a cell beyond them is a bug.
    const columnAt = (i: number) => {
      const [column, width] = [columns[i], widths[i]];
      if (column === undefined || width === undefined) throw new Error(`A table row has cell ${i + 1} beyond its ${columns.length} columns`);
      return { width, align: column.align ?? 'left' };
    };
    // Measuring wraps the text: the costliest step, so each distinct cell is measured once.
    const measured = new Map<string, number>();
    const heightOf = (texts: string[], font: string) => {
      this.doc.font(font).fontSize(fontSize);
      const heights = texts.map((t, i) => {
        const key = `${font}|${i}|${t}`;
        if (!measured.has(key)) measured.set(key, this.doc.heightOfString(t, { width: columnAt(i).width - 2 * pad }));
        return measured.get(key)!;
      });
      return Math.max(...heights) + 2 * pad;
    };
    const textOf = (c: PdfCell) => clip(pdfText(typeof c === 'string' ? c : c.text));
    const draw = (cells: PdfCell[], h: number, font: string, fill?: string) => {
      let x = MARGIN.left;
      const y = this.doc.y;
      cells.forEach((c, i) => {
        const { width, align } = columnAt(i);
        const ground = typeof c === 'string' ? fill : c.fill;
        if (ground) this.doc.rect(x, y, width, h).fill(ground);
        this.doc.rect(x, y, width, h).lineWidth(0.5).strokeColor(RULE).stroke();
        this.doc
          .font(font)
          .fontSize(fontSize)
          .fillColor(typeof c === 'string' ? INK : (c.color ?? INK));
        this.doc.text(textOf(c), x + pad, y + pad, { width: width - 2 * pad, align });
        x += width;
      });
      this.doc.x = MARGIN.left;
      this.doc.y = y + h;
    };
    const header = columns.map((c) => c.header);
    const headerTexts = header.map(textOf);
    const headerHeight = heightOf(headerTexts, BOLD);
    this.room(headerHeight + 20);
    draw(header, headerHeight, BOLD, HEAD_FILL);
    for (const row of rows) {
      const texts = row.map(textOf);
      const h = heightOf(texts, FONT);
      if (this.doc.y + h > this.bottom) {
        this.doc.addPage();
        draw(header, headerHeight, BOLD, HEAD_FILL);
      }
      draw(row, h, FONT);
    }
    this.doc.fillColor(INK).moveDown(0.5);
    return this;
  }

  /** One of the summary's SVG charts, drawn as vectors at the page's width. */
  chart(svg: string, viewBox: { width: number; height: number }): this {
    const height = (this.width * viewBox.height) / viewBox.width;
    this.room(height + 8);
    SVGtoPDF(this.doc, svg, MARGIN.left, this.doc.y, { width: this.width, height, assumePt: true });
    this.doc.x = MARGIN.left;
    this.doc.y += height + 8;
    return this;
  }

  /** SVG gauges side by side, `perRow` to a row. */
  gauges(svgs: string[], viewBox: { width: number; height: number }, perRow = 4): this {
    const w = this.width / perRow;
    const h = (w * viewBox.height) / viewBox.width;
    for (let i = 0; i < svgs.length; i += perRow) {
      this.room(h);
      const y = this.doc.y;
      // The gauges' own width and height (for the HTML page) would override the size given here.
      const sized = (svg: string) => svg.replace(/^<svg([^>]*?) width="[^"]*" height="[^"]*"/, '<svg$1');
      svgs.slice(i, i + perRow).forEach((svg, j) => SVGtoPDF(this.doc, sized(svg), MARGIN.left + j * w, y, { width: w, height: h, assumePt: true }));
      this.doc.x = MARGIN.left;
      this.doc.y = y + h + 2;
    }
    this.doc.moveDown(0.3);
    return this;
  }

  /** Stamps every page's footer and closes the document: its bytes. */
  async finish(): Promise<Buffer> {
    const { start, count } = this.doc.bufferedPageRange();
    const position = this.stamp.logPosition === null ? 'before any event' : `log position ${this.stamp.logPosition}`;
    for (let i = start; i < start + count; i++) {
      this.doc.switchToPage(i);
      // Below the bottom margin: lift it while writing, or pdfkit would start a new page.
      const margin = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      const y = this.doc.page.height - MARGIN.bottom + 14;
      this.doc
        .moveTo(MARGIN.left, y - 4)
        .lineTo(MARGIN.left + this.width, y - 4)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke();
      this.doc.font(FONT).fontSize(7).fillColor('#616161');
      this.doc.text(`${pdfText(this.stamp.title).replace(/\n/g, ' ')} · ${position}`, MARGIN.left, y, { width: this.width - 60, lineBreak: false });
      this.doc.text(`Page ${i - start + 1} of ${count}`, MARGIN.left + this.width - 60, y, { width: 60, align: 'right', lineBreak: false });
      this.doc.text(`Global chain head hash at that position: ${this.stamp.headGlobalHash}`, MARGIN.left, y + 10, { width: this.width, lineBreak: false });
      this.doc.page.margins.bottom = margin;
    }
    this.doc.end();
    return this.ended;
  }
}
