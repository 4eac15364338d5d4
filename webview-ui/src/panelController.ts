// Wires the panel together: host messages in (parsed, reduced, painted), intents out, and the
// state kept with setState so a hidden or restored panel repaints at once.
import type { ReviewOutcome, WebviewMessage } from '../../src/shared/messages';
import { decideReviewMessage } from './intents';
import {
  applyHostMessage,
  parseHostMessage,
  restorePanelState,
  selectDocument,
  setCallsOpen,
  setHistoryOpen,
  setNotes,
  type PanelState,
} from './panelState';
import { PanelView, type PendingIntent } from './render/panelView';

export interface HostBridge {
  post(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** Stream chunks come fast; the saved copy of them can lag a little. */
const persistDelayMs = 400;

export function startPanel(root: HTMLElement, host: HostBridge, events: Pick<Window, 'addEventListener'> = window): void {
  let state: PanelState = restorePanelState(host.getState());
  let pending: PendingIntent;
  let persistTimer: ReturnType<typeof setTimeout> | undefined;

  const persistNow = (): void => {
    if (persistTimer !== undefined) clearTimeout(persistTimer);
    persistTimer = undefined;
    host.setState(state);
  };
  const persistSoon = (): void => {
    persistTimer ??= setTimeout(persistNow, persistDelayMs);
  };

  const view = new PanelView(root, {
    send: (message) => host.post(message),
    confirmModel: (runId: string) => {
      if (pending !== undefined) return;
      pending = 'confirm';
      view.update(state, pending);
      // The digest of the spec set on screen: the host refuses the confirm if it changed since.
      const shown = state.snapshot?.run;
      const specDigest = shown?.runId === runId ? shown.hardStop?.specDigest : undefined;
      host.post({ type: 'confirmModel', runId, ...(specDigest ? { specDigest } : {}) });
    },
    decide: (runId: string, outcome: ReviewOutcome, notes: string) => {
      if (pending !== undefined) return;
      pending = 'decide';
      view.update(state, pending);
      host.post(decideReviewMessage(runId, outcome, notes));
    },
    selectDocument: (key: string) => {
      state = selectDocument(state, key);
      persistNow();
      view.update(state, pending);
    },
    // Typing does not repaint; the draft is only remembered for later repaints and restores.
    setNotes: (notes: string) => {
      state = setNotes(state, notes);
      persistSoon();
    },
    setHistoryOpen: (open: boolean) => {
      state = setHistoryOpen(state, open);
      persistSoon();
    },
    setCallsOpen: (open: boolean) => {
      state = setCallsOpen(state, open);
      persistSoon();
    },
  });

  events.addEventListener('message', (event: Event) => {
    const data: unknown = event instanceof MessageEvent ? event.data : undefined;
    const message = parseHostMessage(data);
    if (message === undefined) {
      console.warn('[dual-model] ignoring a message that is not a host message', data);
      return;
    }
    if (message.type === 'snapshot') pending = undefined;
    state = applyHostMessage(state, message);
    if (message.type === 'snapshot') persistNow();
    else persistSoon();
    view.update(state, pending);
  });

  view.update(state, pending);
  host.post({ type: 'ready' });
}
