// Everything the panel remembers: the host's last snapshot, the live stream of the current
// phase, and the user's own choices (selected tab, draft notes, history open). Pure reducers,
// so the rules ("a new artifact takes the tab", "the stream belongs to one phase") are tested
// on plain Node. The whole object is what goes into the webview's setState.
import * as z from 'zod';
import { HostMessageSchema, type HostMessage } from '../../src/shared/messages';
import { PhaseNameSchema } from '../../src/core/workflow/runState';
import { RunViewSchema, type RunView } from '../../src/core/workflow/runViewSchema';
import { documentKey } from './viewModel';

/** Enough to follow a phase's output; older text is dropped from the front. */
export const maxStreamChars = 64_000;
export const maxNotesChars = 20_000;

const SnapshotSchema = z.object({ run: RunViewSchema.nullable(), demoHint: z.string().optional() });

const PanelStateSchema = z.object({
  version: z.literal(1),
  snapshot: SnapshotSchema.optional(),
  stream: z.object({ runId: z.string(), phase: PhaseNameSchema, text: z.string(), truncated: z.boolean() }).optional(),
  ui: z.object({
    /** documentKey() of the tab the user looks at. */
    selectedDocument: z.string().optional(),
    /** documentKey() of the host's activeDocument in the last snapshot: a change means a new artifact. */
    hostActiveDocument: z.string().optional(),
    /** Draft review notes of the current run. */
    notes: z.string(),
    historyOpen: z.boolean(),
    /** The usage line's list of model calls; absent in state saved before it existed. */
    callsOpen: z.boolean().default(false),
  }),
});

export type PanelState = z.infer<typeof PanelStateSchema>;
export type Snapshot = z.infer<typeof SnapshotSchema>;
type UiState = PanelState['ui'];

export const initialPanelState: PanelState = {
  version: 1,
  snapshot: undefined,
  stream: undefined,
  ui: { selectedDocument: undefined, hostActiveDocument: undefined, notes: '', historyOpen: false, callsOpen: false },
};

/** Whatever getState() returned from an earlier life of the panel; anything unexpected is dropped. */
export function restorePanelState(raw: unknown): PanelState {
  const parsed = PanelStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : initialPanelState;
}

export function applyHostMessage(state: PanelState, message: HostMessage): PanelState {
  switch (message.type) {
    case 'snapshot':
      return applySnapshot(state, { run: message.run, demoHint: message.demoHint });
    case 'stream':
      return applyStream(state, message.runId, message.text, message.reset === true);
    case 'reply':
      return state; // answers to intents live in intentState.ts, not in the saved state
    default: {
      const unreachable: never = message;
      return unreachable;
    }
  }
}

/** Parses an incoming postMessage payload; undefined for anything that is not a host message. */
export function parseHostMessage(data: unknown): HostMessage | undefined {
  const parsed = HostMessageSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

function applySnapshot(state: PanelState, snapshot: Snapshot): PanelState {
  const run = snapshot.run;
  const previous = state.snapshot?.run ?? null;
  const sameRun = run !== null && previous !== null && previous.runId === run.runId;
  // The stream shows the work in progress: a snapshot of another phase (or run), or one where
  // the host is no longer busy (the answer became a document or a verdict), ends it.
  const stream =
    run !== null && run.activity.busy && state.stream !== undefined && state.stream.runId === run.runId && state.stream.phase === run.phase
      ? state.stream
      : undefined;
  return { ...state, snapshot, stream, ui: nextUi(sameRun ? state.ui : resetUi(state.ui), previous, run) };
}

function resetUi(ui: UiState): UiState {
  return { selectedDocument: undefined, hostActiveDocument: undefined, notes: '', historyOpen: ui.historyOpen, callsOpen: ui.callsOpen };
}

function nextUi(ui: UiState, previous: RunView | null, run: RunView | null): UiState {
  if (run === null) return ui;
  const hostActive = activeDocumentKey(run);
  const keys = run.documents.map(documentKey);
  let selectedDocument = ui.selectedDocument;
  if (hostActive !== ui.hostActiveDocument) selectedDocument = hostActive; // a new artifact: show it
  else if (selectedDocument === undefined || !keys.includes(selectedDocument)) selectedDocument = hostActive;
  // Notes belong to one decision: once the host stops asking, the draft has been sent or is moot.
  const decisionOver = previous !== null && previous.runId === run.runId && previous.awaitingDecision && !run.awaitingDecision;
  return { ...ui, selectedDocument, hostActiveDocument: hostActive, notes: decisionOver ? '' : ui.notes };
}

function activeDocumentKey(run: RunView): string | undefined {
  const doc = run.documents[run.activeDocument] ?? run.documents[run.documents.length - 1];
  return doc === undefined ? undefined : documentKey(doc);
}

function applyStream(state: PanelState, runId: string, text: string, reset: boolean): PanelState {
  const run = state.snapshot?.run ?? null;
  if (run === null || run.runId !== runId) return state;
  // A cut answer asked again: the text so far was void.
  if (reset) return { ...state, stream: undefined };
  if (text === '') return state;
  const current = state.stream !== undefined && state.stream.runId === runId && state.stream.phase === run.phase ? state.stream : undefined;
  let next = (current?.text ?? '') + text;
  let truncated = current?.truncated ?? false;
  if (next.length > maxStreamChars) {
    next = next.slice(next.length - maxStreamChars);
    truncated = true;
  }
  return { ...state, stream: { runId, phase: run.phase, text: next, truncated } };
}

/** The index into run.documents of the tab to show, or -1 when there is none. */
export function selectedDocumentIndex(state: PanelState): number {
  const run = state.snapshot?.run ?? null;
  if (run === null || run.documents.length === 0) return -1;
  const wanted = state.ui.selectedDocument;
  const index = wanted === undefined ? -1 : run.documents.findIndex((doc) => documentKey(doc) === wanted);
  if (index >= 0) return index;
  return run.activeDocument >= 0 && run.activeDocument < run.documents.length ? run.activeDocument : run.documents.length - 1;
}

export function selectDocument(state: PanelState, key: string): PanelState {
  return { ...state, ui: { ...state.ui, selectedDocument: key } };
}

export function setNotes(state: PanelState, notes: string): PanelState {
  return { ...state, ui: { ...state.ui, notes: notes.slice(0, maxNotesChars) } };
}

export function setHistoryOpen(state: PanelState, open: boolean): PanelState {
  return { ...state, ui: { ...state.ui, historyOpen: open } };
}

export function setCallsOpen(state: PanelState, open: boolean): PanelState {
  return { ...state, ui: { ...state.ui, callsOpen: open } };
}
