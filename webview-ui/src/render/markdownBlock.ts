// A block of rendered model markdown. Links inside it never navigate the webview: every click
// on one is cancelled (the URL stays visible in the link's tooltip).
import { renderMarkdown } from '../markdown';
import { el } from './dom';

const cache = new Map<string, DocumentFragment>();
const cacheSize = 8;

function sanitizedFragment(source: string): DocumentFragment {
  let fragment = cache.get(source);
  if (fragment === undefined) {
    fragment = renderMarkdown(source);
    cache.set(source, fragment);
    if (cache.size > cacheSize) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
  }
  const copy = fragment.cloneNode(true);
  return copy instanceof DocumentFragment ? copy : document.createDocumentFragment();
}

function cancelLinkNavigation(event: MouseEvent): void {
  if (event.target instanceof Element && event.target.closest('a') !== null) event.preventDefault();
}

export function markdownBlock(source: string, className = 'markdown'): HTMLElement {
  const block = el('div', { className }, [sanitizedFragment(source)]);
  block.addEventListener('click', cancelLinkNavigation);
  block.addEventListener('auxclick', cancelLinkNavigation);
  return block;
}
