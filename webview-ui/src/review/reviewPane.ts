// The side-panel review laid out in slots, each repainted only when what it shows changed (so
// notes being typed and the keyboard focus survive the snapshots that arrive while a run works).
// Every control is a real button with a label a screen reader reads.
import type { IntentType } from '../../../src/shared/messages';
import { failureOf, pendingIntent, type IntentState } from '../intentState';
import type { PanelIntents } from '../panelIntents';
import type { PanelState } from '../panelState';
import { button, el } from '../render/dom';
import { withIntentError } from '../render/intentError';
import { markdownBlock } from '../render/markdownBlock';
import { Slot } from '../render/panelView';
import { renderReview } from '../render/review';
import { toReviewPaneModel, type ReportPaneModel } from './reviewModel';

export class ReviewPane {
  private readonly header = new Slot(el('div', { className: 'slot review-header' }));
  private readonly confirm = new Slot(el('div', { className: 'slot review-confirm' }));
  private readonly decision = new Slot(el('div', { className: 'slot review-decision' }));
  private readonly report = new Slot(el('div', { className: 'slot review-report' }));
  private readonly calls = new Slot(el('div', { className: 'slot review-calls' }));

  constructor(
    root: HTMLElement,
    private readonly intents: PanelIntents,
  ) {
    root.replaceChildren(el('div', { className: 'panel review-pane', testId: 'review-pane' }, [this.header.element, this.confirm.element, this.decision.element, this.report.element, this.calls.element]));
  }

  update(state: PanelState, intents: IntentState): void {
    const failed = (...types: IntentType[]): string | undefined => types.map((type) => failureOf(intents, type)).find((message) => message !== undefined);
    const pending = pendingIntent(intents);
    const run = state.snapshot?.run ?? null;
    if (run === null) {
      for (const slot of [this.confirm, this.decision, this.report, this.calls]) slot.paint('', () => undefined);
      this.header.paint('empty', () =>
        el('section', { className: 'empty-state', testId: 'review-empty' }, [
          el('p', { text: 'No run is open. Start one, or pick one in the Runs view: its Code Report is reviewed here.' }),
          button('Start a run (/dual-model)', { kind: 'primary', testId: 'review-start', onClick: () => this.intents.send({ type: 'startRun' }) }),
        ]),
      );
      return;
    }
    const model = toReviewPaneModel(run);
    const runId = model.runId;
    const openError = failed('showRunPanel');
    this.header.paint(JSON.stringify(['run', runId, model.request, model.phaseLabel, model.status, model.busy, model.error, openError]), () =>
      withIntentError(
        el('header', { className: 'review-run' }, [
          el('p', { className: 'request', testId: 'review-request', text: model.request }),
          el('p', { className: 'phase-label', testId: 'review-phase', text: model.phaseLabel }),
          model.status !== '' ? el('p', { className: model.busy ? 'activity busy' : 'activity', testId: 'review-status', text: model.status, attrs: { role: 'status', 'aria-live': 'polite' } }) : undefined,
          model.error !== undefined ? el('p', { className: 'error-text', testId: 'review-error', text: model.error, attrs: { role: 'alert' } }) : undefined,
          button('Open the run panel', { testId: 'review-open-panel', title: 'Specs, history and every document at full width', onClick: () => this.intents.send({ type: 'showRunPanel', runId }) }),
        ]),
        openError,
      ),
    );

    const confirm = model.confirm === undefined ? undefined : { ...model.confirm, confirming: model.confirm.confirming || pending === 'confirm' };
    const confirmError = failed('confirmModel');
    this.confirm.paint(JSON.stringify([runId, confirm, confirmError]), () =>
      confirm === undefined
        ? undefined
        : withIntentError(
            el('section', { className: 'hard-stop', attrs: { 'aria-label': 'HARD STOP' } }, [
              el('p', { text: `🛑 HARD STOP: Switch to Architect Model. ${confirm.next}` }),
              button(confirm.label, { kind: 'primary', testId: 'review-confirm', disabled: confirm.confirming, onClick: () => this.intents.confirmModel(runId) }),
            ]),
            confirmError,
          ),
    );

    const review = model.review;
    const deciding = pending === 'decide';
    const decideError = failed('decideReview');
    this.decision.paint(JSON.stringify([runId, review, deciding, decideError]), () =>
      review === undefined
        ? undefined
        : withIntentError(
            renderReview(review, { notes: state.ui.notes, deciding, onNotes: (notes) => this.intents.setNotes(notes), onDecide: (outcome, notes) => this.intents.decide(runId, outcome, notes) }),
            decideError,
          ),
    );

    const reportError = failed('openChange', 'revertPass', 'openArtifact');
    const reverting = pending === 'revert';
    this.report.paint(JSON.stringify([runId, model.report, model.noReport, reportError, reverting]), () =>
      withIntentError(model.report === undefined ? el('p', { className: 'note', testId: 'review-no-report', text: model.noReport ?? '' }) : this.renderReport(runId, model.report, reverting), reportError),
    );

    this.calls.paint(JSON.stringify([runId, model.calls]), () =>
      model.calls.length === 0
        ? undefined
        : el('details', { className: 'review-calls-list', testId: 'review-calls' }, [
            el('summary', { text: `Who served each call (${model.calls.length})` }),
            el('ul', {}, model.calls.map((call) => el('li', { testId: 'review-call', text: `${call.phase}: ${call.model} — ${call.route} — ${call.cost}` }))),
          ]),
    );
  }

