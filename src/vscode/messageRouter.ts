// The host's gate for webview messages: the webview is untrusted, so every message is parsed
// against the zod union and anything else is refused with a reason (and never acted on). Every
// intent is answered under its request id, ok or with the error, so the webview never waits on
// a click forever.
import type { IntentMessage, IntentReply, WebviewMessage } from '../shared/messages.js';
import { maxReplyErrorChars, usableRequestId, WebviewMessageSchema } from '../shared/messages.js';
import { messageOf } from './errorMessage.js';

export type RoutedMessage = { ok: true; message: WebviewMessage } | { ok: false; reason: string };

export function routeWebviewMessage(raw: unknown): RoutedMessage {
  const parsed = WebviewMessageSchema.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issue = parsed.error.issues[0];
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? JSON.stringify((raw as { type: unknown }).type).slice(0, 60) : 'none';
  return { ok: false, reason: `refused a webview message (type ${type}): ${issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid'}` };
}

export interface IntentHandlers {
  /** The webview has (re)started and listens: send it the current snapshot. */
  ready(): void;
  /** Acts on one intent; settles once its effect is visible in a snapshot, rejects with why not. */
  intent(message: IntentMessage): Promise<void>;
  log(line: string): void;
}

/** Acts on one raw webview message; returns the reply to post, or nothing for `ready` and for a message that names no request. */
export async function answerWebviewMessage(raw: unknown, handlers: IntentHandlers): Promise<IntentReply | undefined> {
  const routed = routeWebviewMessage(raw);
  if (!routed.ok) {
    handlers.log(routed.reason);
    const requestId = typeof raw === 'object' && raw !== null && 'requestId' in raw ? usableRequestId(raw.requestId) : undefined;
    return requestId === undefined ? undefined : failure(requestId, routed.reason);
  }
  const message = routed.message;
  if (message.type === 'ready') {
    handlers.ready();
    return undefined;
  }
  try {
    await handlers.intent(message);
    return { type: 'reply', requestId: message.requestId, result: { ok: true } };
  } catch (error) {
    const reason = messageOf(error);
    handlers.log(`${message.type} failed: ${reason}`);
    return failure(message.requestId, reason);
  }
}

function failure(requestId: string, error: string): IntentReply {
  const short = error.length > maxReplyErrorChars ? `${error.slice(0, maxReplyErrorChars - 1)}…` : error;
  return { type: 'reply', requestId, result: { ok: false, error: short } };
}
