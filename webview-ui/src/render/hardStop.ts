// The HARD STOP card: the seed's hand-over text, the command the Coder may run, a warning when the
// spec opens protected files to the Coder, and the only way forward, the user's "Model Confirmed".
import type { HardStopModel } from '../viewModel';
import { button, el } from './dom';
import { markdownBlock } from './markdownBlock';

export interface HardStopActions {
  onConfirm: () => void;
  onCancel: () => void;
  /** Before the Coder: ask the Architect about the spec, and have it revise the spec from its answers. */
  discussion?: { asking: boolean; onAsk: (question: string) => void; onRevise: () => void; draft: string; onDraft: (text: string) => void };
}

export function renderHardStop(model: HardStopModel, actions: HardStopActions): HTMLElement {
  const confirm = button(model.confirmLabel, {
    kind: 'primary',
    testId: 'confirm-model',
    className: 'confirm-model',
    disabled: model.confirming,
    onClick: actions.onConfirm,
  });
  if (model.confirming) confirm.setAttribute('aria-busy', 'true');

  return el('section', { className: 'hard-stop', testId: 'hard-stop', attrs: { 'aria-labelledby': 'hard-stop-heading' } }, [
    el('h2', { className: 'hard-stop-heading', text: model.heading, attrs: { id: 'hard-stop-heading' } }),
    el('p', { className: 'hard-stop-next', text: model.next }),
    el('p', { className: 'hard-stop-task', text: model.task }),
    el('p', { className: 'hard-stop-action', text: model.action }),
    model.verificationCommand !== undefined
      ? el('div', { className: 'verification' }, [
          el('p', { className: 'verification-intro', text: model.verificationCommand.includes('\n') ? 'The Coder may run these verification commands:' : 'The Coder may run this verification command:' }),
          el('pre', { className: 'command' }, [el('code', { text: model.verificationCommand })]),
          model.sandboxNote !== undefined
            ? el('p', { className: model.sandboxNote.sandboxed ? 'note sandbox-note' : 'note note-warning sandbox-note', testId: 'sandbox-note', text: model.sandboxNote.text })
            : undefined,
        ])
      : undefined,
    model.showUntrustedNote
      ? el('p', {
          className: 'note note-warning',
          text: 'This workspace is not trusted: the Coder’s edits and the verification command will not run until you trust it.',
        })
      : undefined,
    model.protectedPathsWarning !== undefined
      ? el('p', { className: 'note note-warning protected-paths', testId: 'protected-paths-warning', text: model.protectedPathsWarning, attrs: { role: 'alert' } })
      : undefined,
    model.swarmPlan !== undefined ? renderSwarmPlan(model.swarmPlan) : undefined,
    model.autoConfirmNote !== undefined ? el('p', { className: 'note', testId: 'auto-confirm-note', text: model.autoConfirmNote }) : undefined,
    el('div', { className: 'actions' }, [confirm, button('Cancel run', { testId: 'cancel-run', onClick: actions.onCancel })]),
    model.discussion !== undefined && actions.discussion !== undefined ? renderDiscussion(model.discussion, actions.discussion) : undefined,
  ]);
}

/** The swarm's routes, one spec a line, then what it costs against all on the top tier. */
function renderSwarmPlan(lines: readonly string[]): HTMLElement {
  const routes = lines.slice(0, -1);
  const last = lines.at(-1) ?? '';
  return el('div', { className: 'note swarm-plan', testId: 'swarm-plan' }, [
    el('p', { className: 'swarm-plan-title', text: 'Swarm plan' }),
    routes.length ? el('ul', {}, routes.map((route) => el('li', { text: route }))) : undefined,
    el('p', { text: last }),
  ]);
}

/** "Ask about this spec": the questions so far with the Architect's answers, a question box, and the revision. */
function renderDiscussion(turns: readonly { question: string; answer: string }[], actions: NonNullable<HardStopActions['discussion']>): HTMLElement {
  const box = el('textarea', {
    className: 'spec-question',
    testId: 'spec-question',
    attrs: { id: 'spec-question', rows: '2', maxlength: '20000', placeholder: 'e.g. Why a new file rather than a function in utils.js?' },
  });
  box.value = actions.draft;
  box.addEventListener('input', () => actions.onDraft(box.value));
  const ask = (): void => {
    if (box.value.trim() !== '' && !actions.asking) actions.onAsk(box.value.trim());
  };
  // Ctrl/Cmd+Enter asks, as in VS Code's own chat and comment boxes.
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      ask();
    }
  });
  return el('section', { className: 'spec-discussion', testId: 'spec-discussion', attrs: { 'aria-label': 'Discuss the spec with the Architect' } }, [
    el('h3', { text: 'Ask the Architect about this spec' }),
    turns.length > 0
      ? el('dl', { className: 'spec-answers', testId: 'spec-answers' }, turns.flatMap((turn) => [el('dt', { text: turn.question }), el('dd', {}, [markdownBlock(turn.answer, 'markdown spec-answer')])]))
      : undefined,
    el('label', { className: 'notes-label', text: 'Your question (Ctrl+Enter asks)', attrs: { for: 'spec-question' } }),
    box,
    el('div', { className: 'actions' }, [
      button(actions.asking ? 'The Architect is answering…' : 'Ask the Architect', { testId: 'ask-about-spec', disabled: actions.asking, onClick: ask }),
      turns.length > 0
        ? button('Revise the spec with these answers', { testId: 'revise-spec', disabled: actions.asking, title: 'The Architect writes a new spec version from this discussion; you see it at a new HARD STOP.', onClick: actions.onRevise })
        : undefined,
    ]),
  ]);
}
