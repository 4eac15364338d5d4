import * as assert from 'node:assert/strict';
import type { HostMessage } from '../../../src/shared/messages';
import type { RunView } from '../../../src/core/workflow/runViewSchema';
import {
  applyHostMessage,
  initialPanelState,
  maxStreamChars,
  parseHostMessage,
  restorePanelState,
  selectDocument,
  selectedDocumentIndex,
  setCallsOpen,
  setHistoryOpen,
  setNotes,
  type PanelState,
} from '../../../webview-ui/src/panelState';
import { documentKey } from '../../../webview-ui/src/viewModel';
import { architectReviewRun, architectSpecRun, hardStopToCoderRun, specDocument } from './runViewFixtures';

function snapshot(run: RunView | null, demoHint?: string): HostMessage {
  return demoHint === undefined ? { type: 'snapshot', run } : { type: 'snapshot', run, demoHint };
}

function apply(state: PanelState, ...messages: HostMessage[]): PanelState {
  return messages.reduce(applyHostMessage, state);
}

describe('webview panel state', () => {
  describe('incoming messages', () => {
    it('accepts only host messages', () => {
      assert.equal(parseHostMessage({ type: 'stream', runId: 'r', text: 'x' })?.type, 'stream');
      assert.equal(parseHostMessage({ type: 'snapshot', run: null })?.type, 'snapshot');
      assert.equal(parseHostMessage({ type: 'confirmModel', runId: 'r' }), undefined);
      assert.equal(parseHostMessage({ type: 'snapshot', run: { runId: 'r' } }), undefined);
      assert.equal(parseHostMessage('snapshot'), undefined);
      assert.equal(parseHostMessage(undefined), undefined);
    });
  });

  describe('stream', () => {
    it('appends chunks for the current run and phase', () => {
      const state = apply(
        initialPanelState,
        snapshot(architectSpecRun),
        { type: 'stream', runId: architectSpecRun.runId, text: '# Code ' },
        { type: 'stream', runId: architectSpecRun.runId, text: 'Spec' },
      );
      assert.equal(state.stream?.text, '# Code Spec');
      assert.equal(state.stream?.phase, 'architect-spec');
    });

    it('drops what streamed so far when the host says the answer is being asked again', () => {
      const state = apply(
        initialPanelState,
        snapshot(architectSpecRun),
        { type: 'stream', runId: architectSpecRun.runId, text: '# Code Spec — hal' },
        { type: 'stream', runId: architectSpecRun.runId, text: '', reset: true },
        { type: 'stream', runId: architectSpecRun.runId, text: '# Code Spec — whole' },
      );
      assert.equal(state.stream?.text, '# Code Spec — whole');
    });

    it('ignores chunks of another run, or with no run shown', () => {
      assert.equal(apply(initialPanelState, { type: 'stream', runId: 'x', text: 'a' }).stream, undefined);
      assert.equal(apply(initialPanelState, snapshot(architectSpecRun), { type: 'stream', runId: 'other', text: 'a' }).stream, undefined);
    });

    it('survives snapshots of the same phase and ends with the phase', () => {
      const streaming = apply(initialPanelState, snapshot(architectSpecRun), { type: 'stream', runId: architectSpecRun.runId, text: 'abc' });
      const sameRunSamePhase = apply(streaming, snapshot({ ...architectSpecRun, activity: { busy: true, message: 'still writing' } }));
      assert.equal(sameRunSamePhase.stream?.text, 'abc');
      assert.equal(apply(streaming, snapshot(hardStopToCoderRun)).stream, undefined);
      assert.equal(apply(streaming, snapshot(null)).stream, undefined);
    });

    it('ends when the host stops being busy in the same phase (the answer became a verdict)', () => {
      const streaming = apply(initialPanelState, snapshot({ ...architectSpecRun, activity: { busy: true, message: 'reviewing' } }), { type: 'stream', runId: architectSpecRun.runId, text: '{"outcome"' });
      assert.equal(apply(streaming, snapshot({ ...architectSpecRun, activity: { busy: false, message: '' } })).stream, undefined);
    });

    it('keeps only the newest text of a very long stream', () => {
      const runId = architectSpecRun.runId;
      const big = 'x'.repeat(maxStreamChars);
      const state = apply(initialPanelState, snapshot(architectSpecRun), { type: 'stream', runId, text: big }, { type: 'stream', runId, text: 'END' });
      assert.equal(state.stream?.text.length, maxStreamChars);
      assert.ok(state.stream?.text.endsWith('END'));
      assert.equal(state.stream?.truncated, true);
    });
  });

  describe('document tabs', () => {
    it('starts on the host\'s active document', () => {
      const state = apply(initialPanelState, snapshot(architectReviewRun));
      assert.equal(selectedDocumentIndex(state), 1);
    });

    it('keeps the user\'s tab across repaints of the same phase', () => {
      const specKey = documentKey(specDocument);
      let state = apply(initialPanelState, snapshot(architectReviewRun));
      state = selectDocument(state, specKey);
      state = apply(state, snapshot({ ...architectReviewRun, activity: { busy: false, message: 'changed' } }));
      assert.equal(selectedDocumentIndex(state), 0);
    });

    it('switches to a new artifact when the host makes it active', () => {
      let state = apply(initialPanelState, snapshot({ ...architectReviewRun, documents: [specDocument], activeDocument: 0 }));
      state = selectDocument(state, documentKey(specDocument));
      state = apply(state, snapshot(architectReviewRun));
      assert.equal(selectedDocumentIndex(state), 1);
    });

    it('has no tab without documents, and falls back when the chosen one is gone', () => {
      assert.equal(selectedDocumentIndex(apply(initialPanelState, snapshot(architectSpecRun))), -1);
      assert.equal(selectedDocumentIndex(initialPanelState), -1);
      const state = selectDocument(apply(initialPanelState, snapshot(architectReviewRun)), 'gone');
      assert.equal(selectedDocumentIndex(state), 1);
    });
  });

  describe('notes and history', () => {
    it('keeps draft notes while the decision is open and clears them once it is made', () => {
      let state = setNotes(apply(initialPanelState, snapshot(architectReviewRun)), 'tighten the backoff');
      state = apply(state, snapshot({ ...architectReviewRun, activity: { busy: false, message: 'x' } }));
      assert.equal(state.ui.notes, 'tighten the backoff');
      state = apply(state, snapshot({ ...architectReviewRun, awaitingDecision: false, phase: 'hard-stop-to-coder', phaseNumber: 2 }));
      assert.equal(state.ui.notes, '');
    });

    it('forgets the previous run\'s choices but not whether history and the calls are open', () => {
      let state = setCallsOpen(setHistoryOpen(setNotes(apply(initialPanelState, snapshot(architectReviewRun)), 'draft'), true), true);
      state = apply(state, snapshot({ ...architectSpecRun, runId: 'another-run' }));
      assert.equal(state.ui.notes, '');
      assert.equal(state.ui.historyOpen, true);
      assert.equal(state.ui.callsOpen, true);
      assert.equal(state.ui.selectedDocument, undefined);
    });
  });

  describe('saved state', () => {
    it('round-trips through JSON, as setState/getState do', () => {
      const state = apply(initialPanelState, snapshot(architectReviewRun, 'hint'), { type: 'stream', runId: architectReviewRun.runId, text: 'abc' });
      assert.deepEqual(restorePanelState(JSON.parse(JSON.stringify(state))), state);
    });

    it('restores state saved before the calls list existed, with the list folded', () => {
      const { callsOpen: _callsOpen, ...olderUi } = { ...initialPanelState.ui, historyOpen: true };
      const restored = restorePanelState({ ...initialPanelState, ui: olderUi });
      assert.equal(restored.ui.historyOpen, true, 'kept, not reset to the initial state');
      assert.equal(restored.ui.callsOpen, false);
    });

    it('drops anything it does not recognise', () => {
      assert.deepEqual(restorePanelState(undefined), initialPanelState);
      assert.deepEqual(restorePanelState({ version: 2 }), initialPanelState);
      assert.deepEqual(restorePanelState({ ...initialPanelState, snapshot: { run: { runId: 1 } } }), initialPanelState);
    });
  });
});
