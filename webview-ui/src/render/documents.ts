// The Code Spec / Code Report tabs and the selected document, rendered from sanitized markdown.
import type { DocumentTab } from '../viewModel';
import { button, el } from './dom';
import { markdownBlock } from './markdownBlock';

export interface DocumentsActions {
  onSelect: (key: string) => void;
  onOpen: (path: string) => void;
}

export interface DocumentsInput {
  tabs: readonly DocumentTab[];
  markdown: readonly string[];
  selected: number;
}

const panelId = 'document-panel';

export function renderDocuments(input: DocumentsInput, actions: DocumentsActions): HTMLElement | undefined {
  const selected = input.tabs[input.selected];
  if (selected === undefined) return undefined;

  const tabs = input.tabs.map((tab, index) => {
    const isSelected = index === input.selected;
    const element = el('button', {
      className: `doc-tab doc-tab-${tab.kind}`,
      testId: 'doc-tab',
      text: tab.label,
      attrs: {
        type: 'button',
        role: 'tab',
        id: `doc-tab-${index}`,
        'aria-selected': String(isSelected),
        'aria-controls': panelId,
        tabindex: isSelected ? '0' : '-1',
        title: tab.path,
      },
    });
    element.addEventListener('click', () => {
      if (!isSelected) actions.onSelect(tab.key);
    });
    return element;
  });

  const tablist = el('div', { className: 'doc-tabs', attrs: { role: 'tablist', 'aria-label': 'Documents' } }, tabs);
  // Arrow keys move between tabs, as in any tab list (WAI-ARIA authoring practices).
  tablist.addEventListener('keydown', (event) => {
    const moves: Readonly<Record<string, number>> = {
      ArrowRight: input.selected + 1,
      ArrowLeft: input.selected - 1,
      Home: 0,
      End: input.tabs.length - 1,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const wrapped = (target + input.tabs.length) % input.tabs.length;
    const tab = input.tabs[wrapped];
    if (tab !== undefined && wrapped !== input.selected) actions.onSelect(tab.key);
  });

  const panel = el('div', { className: 'document', testId: 'document', attrs: { role: 'tabpanel', id: panelId, 'aria-labelledby': `doc-tab-${input.selected}`, tabindex: '0' } }, [
    el('div', { className: 'document-toolbar' }, [
      // Long paths are cut at the start (the file name matters most); <bdi> keeps the slashes in place.
      el('span', { className: 'document-path', attrs: { title: selected.path } }, [el('bdi', { text: selected.path })]),
      button('Open in editor', { testId: 'open-artifact', onClick: () => actions.onOpen(selected.path), title: `Open ${selected.path} in an editor` }),
    ]),
    markdownBlock(input.markdown[input.selected] ?? '', 'markdown document-body'),
  ]);

  return el('section', { className: 'documents', attrs: { 'aria-labelledby': 'documents-heading' } }, [
    el('h2', { className: 'section-heading', text: 'Documents', attrs: { id: 'documents-heading' } }),
    tablist,
    panel,
  ]);
}
