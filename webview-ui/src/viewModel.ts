// Maps a RunView snapshot to exactly what the panel shows: texts, which sections exist, which
// buttons are offered. Pure (no DOM), so every decision about the panel is tested on plain Node
// and the render/* modules only turn this model into elements.
import type { ReviewOutcome } from '../../src/core/workflow/runState';
import type { CallView, RunView } from '../../src/core/workflow/runViewSchema';
import { endStateOf, type EndState } from '../../src/core/workflow/phases';
import { formatPhaseLabel, progressSteps, type ProgressStep } from './phases';

export interface HeaderModel {
  request: string;
  phaseLabel: string;
  steps: ProgressStep[];
  isDemo: boolean;
  endState: EndState | undefined;
  endMessage: string | undefined;
  usage: UsageModel | undefined;
}

export interface UsageModel {
  text: string;
  byPhase: string[];
  /** Every model call so far, oldest first; empty for runs recorded before calls were. */
  calls: CallView[];
  /** "1 call", "12 calls" */
  callsLabel: string;
}

export interface RoleLine {
  role: 'Architect' | 'Coder';
  /** "Architect — Claude Opus 4.6 (Thinking)" */
  text: string;
  /** Provider and model id, for a tooltip. */
  detail: string;
  isDemo: boolean;
  /** The host requests go to, when it is not the provider's own. */
  endpoint?: string;
}

export interface HardStopModel {
  heading: string;
  next: string;
  task: string;
  action: string;
  verificationCommand: string | undefined;
  confirming: boolean;
  confirmLabel: string;
  /** The verification command only runs in a trusted workspace; say so before the user confirms. */
  showUntrustedNote: boolean;
  /** Set when the spec lets the Coder change files that decide what runs or where keys go. */
  protectedPathsWarning: string | undefined;
  /** How the command will run; `sandboxed: false` is worth a warning's colour. */
  sandboxNote: { sandboxed: boolean; text: string } | undefined;
  /** Before the Coder: the questions asked about the spec and the Architect's answers ("Ask about this spec"). */
  discussion: { question: string; answer: string }[] | undefined;
  /** Set when the user's setting confirms this HARD STOP by itself once the model answers. */
  autoConfirmNote: string | undefined;
  /** Swarm: each spec's tier and model, then the estimate against all on the top tier. */
  /** Each spec's route, then the cost line (or why the swarm cannot route). */
  swarmPlan: string[] | undefined;
}

export interface DecisionButton {
  outcome: ReviewOutcome;
  label: string;
  testId: string;
  recommended: boolean;
}

export interface ReviewModel {
  recommended: { outcome: ReviewOutcome; label: string } | undefined;
  reasons: string;
  blockerAnswers: { question: string; answer: string }[];
  /** Offered only while the run waits for the user's decision. */
  decisions: DecisionButton[] | undefined;
}

export interface DocumentTab {
  /** Stable identity across snapshots, so a user's tab choice survives repaints. */
  key: string;
  label: string;
  kind: 'spec' | 'report';
  path: string;
}

export interface HistoryEntry {
  at: string;
  label: string;
}

/** Where the single "Cancel run" button lives, if anywhere. */
export type CancelPlacement = 'hard-stop' | 'header' | 'none';

export interface RunPanelModel {
  runId: string;
  header: HeaderModel;
  roles: RoleLine[];
  activity: { busy: boolean; message: string };
  /** Offer "Resume this run…": a run found on disk that does nothing until the user says so. */
  resumable: boolean;
  error: string | undefined;
  /** The run failed: its error comes with Retry (otherwise the error is a refused action). */
  failed: boolean;
  hardStop: HardStopModel | undefined;
  cancel: CancelPlacement;
  review: ReviewModel | undefined;
  documents: DocumentTab[];
  history: HistoryEntry[];
  workspaceTrusted: boolean;
}

export const outcomeLabels: Readonly<Record<ReviewOutcome, string>> = {
  approved: '✅ Approved',
  'revisions-needed': '🔄 Revisions needed',
  redesign: '❌ Fundamental redesign',
};

