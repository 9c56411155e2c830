import { documentFigures, figuresDigest, summaryFigures, type PublicationStamp } from '@itsm/projections';
import { julySummary } from '../../projections/test/publication-fixture';
import { PUBLICATION_FORMATS, renderPublication } from '../src';

const stamp: PublicationStamp = {
  publicationId: '6f0c1a52-0000-4000-8000-000000000001',
  report: 'service-delivery-summary',
  month: '2023-07',
  position: '40',
  eventCount: 40,
  headGlobalHash: 'a'.repeat(64),
  digest: 'b'.repeat(64),
  figures: 10,
  asOf: '2023-08-02T09:00:00.000Z',
  publishedAt: '2023-08-02T09:00:01.000Z',
  publishedBy: 'clerk',
};

describe('the formats of a published document', () => {
  it('render from the kept document and the stamp alone: the same bytes every time, the stamp in each', async () => {
    const document = { kind: 'tenant' as const, summary: julySummary() };
    expect(PUBLICATION_FORMATS).toEqual(expect.arrayContaining(['json', 'md', 'html', 'pdf', 'xlsx']));
    for (const format of PUBLICATION_FORMATS) {
      const once = await renderPublication(format, document, stamp);
      expect((await renderPublication(format, JSON.parse(JSON.stringify(document)), stamp)).body).toEqual(once.body);
      // The text formats carry the stamp as text; the pack's (compressed) stamp is read back in summary-documents.int.
      if (typeof once.body !== 'string') continue;
      expect(once.body).toContain(stamp.headGlobalHash);
      expect(once.body).toContain(stamp.digest);
    }
    const json = JSON.parse(String((await renderPublication('json', document, stamp)).body));
    expect(json.publication).toEqual(stamp);
    expect(figuresDigest(documentFigures({ kind: 'tenant', summary: json }))).toBe(figuresDigest(summaryFigures(julySummary())));
  });

  it('the publisher’s name is operator text: escaped in Markdown, inert in HTML', async () => {
    const hostile = { ...stamp, publishedBy: '<img src=x onerror=alert(1)>[x](javascript:alert(1))' };
    const document = { kind: 'tenant' as const, summary: julySummary() };
    const md = String((await renderPublication('md', document, hostile)).body);
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;\\[x\\](javascript:alert(1))');
    const html = String((await renderPublication('html', document, hostile)).body);
    expect(html).not.toMatch(/<img|<a /);
    expect(html).toMatch(/<footer>.*Publication.*<\/footer><\/body><\/html>\n$/s);
  });
});