  private renderReport(runId: string, report: ReportPaneModel, reverting: boolean): HTMLElement {
    const open = (path: string, as: 'diff' | 'file'): void => this.intents.send({ type: 'openChange', runId, path, as });
    return el('section', { className: 'review-report-body', testId: 'review-report', attrs: { 'aria-labelledby': 'review-report-heading' } }, [
      el('h2', { attrs: { id: 'review-report-heading' } }, [report.heading]),
      button('Open the report', { testId: 'review-open-report', onClick: () => this.intents.send({ type: 'openArtifact', runId, path: report.path }) }),
      report.unreadable !== undefined ? el('p', { className: 'error-text', testId: 'review-unreadable', text: `The report no longer parses (${report.unreadable}); open it to read it as it is.` }) : undefined,
      report.summary.trim() !== '' ? markdownBlock(report.summary, 'markdown review-summary') : undefined,
      el('h3', { text: report.filesLabel }),
      el(
        'ul',
        { className: 'review-files', testId: 'review-files', attrs: { 'aria-label': 'Files changed' } },
        report.files.map((file) =>
          el('li', { className: `review-file review-file-${file.action.toLowerCase()}`, testId: 'review-file' }, [
            el('code', { className: 'review-file-path', text: file.path }),
            el('span', { className: 'review-file-change', text: file.change }),
            button('Diff', { testId: 'review-file-diff', title: `${file.path}: before the Coder's pass ↔ now`, onClick: () => open(file.path, 'diff') }),
            file.canOpen ? button('Open', { testId: 'review-file-open', title: `Open ${file.path}`, onClick: () => open(file.path, 'file') }) : undefined,
          ]),
        ),
      ),
      el('h3', { text: 'Verification' }),
      el(
        'ul',
        { className: 'review-checks', testId: 'review-checks' },
        report.checks.map((check) =>
          el('li', { className: check.sandboxed === false ? 'review-check unsandboxed' : 'review-check' }, [el('code', { text: check.command }), ` — ${check.outcome} — ${check.sandbox}`]),
        ),
      ),
      report.tests !== undefined ? el('p', { testId: 'review-tests', text: `Tests: ${report.tests}` }) : undefined,
      report.build !== undefined ? el('p', { testId: 'review-build', text: `Build: ${report.build}` }) : undefined,
      report.testOutput.trim() !== '' ? el('details', { className: 'review-output' }, [el('summary', { text: 'Output' }), el('pre', { testId: 'review-output', text: report.testOutput })]) : undefined,
      report.blockers.length > 0
        ? el('section', { attrs: { 'aria-label': 'Blockers' } }, [
            el('h3', { text: 'Blockers' }),
            el('dl', { className: 'blocker-answers', testId: 'review-blockers' }, report.blockers.flatMap((blocker) => [el('dt', { text: blocker.question }), el('dd', { text: blocker.answer ?? 'Not answered yet: the Architect answers in its review.' })])),
          ])
        : undefined,
      report.deviations.length > 0 ? el('section', {}, [el('h3', { text: 'Deviations from the spec' }), el('ul', {}, report.deviations.map((text) => el('li', { text })))]) : undefined,
      report.revert === 'offer'
        ? el('div', { className: 'actions' }, [button('Revert this pass', { testId: 'review-revert', disabled: reverting, title: 'Put back every file this pass changed, as it was before (asks first)', onClick: () => this.intents.send({ type: 'revertPass', runId }) })])
        : report.revert === 'reverted'
          ? el('p', { className: 'note', testId: 'review-reverted', text: 'This pass was reverted: its files are as they were before it.' })
          : undefined,
    ]);
  }
}