const outcomeTestIds: Readonly<Record<ReviewOutcome, string>> = {
  approved: 'decide-approved',
  'revisions-needed': 'decide-revisions',
  redesign: 'decide-redesign',
};

const outcomeOrder: readonly ReviewOutcome[] = ['approved', 'revisions-needed', 'redesign'];

const endMessages: Readonly<Record<EndState, string>> = {
  approved: '✅ Approved — the Architect signed off and the run is complete.',
  failed: 'The run stopped on an error.',
  cancelled: 'The run was cancelled.',
};

export const confirmLabels = { idle: 'Model Confirmed', confirming: 'Checking model…' } as const;

export function documentKey(doc: { kind: string; label: string; path: string }): string {
  return `${doc.kind}\u0000${doc.path}\u0000${doc.label}`;
}

export function toRunPanelModel(run: RunView): RunPanelModel {
  const endState = endStateOf(run.phase);
  const hardStop = run.hardStop === undefined ? undefined : toHardStopModel(run.hardStop, run.workspaceTrusted);
  return {
    runId: run.runId,
    header: {
      request: run.request,
      phaseLabel: formatPhaseLabel(run.phaseLabel, run.phaseNumber),
      steps: progressSteps(run.phase, run.phaseNumber, run.stoppedInPhase),
      isDemo: run.isDemo,
      endState,
      endMessage: endState === undefined ? undefined : endMessages[endState],
      usage: toUsageModel(run.usage),
    },
    roles: [
      toRoleLine('Architect', run.roles.architect),
      run.mode === undefined ? toRoleLine('Coder', run.roles.coder) : toModeLine(run.mode),
    ],
    activity: { busy: run.activity.busy, message: run.activity.message },
    resumable: run.resumable === true,
    error: run.error !== undefined && run.error.trim() !== '' ? run.error : undefined,
    failed: run.phase === 'failed',
    hardStop,
    cancel: hardStop !== undefined ? 'hard-stop' : endState === undefined ? 'header' : 'none',
    review: toReviewModel(run),
    documents: run.documents.map((doc) => ({ key: documentKey(doc), label: doc.label, kind: doc.kind, path: doc.path })),
    history: run.history.map((entry) => ({ at: entry.at, label: entry.label })),
    workspaceTrusted: run.workspaceTrusted,
  };
}

function toUsageModel(usage: RunView['usage']): UsageModel | undefined {
  if (usage === undefined) return undefined;
  const calls = usage.calls ?? [];
  return { text: usage.text, byPhase: usage.byPhase, calls, callsLabel: `${calls.length} ${calls.length === 1 ? 'call' : 'calls'}` };
}

function toRoleLine(role: 'Architect' | 'Coder', view: RunView['roles']['architect']): RoleLine {
  const name = view.displayName.trim() !== '' ? view.displayName : view.modelId;
  return {
    role,
    text: `${role} — ${name}`,
    detail: view.isDemo ? `${view.provider} · ${view.modelId} (offline demo replay)` : `${view.provider} · ${view.modelId}${view.endpoint ? ` · requests go to ${view.endpoint}` : ''}`,
    ...(view.endpoint ? { endpoint: view.endpoint } : {}),
    isDemo: view.isDemo,
  };
}

/** A run of several Coders names its mode and its Coders where the one Coder would be. */
function toModeLine(mode: NonNullable<RunView['mode']>): RoleLine {
  return { role: 'Coder', text: `${mode.label} — ${mode.coders}`, detail: `The Coder work is shared out: ${mode.label}`, isDemo: mode.isDemo };
}

