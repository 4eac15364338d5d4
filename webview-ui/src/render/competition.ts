// A competitive run's candidates side by side (wrapping to rows in a narrow panel): each with its
// status, facts, rank, why it was excluded, its files (each with "View diff"), and, while the run
// waits for the user, "Apply this one"; the judge's pick highlighted with its reasons.
import type { CandidateColumn, CompetitionModel } from '../competitionModel';
import { button, el } from './dom';
import { markdownBlock } from './markdownBlock';

export interface CompetitionActions {
  /** Undefined while an apply waits for the host's reply: the buttons are disabled then. */
  onApply: ((label: string) => void) | undefined;
  onDiff: (label: string, path: string) => void;
}

export function renderCompetition(model: CompetitionModel, actions: CompetitionActions): HTMLElement {
  return el('section', { className: 'competition', testId: 'competition', attrs: { 'aria-labelledby': 'competition-heading' } }, [
    el('h2', { className: 'competition-heading', text: model.heading, attrs: { id: 'competition-heading' } }),
    model.status ? el('p', { className: 'competition-status', testId: 'competition-status', text: model.status }) : undefined,
    model.judge
      ? el('div', { className: 'competition-judge note', testId: 'competition-judge' }, [
          el('h3', { text: `The Architect’s pick: candidate ${model.judge.pick}` }),
          markdownBlock(model.judge.reasons, 'markdown competition-reasons'),
        ])
      : undefined,
    el('div', { className: 'candidates', attrs: { role: 'list' } }, model.columns.map((column) => renderColumn(column, actions))),
  ]);
}

function renderColumn(column: CandidateColumn, actions: CompetitionActions): HTMLElement {
  const classes = ['candidate', column.picked ? 'candidate-picked' : '', column.applied ? 'candidate-applied' : '', column.excluded ? 'candidate-excluded' : ''].filter(Boolean).join(' ');
  return el('article', { className: classes, testId: `candidate-${column.label}`, attrs: { role: 'listitem', 'aria-label': column.title } }, [
    el('header', { className: 'candidate-header' }, [
      el('h3', { text: column.title }),
      column.rank ? el('span', { className: 'candidate-rank', text: column.rank }) : undefined,
      column.picked ? el('span', { className: 'candidate-badge', text: 'Judge’s pick' }) : undefined,
      column.applied ? el('span', { className: 'candidate-badge', text: 'Applied' }) : undefined,
    ]),
    column.model ? el('p', { className: 'candidate-model', text: column.model }) : undefined,
    el('p', { className: 'candidate-status', text: column.message ? `${column.status} ${column.message}` : column.status }),
    column.excluded ? el('p', { className: 'candidate-excluded-why note note-warning', text: column.excluded }) : undefined,
    column.facts.length > 0 ? el('dl', { className: 'candidate-facts' }, column.facts.flatMap(([name, value]) => [el('dt', { text: name }), el('dd', { text: value })])) : undefined,
    column.files.length > 0
      ? el(
          'ul',
          { className: 'candidate-files' },
          column.files.map((file) =>
            el('li', {}, [
              el('code', { text: file.path }),
              el('span', { className: 'candidate-change', text: file.change }),
              button('View diff', { className: 'candidate-diff', title: `${file.path}: the workspace’s file against candidate ${column.label}’s`, onClick: () => actions.onDiff(column.label, file.path) }),
            ]),
          ),
        )
      : undefined,
    column.apply
      ? button(column.apply.label, {
          kind: column.apply.primary ? 'primary' : 'secondary',
          testId: `apply-candidate-${column.label}`,
          disabled: actions.onApply === undefined,
          onClick: () => actions.onApply?.(column.label),
        })
      : undefined,
  ]);
}
