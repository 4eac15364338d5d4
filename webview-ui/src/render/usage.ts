// Tokens and cost so far: one line (its tooltip splits it by phase) and, folded away beneath it,
// every model call. Model names come from settings and servers, so every cell is text only.
import type { CallView } from '../../../src/core/workflow/runViewSchema';
import type { UsageModel } from '../viewModel';
import { el } from './dom';

const columns = ['Phase', 'Model', 'Served by', 'In', 'Out', 'Cache · thinking', 'Cost', 'Time'] as const;

export function renderUsage(usage: UsageModel, open: boolean, onToggle: (open: boolean) => void): HTMLElement[] {
  const line = el('p', { className: 'usage', testId: 'usage', text: usage.text, attrs: { title: usage.byPhase.join('\n') } });
  if (usage.calls.length === 0) return [line];
  const table = el('table', { className: 'calls-table' }, [
    el('thead', {}, [el('tr', {}, columns.map((column) => el('th', { text: column, attrs: { scope: 'col' } })))]),
    el('tbody', {}, usage.calls.flatMap(callRows)),
  ]);
  const details = el('details', { className: 'usage-calls', testId: 'usage-calls' }, [
    el('summary', { className: 'usage-calls-summary', text: usage.callsLabel }),
    // Wide tables scroll sideways inside the panel rather than widening it.
    el('div', { className: 'calls-scroll' }, [table]),
  ]);
  details.open = open;
  details.addEventListener('toggle', () => onToggle(details.open));
  return [line, details];
}

/** The call, and under it what went wrong when it failed. */
function callRows(call: CallView): HTMLElement[] {
  const row = el('tr', { className: call.error === undefined ? 'call' : 'call call-failed', testId: 'usage-call' }, [
    el('td', { text: call.phase, attrs: { title: call.at } }),
    el('td', { text: call.model, attrs: { title: call.modelDetail } }),
    el('td', { className: 'call-route', text: call.route ?? '—', attrs: { title: call.route === undefined ? 'Not recorded for this call (an older run).' : 'The host the request went to, and the key sent with it (masked).' } }),
    el('td', { className: 'num', text: call.tokensIn }),
    el('td', { className: 'num', text: call.tokensOut }),
    el('td', { className: 'call-detail', text: call.tokensDetail }),
    el('td', { className: 'num', text: call.cost, attrs: { title: call.costNote } }),
    el('td', { className: 'num', text: call.duration }),
  ]);
  if (call.error === undefined) return [row];
  return [row, el('tr', { className: 'call-error', testId: 'usage-call-error' }, [el('td', { text: call.error, attrs: { colspan: String(columns.length) } })])];
}
