// The panel's state machine without a DOM: host messages in (parsed, reduced, handed to the
// painter), intents out with a request id each, their replies matched back, and the state kept
// with setState so a hidden or restored panel repaints at once.
import type { IntentRequest, WebviewMessage } from '../../src/shared/messages';
import type { ReviewOutcome } from '../../src/core/workflow/runState';
import type { RunView } from '../../src/core/workflow/runViewSchema';
import { decideReviewMessage, withRequestId } from './intents';
import { intentSent, noIntents, pendingIntent, replyReceived, runMoved, type IntentState } from './intentState';
import type { PanelIntents } from './panelIntents';
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

export interface HostBridge {
  post(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** Repaints the panel; the DOM view in the webview. */
export type Paint = (state: PanelState, intents: IntentState) => void;

export interface PanelSession {
  readonly intents: PanelIntents;
  /** One postMessage payload from the host, whatever it is: anything but a host message is ignored. */
  receive(data: unknown): void;
  /** Paints what was restored and tells the host the panel listens. */
  start(): void;
}

/** Stream chunks come fast; the saved copy of them can lag a little. */
const persistDelayMs = 400;

/** Unique enough across this webview's lives that a reply meant for an earlier life finds nothing. */
function requestIds(): () => string {
  const life = Math.random().toString(36).slice(2, 10);
  let count = 0;
  return () => `${life}-${(count += 1)}`;
}

export function createPanelSession(host: HostBridge, paint: Paint): PanelSession {
  let state: PanelState = restorePanelState(host.getState());
  let intents: IntentState = noIntents;
  let persistTimer: ReturnType<typeof setTimeout> | undefined;
  const nextRequestId = requestIds();

  const persistNow = (): void => {
    if (persistTimer !== undefined) clearTimeout(persistTimer);
    persistTimer = undefined;
    host.setState(state);
  };
  const persistSoon = (): void => {
    persistTimer ??= setTimeout(persistNow, persistDelayMs);
  };

  const send = (request: IntentRequest): void => {
    const message = withRequestId(request, nextRequestId());
    intents = intentSent(intents, message.requestId, message.type);
    paint(state, intents);
    host.post(message);
  };

  const panelIntents: PanelIntents = {
    send,
    confirmModel: (runId: string) => {
      if (pendingIntent(intents) !== undefined) return;
      // The digest of the spec set on screen: the host refuses the confirm if it changed since.
      const shown = state.snapshot?.run;
      const specDigest = shown?.runId === runId ? shown.hardStop?.specDigest : undefined;
      send({ type: 'confirmModel', runId, ...(specDigest ? { specDigest } : {}) });
    },
    decide: (runId: string, outcome: ReviewOutcome, notes: string) => {
      if (pendingIntent(intents) !== undefined) return;
      send(decideReviewMessage(runId, outcome, notes));
    },
    selectDocument: (key: string) => {
      state = selectDocument(state, key);
      persistNow();
      paint(state, intents);
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
  };

  const receive = (data: unknown): void => {
    const message = parseHostMessage(data);
    if (message === undefined) {
      console.warn('[dual-model] ignoring a message that is not a host message', data);
      return;
    }
    if (message.type === 'reply') {
      intents = replyReceived(intents, message);
    } else {
      const before = state.snapshot?.run ?? null;
      state = applyHostMessage(state, message);
      if (moved(before, state.snapshot?.run ?? null)) intents = runMoved(intents);
      if (message.type === 'snapshot') persistNow();
      else persistSoon();
    }
    paint(state, intents);
  };

  return {
    intents: panelIntents,
    receive,
    start: () => {
      paint(state, intents);
      host.post({ type: 'ready' });
    },
  };
}

function moved(before: RunView | null, after: RunView | null): boolean {
  return before?.runId !== after?.runId || before?.phase !== after?.phase;
}
