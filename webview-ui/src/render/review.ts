// Phase 5: the Architect's recommendation and answers to the Coder's blockers, and, while the run
// waits for it, the user's decision with optional notes.
import type { ReviewOutcome } from '../../../src/core/workflow/runState';
import { maxNotesChars } from '../panelState';
import type { ReviewModel } from '../viewModel';
import { button, el } from './dom';
import { markdownBlock } from './markdownBlock';

export interface ReviewActions {
  notes: string;
  /** True between a click on a decision and the host's next snapshot. */
  deciding: boolean;
  onNotes: (notes: string) => void;
  onDecide: (outcome: ReviewOutcome, notes: string) => void;
}

export function renderReview(model: ReviewModel, actions: ReviewActions): HTMLElement {
  const children: (Node | undefined)[] = [
    el('h2', { text: model.decisions !== undefined ? 'Review — your decision' : 'Architect’s review', attrs: { id: 'review-heading' } }),
  ];
  if (model.recommended !== undefined) {
    children.push(
      el('p', { className: `recommendation recommendation-${model.recommended.outcome}` }, [
        'The Architect recommends: ',
        el('strong', { text: model.recommended.label }),
      ]),
    );
  }
  if (model.reasons.trim() !== '') children.push(markdownBlock(model.reasons, 'markdown review-reasons'));
  if (model.blockerAnswers.length > 0) {
    children.push(
      el('h3', { text: 'Answers to the Coder’s blockers' }),
      el(
        'dl',
        { className: 'blocker-answers' },
        model.blockerAnswers.flatMap((b) => [el('dt', { text: b.question }), el('dd', { text: b.answer })]),
      ),
    );
  }
  if (model.decisions !== undefined) {
    const notes = el('textarea', {
      className: 'review-notes',
      testId: 'review-notes',
      attrs: {
        id: 'review-notes',
        rows: '4',
        maxlength: String(maxNotesChars),
        placeholder: 'Optional: what should change, or why. Sent to the Architect with your decision.',
      },
    });
    notes.value = actions.notes;
    notes.addEventListener('input', () => actions.onNotes(notes.value));
    children.push(
      el('label', { className: 'notes-label', text: 'Notes for the Architect', attrs: { for: 'review-notes' } }),
      notes,
      el(
        'div',
        { className: 'actions decisions', attrs: { role: 'group', 'aria-label': 'Review outcome' } },
        model.decisions.map((decision) =>
          button(decision.label, {
            kind: decision.recommended ? 'primary' : 'secondary',
            testId: decision.testId,
            className: `decision decision-${decision.outcome}`,
            title: decision.recommended ? 'The Architect’s recommendation' : undefined,
            disabled: actions.deciding,
            onClick: () => actions.onDecide(decision.outcome, notes.value),
          }),
        ),
      ),
    );
  }
  return el(
    'section',
    { className: 'review', attrs: { 'aria-labelledby': 'review-heading' } },
    children.filter((node): node is Node => node !== undefined),
  );
}
