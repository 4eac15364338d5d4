// The intents this webview has sent and not yet seen answered, and the last one the host
// refused. Pure, so "pending clears on the reply" and "the error stays by its button" are
// tested on plain Node. Not saved with setState: a reloaded webview has no request in flight.
import type { IntentReply, IntentType } from '../../src/shared/messages';

export interface IntentState {
  /** Sent and not yet answered, by request id. */
  readonly inFlight: Readonly<Record<string, IntentType>>;
  /** The last intent the host refused, shown next to the control that sent it. */
  readonly failure: { readonly type: IntentType; readonly message: string } | undefined;
}

/** What the panel's buttons show while a click waits for its reply. */
export type PendingIntent = 'confirm' | 'decide' | 'revert' | 'ask' | undefined;

export const noIntents: IntentState = { inFlight: {}, failure: undefined };

/** A new click: the previous error has been read, and this request waits for its reply. */
export function intentSent(state: IntentState, requestId: string, type: IntentType): IntentState {
  return { inFlight: { ...state.inFlight, [requestId]: type }, failure: undefined };
}

export function replyReceived(state: IntentState, reply: IntentReply): IntentState {
  const type = state.inFlight[reply.requestId];
  if (type === undefined) return state;
  const inFlight = Object.fromEntries(Object.entries(state.inFlight).filter(([id]) => id !== reply.requestId));
  return { inFlight, failure: reply.result.ok ? state.failure : { type, message: reply.result.error } };
}

/** The run changed phase or another run is shown: an error about the old one no longer applies. */
export function runMoved(state: IntentState): IntentState {
  return state.failure === undefined ? state : { ...state, failure: undefined };
}

export function pendingIntent(state: IntentState): PendingIntent {
  const waiting = Object.values(state.inFlight);
  if (waiting.includes('confirmModel')) return 'confirm';
  if (waiting.includes('decideReview')) return 'decide';
  if (waiting.includes('revertPass')) return 'revert';
  if (waiting.includes('askAboutSpec') || waiting.includes('reviseSpec')) return 'ask';
  return undefined;
}

/** The host's error for the last `type` intent, if that is what it refused last. */
export function failureOf(state: IntentState, type: IntentType): string | undefined {
  return state.failure?.type === type ? state.failure.message : undefined;
}
