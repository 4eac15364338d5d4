// The host's gate for webview messages: the webview is untrusted, so every message is parsed
// against the zod union and anything else is refused with a reason (and never acted on).
import type { WebviewMessage } from '../shared/messages.js';
import { WebviewMessageSchema } from '../shared/messages.js';

export type RoutedMessage = { ok: true; message: WebviewMessage } | { ok: false; reason: string };

export function routeWebviewMessage(raw: unknown): RoutedMessage {
  const parsed = WebviewMessageSchema.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issue = parsed.error.issues[0];
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? JSON.stringify((raw as { type: unknown }).type).slice(0, 60) : 'none';
  return { ok: false, reason: `refused a webview message (type ${type}): ${issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid'}` };
}
