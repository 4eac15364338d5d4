// Lays the panel out in fixed slots and repaints a slot only when what it shows has changed.
// Snapshots arrive often (every activity message), and rebuilding everything would wipe the
// notes being typed, the keyboard focus and the document's scroll position.
import type { IntentType } from '../../../src/shared/messages';
import { failureOf, pendingIntent, type IntentState } from '../intentState';
import type { PanelIntents } from '../panelIntents';
import { selectedDocumentIndex, type PanelState } from '../panelState';
import { confirmLabels, toRunPanelModel } from '../viewModel';
import { renderActivity, renderError, renderResume, StreamView } from './activity';
import { renderBatch } from './batch';
import { renderCompetition } from './competition';
import { toCompetitionModel } from '../competitionModel';
import { el } from './dom';
import { renderDocuments } from './documents';
import { renderEmptyState } from './emptyState';
import { renderHardStop } from './hardStop';
import { renderHeader } from './header';
import { renderHistory } from './history';
import { withIntentError } from './intentError';
import { renderReview } from './review';

type Content = Node | readonly Node[] | undefined;

export class Slot {
  private key: string | undefined;

  constructor(readonly element: HTMLElement) {}

  paint(key: string, build: () => Content): void {
    if (key === this.key) return;
    this.key = key;
    const focus = captureFocus(this.element);
    const content = build();
    const nodes: Node[] = content === undefined ? [] : content instanceof Node ? [content] : [...content];
    this.element.replaceChildren(...nodes);
    restoreFocus(this.element, focus);
  }
}

interface FocusMemo {
  id: string | undefined;
  testId: string | undefined;
  wasTab: boolean;
  selection: [number, number] | undefined;
}

function captureFocus(container: HTMLElement): FocusMemo | undefined {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !container.contains(active)) return undefined;
  return {
    id: active.id === '' ? undefined : active.id,
    testId: active.dataset['testid'],
    wasTab: active.getAttribute('role') === 'tab',
    selection: active instanceof HTMLTextAreaElement ? [active.selectionStart, active.selectionEnd] : undefined,
  };
}

function restoreFocus(container: HTMLElement, memo: FocusMemo | undefined): void {
  if (memo === undefined) return;
  let target: Element | null = null;
  if (memo.wasTab) target = container.querySelector('[role="tab"][aria-selected="true"]');
  else if (memo.id !== undefined) target = container.querySelector(`#${CSS.escape(memo.id)}`);
  else if (memo.testId !== undefined) target = container.querySelector(`[data-testid="${CSS.escape(memo.testId)}"]`);
  if (!(target instanceof HTMLElement)) return;
  target.focus({ preventScroll: true });
  if (target instanceof HTMLTextAreaElement && memo.selection !== undefined) target.setSelectionRange(memo.selection[0], memo.selection[1]);
}

export class PanelView {
  private readonly header = new Slot(el('div', { className: 'slot slot-header' }));
  private readonly error = new Slot(el('div', { className: 'slot slot-error' }));
  private readonly hardStop = new Slot(el('div', { className: 'slot slot-hard-stop' }));
  private readonly batch = new Slot(el('div', { className: 'slot slot-batch' }));
  private readonly competition = new Slot(el('div', { className: 'slot slot-competition' }));
  private readonly activity = new Slot(
    el('div', { className: 'activity', testId: 'activity', attrs: { role: 'status', 'aria-live': 'polite' } }),
  );
  private readonly stream = new StreamView();
  private readonly review = new Slot(el('div', { className: 'slot slot-review' }));
  private readonly documents = new Slot(el('div', { className: 'slot slot-documents' }));
  private readonly history = new Slot(el('div', { className: 'slot slot-history' }));
  private readonly empty = new Slot(el('div', { className: 'slot slot-empty' }));
  /** A question being typed at the HARD STOP, per run: kept across the repaints an answer brings. */
  private readonly questionDrafts = new Map<string, string>();

  constructor(
    root: HTMLElement,
    private readonly intents: PanelIntents,
  ) {
    root.replaceChildren(
      el('div', { className: 'panel' }, [
        this.header.element,
        this.error.element,
        this.hardStop.element,
        this.batch.element,
        this.competition.element,
        this.activity.element,
        this.stream.element,
        this.review.element,
        this.documents.element,
        this.history.element,
        this.empty.element,
      ]),
    );
  }