function toHardStopModel(hardStop: NonNullable<RunView['hardStop']>, workspaceTrusted: boolean): HardStopModel {
  const command = hardStop.verificationCommand?.trim();
  const verificationCommand = command === undefined || command === '' ? undefined : command;
  return {
    heading: hardStop.heading,
    next: hardStop.next,
    task: hardStop.task,
    action: hardStop.action,
    verificationCommand,
    confirming: hardStop.confirming,
    confirmLabel: hardStop.confirming ? confirmLabels.confirming : confirmLabels.idle,
    showUntrustedNote: verificationCommand !== undefined && !workspaceTrusted,
    protectedPathsWarning: protectedPathsWarning(hardStop.protectedPaths ?? []),
    sandboxNote: verificationCommand !== undefined ? hardStop.sandbox : undefined,
    discussion: hardStop.discussion,
    swarmPlan: hardStop.swarmPlan?.length ? [...hardStop.swarmPlan] : undefined,
    autoConfirmNote: hardStop.autoConfirm ? 'This HARD STOP confirms itself once the next model answers (your setting dualModel.hardStop.autoConfirm).' : undefined,
  };
}

/** Words a user cannot miss: which protected files the spec opens to the Coder, and why it matters. */
export function protectedPathsWarning(paths: readonly string[]): string | undefined {
  if (paths.length === 0) return undefined;
  const named = paths.length === 1 ? paths.join('') : `${paths.slice(0, -1).join(', ')} and ${paths.slice(-1).join('')}`;
  return `⚠ This spec lets the Coder change ${named}. Files under .vscode/, .git/ and .devcontainer/ can change what runs on your machine and where your API keys are sent, and the artifacts folder holds the run's own state. Read them in the spec before you confirm.`;
}

function toReviewModel(run: RunView): ReviewModel | undefined {
  const review = run.review;
  if (review === undefined && !run.awaitingDecision) return undefined;
  const recommended = review?.recommended;
  return {
    recommended: recommended === undefined ? undefined : { outcome: recommended, label: outcomeLabels[recommended] },
    reasons: review?.reasons ?? '',
    blockerAnswers: review?.blockerAnswers.map((b) => ({ question: b.question, answer: b.answer })) ?? [],
    decisions: run.awaitingDecision
      ? outcomeOrder.map((outcome) => ({
          outcome,
          label: outcomeLabels[outcome],
          testId: outcomeTestIds[outcome],
          recommended: outcome === recommended,
        }))
      : undefined,
  };
}

/** A clock time for the history list; anything unparseable is shown as the host sent it. */
export function formatHistoryTime(at: string, toTime: (date: Date) => string = (d) => d.toLocaleTimeString()): string {
  const millis = Date.parse(at);
  return Number.isNaN(millis) ? at : toTime(new Date(millis));
}

/** What the demo note says: a run with one demo role (the other role's key set) still calls, and bills, a real model. */
export function demoNote(roles: readonly RoleLine[]): string {
  const real = roles.filter((role) => !role.isDemo);
  if (real.length === 0) return 'Demo run — both models are offline replays of recorded answers. No model is called and nothing is billed.';
  const demo = roles.filter((role) => role.isDemo).map((role) => role.role);
  // A mode's line is demo only when all its Coders are; with some of them it names none.
  if (demo.length === 0) return 'Part demo — some of the Coders are offline replays of recorded answers; the other models are real and billed.';
  return `Part demo — the ${demo.join(' and ')} is an offline replay of recorded answers; the ${real.map((role) => role.role).join(' and ')} calls a real model.`;
}

/** How the specs of a batch are shared out, in the run's mode. */
export function batchWords(count: number, mode: 'competitive' | 'division' | 'swarm' | undefined): { heading: string; intro: string } {
  const approves = 'One Model Confirmed approves every spec below and its verification command';
  if (mode === 'division') return { heading: `Division of labour: ${count} specs, side by side where their files allow`, intro: `${approves}; specs on separate files run at the same time, each on its own Coder in its own copy, then are merged into the workspace and verified once on the whole; one Code Report covers them all.` };
  if (mode === 'swarm') return { heading: `Swarm: ${count} specs, each on the cheapest model able to do it`, intro: `${approves}; each spec goes to the model its complexity needs, in its own copy, and one that fails is redone one tier up; the work is merged and verified once on the whole, and one Code Report covers it all.` };
  return { heading: `Batch Mode: ${count} specs, implemented in order`, intro: `${approves}; the Coder implements them one after another, and one Code Report covers them all.` };
}
