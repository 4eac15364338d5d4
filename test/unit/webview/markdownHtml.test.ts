import * as assert from 'node:assert/strict';
import { escapeHtml, markdownToHtml, safeHref } from '../../../webview-ui/src/markdownHtml';
import { reportMarkdown, specMarkdown } from './runViewFixtures';

describe('webview markdown (before DOMPurify)', () => {
  it('renders the seed\'s formats: headings, tables, code blocks', () => {
    const spec = markdownToHtml(specMarkdown);
    assert.match(spec, /<h3 class="md-h1">Code Spec — Add a retry budget/);
    assert.match(spec, /<h4 class="md-h2">Objective<\/h4>/);
    assert.match(spec, /<code class="language-bash">npm test -- --grep retry/);
    const report = markdownToHtml(reportMarkdown);
    assert.match(report, /<table>/);
    assert.match(report, /<td><code>src\/http\/client.ts<\/code><\/td>/);
  });

  it('moves headings under the panel\'s own, never past h6', () => {
    assert.match(markdownToHtml('#### Deep\n\n###### Deeper'), /<h6 class="md-h4">Deep<\/h6>\s*<h6 class="md-h6">Deeper<\/h6>/);
  });

  it('keeps the seed\'s header lines on separate lines', () => {
    assert.match(markdownToHtml('**Spec ID:** CS-001\n**Architect:** Opus'), /CS-001<br>\s*<strong>Architect:/);
  });

  it('shows raw HTML from a model as text, block and inline', () => {
    const html = markdownToHtml('<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> and <b>bold</b>\n\n<div onclick="x()">hi</div>');
    assert.doesNotMatch(html, /<script|<img|<b>|<div/i);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(html, /&lt;div onclick=&quot;x\(\)&quot;&gt;/);
  });

  it('keeps web and relative links and refuses other schemes', () => {
    const html = markdownToHtml('[a](https://example.com/x?a=1&b=2) [b](javascript:alert(1)) [c](data:text/html,hi) [d](./code_spec.md) [e](command:workbench.action.quit)');
    assert.match(html, /<a href="https:\/\/example.com\/x\?a=1&amp;b=2"/);
    assert.match(html, /<a href=".\/code_spec.md"/);
    assert.doesNotMatch(html, /javascript:|data:text|command:/);
    assert.equal((html.match(/md-link-refused/g) ?? []).length, 3);
  });

  it('does not load images, it names them', () => {
    const html = markdownToHtml('![tracking pixel](https://example.com/pixel.png?secret=1)');
    assert.doesNotMatch(html, /<img/);
    assert.match(html, /\[image: tracking pixel\]/);
  });

  it('renders task boxes as text, not form controls', () => {
    const html = markdownToHtml('- [ ] open\n- [x] done');
    assert.doesNotMatch(html, /<input/);
    assert.match(html, /☐/);
    assert.match(html, /☑/);
  });

  it('escapes quotes in titles', () => {
    const html = markdownToHtml('[x](https://example.com "say \\"hi\\" <now>")');
    assert.doesNotMatch(html, /title="say "hi"/);
    assert.match(html, /title="say &quot;hi&quot; &lt;now&gt;"/);
  });

  describe('safeHref', () => {
    const cases: [string, string | undefined][] = [
      ['https://example.com', 'https://example.com'],
      ['HTTP://example.com', 'HTTP://example.com'],
      ['mailto:a@example.com', 'mailto:a@example.com'],
      ['#section', '#section'],
      ['docs/readme.md', 'docs/readme.md'],
      ['javascript:alert(1)', undefined],
      ['JaVaScRiPt:alert(1)', undefined],
      ['java\tscript:alert(1)', undefined],
      [' \u0001javascript:alert(1)', undefined],
      ['vbscript:x', undefined],
      ['data:text/html;base64,PHNjcmlwdD4=', undefined],
      ['vscode://file/etc/passwd', undefined],
      ['file:///etc/passwd', undefined],
      ['//evil.example.com/x', undefined],
      ['', undefined],
    ];
    for (const [href, expected] of cases) {
      it(`${JSON.stringify(href)} → ${JSON.stringify(expected)}`, () => assert.equal(safeHref(href), expected));
    }
  });

  it('escapes the five HTML characters', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
