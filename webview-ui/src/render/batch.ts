// A batch of specs (batch mode): each spec of the set with its verification command, which the
// one HARD STOP approves together, and its progress during the pass. When a spec fails its
// verification with more to come, the pass waits here: which spec, its output, and the choice
// to go on with the rest or stop (then the report covers what was done).
import type { BatchView } from '../../../src/core/workflow/runViewSchema';
import { batchWords } from '../viewModel';
import { button, el } from './dom';

export interface BatchActions {
  /** Undefined while a choice waits for the host's reply: the buttons are disabled then. */
  onGoOn: (() => void) | undefined;
  onStop: (() => void) | undefined;
}

const statusWords: Readonly<Record<BatchView['specs'][number]['status'], string>> = {
  pending: 'To do',
  running: 'Implementing…',
  passed: '✅ Verification passed',
  failed: '❌ Verification failed',
  skipped: '⏭ Skipped',
};

export function renderBatch(batch: BatchView, actions: BatchActions, mode?: 'competitive' | 'division' | 'swarm'): HTMLElement {
  const words = batchWords(batch.specs.length, mode);
  const rows = batch.specs.map((spec, index) =>
    el('tr', { className: `batch-spec batch-${spec.status}`, testId: `batch-spec-${index + 1}` }, [
      el('td', { text: String(index + 1).padStart(2, '0') }),
      el('td', {}, [el('code', { text: spec.file })]),
      el('td', { text: spec.specId }),
      el('td', { text: spec.title }),
      el('td', {}, [el('code', { className: 'batch-command', text: spec.command })]),
      el('td', { className: 'batch-status' }, [statusWords[spec.status], spec.doing !== undefined ? el('div', { className: 'batch-doing', testId: `batch-doing-${index + 1}`, text: spec.doing }) : undefined]),
    ]),
  );
  const paused = batch.paused;
  return el('section', { className: 'batch', testId: 'batch', attrs: { 'aria-labelledby': 'batch-heading' } }, [
    el('h2', { className: 'batch-heading', text: words.heading, attrs: { id: 'batch-heading' } }),
    el('p', { className: 'batch-intro', text: words.intro }),
    el('table', { className: 'batch-specs' }, [
      el('thead', {}, [el('tr', {}, ['#', 'File', 'Spec ID', 'Title', 'Verification command', 'Status'].map((heading) => el('th', { text: heading, attrs: { scope: 'col' } })))]),
      el('tbody', {}, rows),
    ]),
    paused
      ? el('div', { className: 'batch-paused note note-warning', testId: 'batch-paused', attrs: { role: 'alert' } }, [
          el('h3', { className: 'batch-paused-heading', text: `Paused: ${paused.file} (${paused.specId}, ${paused.title}) failed its verification` }),
          el('p', { text: paused.details }),
          el('pre', { className: 'command batch-output', testId: 'batch-output' }, [el('code', { text: paused.output })]),
          el('p', { text: 'Go on with the rest of the specs, or stop here: the Code Report then covers what was done and names the specs skipped, and the run moves to the HARD STOP to the Architect.' }),
          el('div', { className: 'actions' }, [
            button('Go on with the rest', { kind: 'primary', testId: 'batch-go-on', disabled: actions.onGoOn === undefined, onClick: () => actions.onGoOn?.() }),
            button('Stop here', { testId: 'batch-stop', disabled: actions.onStop === undefined, onClick: () => actions.onStop?.() }),
          ]),
        ])
      : undefined,
  ]);
}
