// Turns untrusted markdown into a sanitized DocumentFragment. marked (markdownHtml.ts) already
// escapes raw HTML; DOMPurify is the second wall. The result is a fragment, never an HTML string
// assigned to innerHTML, and it carries no ids (DOM clobbering), styles (CSP) or form controls.
import DOMPurify from 'dompurify';
import { markdownToHtml } from './markdownHtml';

const forbiddenTags = ['style', 'form', 'input', 'button', 'textarea', 'select', 'option', 'img', 'picture', 'source', 'video', 'audio', 'iframe', 'object', 'embed', 'svg', 'math', 'base', 'link', 'meta'];
const forbiddenAttributes = ['style', 'id', 'name', 'srcset', 'target', 'formaction', 'action', 'ping'];

let hooksInstalled = false;

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node instanceof HTMLAnchorElement) node.setAttribute('rel', 'noopener noreferrer');
  });
}

export function renderMarkdown(source: string): DocumentFragment {
  installHooks();
  return DOMPurify.sanitize(markdownToHtml(source), {
    USE_PROFILES: { html: true },
    FORBID_TAGS: forbiddenTags,
    FORBID_ATTR: forbiddenAttributes,
    ALLOW_DATA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
  });
}
