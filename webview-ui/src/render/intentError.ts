// The host's reason for refusing a click, placed right after the control the user clicked (the
// HARD STOP card, the review's buttons, …), so the answer is where the user looks, not only in a
// toast.
import { el } from './dom';

/** `content` followed by the error, if there is one; text only, never parsed as HTML. */
export function withIntentError(content: HTMLElement | undefined, error: string | undefined): HTMLElement[] {
  const nodes = content === undefined ? [] : [content];
  if (error === undefined) return nodes;
  return [...nodes, el('p', { className: 'note note-error intent-error', testId: 'intent-error', text: error, attrs: { role: 'alert' } })];
}
