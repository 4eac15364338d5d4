// What the panel shows before any run: what the extension does and how to start.
import { button, el } from './dom';

export function renderEmptyState(demoHint: string | undefined, onStart: () => void): HTMLElement {
  return el('section', { className: 'empty-state', attrs: { 'aria-labelledby': 'empty-heading' } }, [
    el('h1', { text: 'Dual-Model Orchestration', attrs: { id: 'empty-heading' } }),
    el('p', {
      text: 'Two AI models work as a team on your code. The Architect designs and reviews; the Coder implements. Between them the run stops until you confirm the hand-over.',
    }),
    el('ol', { className: 'empty-steps' }, [
      el('li', {}, [el('strong', { text: 'Architect' }), ' analyzes your request and writes a Code Spec.']),
      el('li', {}, ['🛑 ', el('strong', { text: 'HARD STOP' }), ' — you press ', el('strong', { text: 'Model Confirmed' }), ' to hand over to the Coder.']),
      el('li', {}, [el('strong', { text: 'Coder' }), ' implements the spec in your workspace, runs the verification command and writes a Code Report.']),
      el('li', {}, ['🛑 ', el('strong', { text: 'HARD STOP' }), ' — back to the Architect.']),
      el('li', {}, [el('strong', { text: 'Architect' }), ' reviews: ✅ Approved, 🔄 Revisions needed or ❌ Fundamental redesign.']),
    ]),
    el('div', { className: 'actions' }, [button('Start a run (/dual-model)', { kind: 'primary', testId: 'start-run', onClick: onStart })]),
    demoHint !== undefined && demoHint.trim() !== '' ? el('p', { className: 'note demo-hint', text: demoHint }) : undefined,
  ]);
}
