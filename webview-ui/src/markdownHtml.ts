// Markdown from the models is untrusted. This turns it into HTML with marked, configured so that
// the HTML is safe by construction as far as marked can make it: raw HTML in the markdown is
// shown as text, only http(s)/mailto/relative links survive, images are not loaded (a remote
// image is a way to send data out), task boxes are text, not form controls, and headings move
// down two levels to follow the panel's own. The result is
// still passed through DOMPurify before it reaches the page (markdown.ts); this file has no DOM,
// so its rules are tested on plain Node.
import { Marked, type Tokens } from 'marked';

/** The panel's own h1 and h2 sit above a document, so its "# Code Spec" becomes an h3. */
export const headingOffset = 2;

const htmlEscapes: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => htmlEscapes[ch] ?? ch);
}

/**
 * The href to keep for a link, or undefined to render the link as plain text. Schemes other
 * than http, https and mailto (javascript:, data:, command:, vscode:, file:, …) are refused;
 * scheme-less targets (relative paths, #fragments) are kept.
 */
export function safeHref(href: string): string | undefined {
  // Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
  // eslint-disable-next-line no-control-regex
  const compact = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (compact === '') return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact);
  if (scheme === null) return compact.startsWith('//') ? undefined : href.trim();
  const name = (scheme[1] ?? '').toLowerCase();
  return name === 'http' || name === 'https' || name === 'mailto' ? href.trim() : undefined;
}

const markdown = new Marked({
  gfm: true,
  // The seed's header lines ("**Spec ID:** …" then "**Architect:** …") are meant as lines.
  breaks: true,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(text);
    },
    heading({ tokens, depth }: Tokens.Heading): string {
      const level = Math.min(depth + headingOffset, 6);
      return `<h${level} class="md-h${depth}">${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
    link({ href, title, tokens }: Tokens.Link): string {
      const inner = this.parser.parseInline(tokens);
      const target = safeHref(href);
      if (target === undefined) return `<span class="md-link-refused">${inner}</span>`;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : ` title="${escapeHtml(target)}"`;
      return `<a href="${escapeHtml(target)}"${titleAttr}>${inner}</a>`;
    },
    image({ href, text }: Tokens.Image): string {
      const label = text.trim() === '' ? 'image' : text;
      return `<span class="md-image" title="${escapeHtml(href)}">[image: ${escapeHtml(label)}]</span>`;
    },
    checkbox({ checked }: Tokens.Checkbox): string {
      return checked
        ? '<span class="md-task md-task-done" role="img" aria-label="done">☑</span> '
        : '<span class="md-task" role="img" aria-label="not done">☐</span> ';
    },
  },
});

/** HTML for a markdown document; to be sanitized before use. Never throws. */
export function markdownToHtml(source: string): string {
  try {
    const html = markdown.parse(source, { async: false });
    return typeof html === 'string' ? html : '';
  } catch {
    return `<pre>${escapeHtml(source)}</pre>`;
  }
}
