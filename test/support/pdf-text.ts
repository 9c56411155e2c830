import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface PdfReading {
  /** The text of every page, as pdf.js extracts it... */
  text: string;
  /** ...and of each page. */
  pageTexts: string[];
  /** Pages, each with its size in points and its link annotations. */
  pages: Array<{ width: number; height: number; links: unknown[] }>;
  /** The document information dictionary (Title, CreationDate...). */
  info: Record<string, unknown>;
}

/**
 * Reads a PDF with pdf-parse (pdf.js) in a plain Node process: pdf.js loads its worker as an ES
 * module, which jest's CommonJS sandbox cannot import.
 */
const READER = `
const { PDFParse } = require('pdf-parse');
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c)).on('end', async () => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
  const { text, pages: texts } = await parser.getText();
  const { info, pages } = await parser.getInfo({ parsePageInfo: true });
  await parser.destroy();
  process.stdout.write(JSON.stringify({ text, pageTexts: texts.map((p) => p.text), info, pages: pages.map((p) => ({ width: p.width, height: p.height, links: p.links })) }));
});`;

export function readPdf(bytes: Buffer): Promise<PdfReading> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', READER], { cwd: join(__dirname, '..', '..'), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`pdf-parse exited ${code}: ${err}`))));
    child.stdin.end(bytes);
  });
}
