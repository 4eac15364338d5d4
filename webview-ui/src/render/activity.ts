// The activity line (what the extension is doing now) and, under it, the live output of the
// model that is answering. The activity line lives in a persistent aria-live container owned by
// the panel, so screen readers announce each change.
import { button, el } from './dom';

export function renderActivity(activity: { busy: boolean; message: string }): Node[] {
  if (!activity.busy && activity.message.trim() === '') return [];
  return [
    activity.busy ? el('span', { className: 'spinner', attrs: { 'aria-hidden': 'true' } }) : undefined,
    el('span', { className: 'activity-message', text: activity.message.trim() === '' ? 'Working…' : activity.message }),
  ].filter((node): node is HTMLSpanElement => node !== undefined);
}

/**
 * A failed phase, with Retry; or, when `onRetry` is undefined, an action that was refused while
 * the run stays where it is (a HARD STOP whose model did not answer, an untrusted workspace):
 * nothing to retry there, the user acts again where they did.
 */
export function renderError(message: string, onRetry: (() => void) | undefined): HTMLElement {
  return el('section', { className: 'error-box', testId: 'error', attrs: { role: 'alert', 'aria-labelledby': 'error-heading' } }, [
    el('h2', { className: 'error-heading', text: onRetry ? 'The phase stopped on an error' : 'That did not go through', attrs: { id: 'error-heading' } }),
    el('p', { className: 'error-message', text: message }),
    onRetry ? el('div', { className: 'actions' }, [button('Retry', { kind: 'primary', testId: 'retry', onClick: onRetry })]) : undefined,
  ]);
}

/** A run found on disk that waits for the user: resuming it is a deliberate click. */
export function renderResume(onResume: () => void): HTMLElement {
  return el('div', { className: 'actions resume-run' }, [button('Resume this run…', { testId: 'resume-run', onClick: onResume })]);
}

/**
 * The streaming block. Chunks arrive many times a second, so text is appended to one text node
 * instead of rebuilding; the block follows the end unless the user scrolled up to read.
 */
export class StreamView {
  readonly element: HTMLElement;
  private readonly pre: HTMLPreElement;
  private readonly text: Text;
  private readonly trimmedNote: HTMLElement;
  private shown = '';

  constructor() {
    this.text = document.createTextNode('');
    this.pre = el('pre', { className: 'stream', testId: 'stream', attrs: { tabindex: '0', 'aria-label': 'Live model output' } }, [this.text]);
    this.trimmedNote = el('span', { className: 'stream-trimmed', text: ' — earlier output trimmed' });
    this.element = el('div', { className: 'stream-wrap' }, [
      el('p', { className: 'stream-caption' }, ['Live output', this.trimmedNote]),
      this.pre,
    ]);
    this.element.hidden = true;
  }

  update(stream: { text: string; truncated: boolean } | undefined): void {
    const next = stream?.text ?? '';
    this.element.hidden = next === '';
    this.trimmedNote.hidden = !(stream?.truncated ?? false);
    if (next === this.shown) return;
    const atEnd = this.pre.scrollHeight - this.pre.scrollTop - this.pre.clientHeight < 24;
    if (this.shown !== '' && next.startsWith(this.shown)) this.text.appendData(next.slice(this.shown.length));
    else this.text.data = next;
    this.shown = next;
    if (atEnd) this.pre.scrollTop = this.pre.scrollHeight;
  }
}
