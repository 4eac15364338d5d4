// What has happened in the run so far, folded away unless the user opens it.
import { formatHistoryTime, type HistoryEntry } from '../viewModel';
import { el } from './dom';

export function renderHistory(entries: readonly HistoryEntry[], open: boolean, onToggle: (open: boolean) => void): HTMLElement | undefined {
  if (entries.length === 0) return undefined;
  const details = el('details', { className: 'history' }, [
    el('summary', {}, [el('h2', { className: 'summary-heading', text: `History (${entries.length})` })]),
    el(
      'ol',
      { className: 'history-list' },
      entries.map((entry) =>
        el('li', {}, [
          el('time', { className: 'history-time', text: formatHistoryTime(entry.at), attrs: { datetime: entry.at, title: entry.at } }),
          el('span', { className: 'history-label', text: entry.label }),
        ]),
      ),
    ),
  ]);
  details.open = open;
  details.addEventListener('toggle', () => onToggle(details.open));
  return details;
}
