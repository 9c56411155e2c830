import { marked } from 'marked';
import { markdownText, sanitizeSummaryMarkup } from '../src';

/** Operators' text in the Service Delivery Summary: inert in the Markdown, and the HTML keeps only plain markup. */
describe('summary text', () => {
  const hostile = '[click](javascript:alert(1)) ![x](https://evil.example/p.png) <img src=x onerror=alert(1)> **b** `c` ~~d~~ \\ _e_';

  it('is escaped Markdown: no link, image, emphasis or HTML survives a Markdown renderer', () => {
    const md = markdownText(hostile);
    expect(md).toBe(
      '\\[click\\](javascript:alert(1)) \\!\\[x\\](https\\://evil.example/p.png) &lt;img src=x onerror=alert(1)&gt; \\*\\*b\\*\\* \\`c\\` \\~\\~d\\~\\~ \\\\ \\_e\\_',
    );
    const html = marked.parse(md, { async: false });
    expect(html).not.toMatch(/<(a|img|strong|em|code|del)[\s>]/);
    expect(html).toContain('[click](javascript:alert(1))');
    expect(markdownText('line one\n# heading\r\n- item')).toBe('line one # heading - item');
    // Bare URLs and addresses, which GFM would make links, stay text too.
    expect(marked.parse(markdownText('see https://evil.example, www.evil.example or mallory@evil.example'), { async: false })).toBe(
      '<p>see https://evil.example, www.evil.example or mallory@evil.example</p>\n',
    );
  });

  it('the HTML allowlist drops links, images, scripts, styles, handlers and URLs that reached it anyway', () => {
    const dirty =
      '<h2>T</h2><p><a href="javascript:alert(1)">click</a> <img src="https://evil.example/p.png"> <script>alert(1)</script><style>body{}</style><iframe src="https://x"></iframe></p><table><tr><td onclick="x()" style="color:red">RED</td></tr></table><svg><image href="https://evil"/></svg>';
    const clean = sanitizeSummaryMarkup(dirty);
    expect(clean).toBe('<h2>T</h2><p>click  </p><table><tr><td>RED</td></tr></table>');
  });
});
