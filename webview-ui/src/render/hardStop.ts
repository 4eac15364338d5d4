// The HARD STOP card: the seed's hand-over text, the command the Coder may run, a warning when the
// spec opens protected files to the Coder, and the only way forward, the user's "Model Confirmed".
import type { HardStopModel } from '../viewModel';
import { button, el } from './dom';

export interface HardStopActions {
  onConfirm: () => void;
  onCancel: () => void;
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
    el('div', { className: 'actions' }, [confirm, button('Cancel run', { testId: 'cancel-run', onClick: actions.onCancel })]),
  ]);
}