  update(state: PanelState, intents: IntentState): void {
    const pending = pendingIntent(intents);
    // A refused intent's error goes in the slot of the control that sent it.
    const failed = (...types: IntentType[]): string | undefined => types.map((type) => failureOf(intents, type)).find((message) => message !== undefined);
    const run = state.snapshot?.run ?? null;
    if (run === null) {
      for (const slot of [this.header, this.error, this.hardStop, this.batch, this.competition, this.activity, this.review, this.documents, this.history]) slot.paint('', () => undefined);
      this.stream.update(undefined);
      const demoHint = state.snapshot?.demoHint;
      const startError = failed('startRun');
      this.empty.paint(JSON.stringify(['empty', demoHint, startError]), () =>
        withIntentError(renderEmptyState(demoHint, () => this.intents.send({ type: 'startRun' })), startError),
      );
      return;
    }
    this.empty.paint('', () => undefined);

    const model = toRunPanelModel(run);
    const runId = model.runId;
    const cancel = (): void => this.intents.send({ type: 'cancelRun', runId });

    const headerError = model.cancel === 'header' ? failed('cancelRun') : undefined;
    this.header.paint(JSON.stringify([runId, model.header, model.roles, model.cancel, headerError]), () =>
      withIntentError(
        renderHeader(model.header, model.roles, {
          onCancel: model.cancel === 'header' ? cancel : undefined,
          callsOpen: state.ui.callsOpen,
          onToggleCalls: (open) => this.intents.setCallsOpen(open),
        }),
        headerError,
      ),
    );

    const error = model.error;
    const retryError = failed('retryPhase');
    this.error.paint(JSON.stringify([runId, error, retryError]), () =>
      error === undefined
        ? undefined
        : withIntentError(renderError(error, model.failed ? () => this.intents.send({ type: 'retryPhase', runId }) : undefined), retryError),
    );

    const hardStop =
      model.hardStop === undefined || pending !== 'confirm'
        ? model.hardStop
        : { ...model.hardStop, confirming: true, confirmLabel: confirmLabels.confirming };
    const hardStopError = failed('confirmModel', 'cancelRun', 'askAboutSpec', 'reviseSpec');
    const draft = this.questionDrafts.get(runId)?.trim();
    if (draft !== undefined && hardStop?.discussion?.some((turn) => turn.question === draft)) this.questionDrafts.delete(runId);
    const asking = pending === 'ask';
    this.hardStop.paint(JSON.stringify([runId, hardStop, hardStopError, asking]), () =>
      hardStop === undefined
        ? undefined
        : withIntentError(
            renderHardStop(hardStop, {
              onConfirm: () => this.intents.confirmModel(runId),
              onCancel: cancel,
              discussion: {
                asking,
                draft: this.questionDrafts.get(runId) ?? '',
                onDraft: (text) => this.questionDrafts.set(runId, text),
                // The draft stays until its answer is shown: a question the Architect could not answer is not lost.
                onAsk: (question) => this.intents.send({ type: 'askAboutSpec', runId, question }),
                onRevise: () => this.intents.send({ type: 'reviseSpec', runId }),
              },
            }),
            hardStopError,
          ),
    );

    const batch = run.batch;
    const choosing = Object.values(intents.inFlight).includes('continueBatch');
    const batchError = failed('continueBatch');
    const choose = (choice: 'go-on' | 'stop') => (choosing ? undefined : () => this.intents.send({ type: 'continueBatch', runId, choice }));
    this.batch.paint(JSON.stringify([runId, batch, choosing, batchError, run.mode?.name]), () =>
      batch === undefined ? undefined : withIntentError(renderBatch(batch, { onGoOn: choose('go-on'), onStop: choose('stop') }, run.mode?.name), batchError),
    );

    const competition = run.competition === undefined ? undefined : toCompetitionModel(run.competition);
    const applying = Object.values(intents.inFlight).includes('applyCandidate');
    const competitionError = failed('applyCandidate', 'openCandidateDiff');
    this.competition.paint(JSON.stringify([runId, competition, applying, competitionError]), () =>
      competition === undefined
        ? undefined
        : withIntentError(
            renderCompetition(competition, {
              onApply: applying ? undefined : (label) => this.intents.send({ type: 'applyCandidate', runId, label }),
              onDiff: (label, path) => this.intents.send({ type: 'openCandidateDiff', runId, label, path }),
            }),
            competitionError,
          ),
    );

    const resumeError = failed('resumeRun');
    this.activity.paint(JSON.stringify([model.activity, model.resumable, resumeError]), () => [
      ...renderActivity(model.activity),
      ...(model.resumable ? withIntentError(renderResume(() => this.intents.send({ type: 'resumeRun', runId })), resumeError) : []),
    ]);
    this.stream.update(state.stream);

    const review = model.review;
    const deciding = pending === 'decide';
    const decideError = failed('decideReview');
    this.review.paint(JSON.stringify([runId, review, deciding, decideError]), () =>
      review === undefined
        ? undefined
        : withIntentError(
            renderReview(review, {
              notes: state.ui.notes,
              deciding,
              onNotes: (notes) => this.intents.setNotes(notes),
              onDecide: (outcome, notes) => this.intents.decide(runId, outcome, notes),
            }),
            decideError,
          ),
    );

    const selected = selectedDocumentIndex(state);
    const markdown = run.documents.map((doc) => doc.markdown);
    const openError = failed('openArtifact');
    this.documents.paint(JSON.stringify([runId, model.documents, markdown, selected, openError]), () =>
      withIntentError(
        renderDocuments(
          { tabs: model.documents, markdown, selected },
          {
            onSelect: (key) => this.intents.selectDocument(key),
            onOpen: (path) => this.intents.send({ type: 'openArtifact', runId, path }),
          },
        ),
        openError,
      ),
    );

    this.history.paint(JSON.stringify([runId, model.history]), () =>
      renderHistory(model.history, state.ui.historyOpen, (open) => this.intents.setHistoryOpen(open)),
    );
  }
}
