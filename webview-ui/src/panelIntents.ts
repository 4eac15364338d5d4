// What the panel's controls can ask for. Kept apart from the DOM view so the session that
// implements it runs (and is tested) without a DOM.
import type { IntentRequest } from '../../src/shared/messages';
import type { ReviewOutcome } from '../../src/core/workflow/runState';

export interface PanelIntents {
  send(request: IntentRequest): void;
  confirmModel(runId: string): void;
  decide(runId: string, outcome: ReviewOutcome, notes: string): void;
  selectDocument(key: string): void;
  setNotes(notes: string): void;
  setHistoryOpen(open: boolean): void;
  setCallsOpen(open: boolean): void;
}
