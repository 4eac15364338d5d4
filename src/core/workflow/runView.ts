// What the panel shows for a run, derived from run.json and the engine's activity. Pure, so the
// HARD STOP wording (the seed's own words) and the phase rules are tested without a webview.
import type { RunActivity } from './runJournal.js';
import type { CallView, RunView } from './runViewSchema.js';
import type { ModelCall, RunRecord } from './runRecord.js';
import type { RoleSnapshot } from './roleSnapshot.js';
import { phaseLabel, phaseNumber } from './phases.js';
import { buildReportView } from './reportView.js';
import { SpecDiscussion } from './specDiscussion.js';
import { phaseNames, type PhaseName } from './runState.js';
import type { TokenUsage } from '../models/modelClient.js';
import { registryDate } from '../models/builtInRegistry.js';
import type { RunMode } from './runMode.js';
import { runModeLabels } from './runMode.js';
import { billedOutput, totalInput } from '../models/cost.js';
import type { ModelPrice } from '../models/registry.js';
import type { PhaseUsage } from '../models/usageSummary.js';
import { formatTokens, formatUsd, hostModelsCost, hostModelsProvider, priceOf, summariseUsage } from '../models/usageSummary.js';

export interface DocumentSource {
  kind: 'spec' | 'report';
  label: string;
  path: string;
  markdown: string;
  /** A revised spec the Architect proposed in review that was not (yet) handed to the Coder. */
  proposed?: boolean;
  /** For a report: its version. */
  reportVersion?: number;
}

/** Where a failed or cancelled run stopped, in the seed's words: "Failed in Phase 3 — Coder: Implement". */
function stoppedIn(state: RunRecord['state']): { phaseLabel: string; stoppedInPhase?: number } {
  const stoppedPhase = state.phase === 'failed' ? state.resumeFrom.phase : state.phase === 'cancelled' ? state.cancelledIn : undefined;
  if (!isPhaseName(stoppedPhase)) {
    return { phaseLabel: state.phase === 'cancelled' ? `Cancelled (in ${state.cancelledIn})` : phaseLabel(state.phase) };
  }
  const number = phaseNumber(stoppedPhase);
  return { phaseLabel: `${phaseLabel(state.phase)} in ${phaseLabel(stoppedPhase)}`, ...(number >= 1 ? { stoppedInPhase: number } : {}) };
}

/** `cancelledIn` is a free string in run.json (older runs wrote other words there). */
function isPhaseName(value: string | undefined): value is PhaseName {
  return (phaseNames as readonly (string | undefined)[]).includes(value);
}

export function hardStopText(role: 'coder' | 'architect', model: RoleSnapshot): { heading: string; next: string; task: string; action: string } {
  const title = role === 'coder' ? 'Coder' : 'Architect';
  return {
    heading: `🛑 HARD STOP: Switch to ${title} Model`,
    next: `Next: ${title} — ${model.displayName}`,
    task: role === 'coder' ? 'Task: Implement Code Spec' : 'Task: Review Code Report',
    action: `Action Required: Review the ${role === 'coder' ? 'Code Spec' : 'Code Report'}, then press "Model Confirmed" to hand over to ${model.displayName}.`,
  };
}

export function buildRunView(
  record: RunRecord,
  activity: RunActivity,
  documents: DocumentSource[],
  workspaceTrusted: boolean,
  verificationCommand: string | undefined,
  prices: Readonly<Record<string, ModelPrice>> = {},
  /** The protected paths the pending spec names (engine.pendingProtectedPaths), flagged at the HARD STOP. */
  protectedPaths: readonly string[] = [],
): RunView {
  const state = record.state;
  const roleView = (role: RoleSnapshot) => ({ displayName: role.displayName, modelId: role.modelId, provider: role.provider, isDemo: role.isDemo, ...(role.endpoint ? { endpoint: role.endpoint } : {}) });
  const hardStopRole = state.phase === 'hard-stop-to-coder' ? 'coder' : state.phase === 'hard-stop-to-architect' ? 'architect' : undefined;
  // A run another window drives, or one waiting to be resumed, is shown but not acted on here.
  const passive = activity.heldElsewhere ?? activity.dormant;
  const hardStop = hardStopRole && !passive
    ? {
        ...hardStopText(hardStopRole, record.roles[hardStopRole]),
        ...(hardStopRole === 'coder' && record.mode && record.mode.mode !== 'single' ? modeHandOver(modeView(record.mode)) : {}),
        ...(hardStopRole === 'coder' && verificationCommand !== undefined ? { verificationCommand } : {}),
        ...(hardStopRole === 'coder' && protectedPaths.length > 0 ? { protectedPaths: [...protectedPaths] } : {}),
        ...(hardStopRole === 'coder' ? { discussion: SpecDiscussion.turnsOf(record) } : {}),
        confirming: activity.confirming,
      }
    : undefined;
  const verdict = state.phase === 'architect-review' ? state.verdict : undefined;
  const newestVersion = record.reports.at(-1)?.version;
  const newestReport = documents.find((doc) => doc.kind === 'report' && doc.reportVersion === newestVersion);
  const report = newestReport ? buildReportView(record, newestReport.markdown, newestReport.path, passive !== undefined) : undefined;
  const error = state.phase === 'failed' ? state.error : activity.lastError;
  const untrustedNote =
    !workspaceTrusted && (state.phase === 'hard-stop-to-coder' || state.phase === 'coder-implement')
      ? ' The workspace is not trusted: the Coder will not edit files or run the verification command until you trust it.'
      : '';
  return {
    runId: record.runId,
    request: record.request,
    phase: state.phase,
    phaseNumber: phaseNumber(state.phase),
    ...stoppedIn(state),
    isDemo: record.roles.architect.isDemo || codersAreDemo(record),
    roles: { architect: roleView(record.roles.architect), coder: roleView(record.roles.coder) },
    ...(record.mode && record.mode.mode !== 'single' ? { mode: modeView(record.mode) } : {}),
    ...(hardStop ? { hardStop } : {}),
    documents: documents.map(({ kind, label, path, markdown, proposed }) => ({ kind, label: proposed ? `${label} (proposed)` : label, path, markdown })),
    // The newest artifact the run is about; a proposed revision is one tab further, not the default.
    activeDocument: documents.map((doc) => !doc.proposed).lastIndexOf(true),
    activity: passive
      ? { busy: false, message: passive }
      : { busy: activity.busy, message: `${activity.message}${untrustedNote}`.trim() },
    ...(verdict
      ? { review: { recommended: verdict.outcome, reasons: verdict.reasons, blockerAnswers: verdict.blockerAnswers } }
      : {}),
    ...(report ? { report } : {}),
    awaitingDecision: verdict !== undefined && !passive,
    ...(activity.dormant ? { resumable: true } : {}),
    workspaceTrusted,
    ...(error ? { error } : {}),
    ...usageOf(record, prices),
    history: record.history.map((entry) => ({
      at: entry.at,
      label: `${entry.from ? `${entry.event}: ${entry.from} → ${entry.to}` : `started in ${entry.to}`}${entry.detail ? ` (${entry.detail})` : ''}`,
    })),
  };
}

type Prices = Readonly<Record<string, ModelPrice>>;

/**
 * Tokens and cost from the calls, each at the price it was recorded with (or today's when it had
 * none); usage spent before calls were recorded (an older run.json) is priced per phase as its
 * role's model, the Coder's HARD STOP included.
 */
function usageOf(record: RunRecord, prices: Prices): { usage?: NonNullable<RunView['usage']> } {
  const entries: PhaseUsage[] = [...unrecordedUsage(record), ...record.calls];
  if (entries.length === 0) return {};
  const summary = summariseUsage(entries, prices);
  const calls = record.calls.map((call) => callView(call, prices));
  return { usage: { text: summary.text, byPhase: summary.byPhase, ...(calls.length ? { calls } : {}) } };
}

function unrecordedUsage(record: RunRecord): PhaseUsage[] {
  return Object.entries(record.usage).flatMap(([phase, usage]) => {
    const recorded = record.calls.filter((call) => call.phase === phase).map((call) => call.usage);
    const rest = subtractUsage(usage, recorded);
    if (Object.values(rest).every((tokens) => tokens === 0)) return [];
    const role = phase.includes('coder') ? record.roles.coder : record.roles.architect;
    return [{ phase, provider: role.provider, modelId: role.modelId, usage: rest }];
  });
}

function subtractUsage(total: TokenUsage, parts: readonly TokenUsage[]): TokenUsage {
  const rest = (key: keyof TokenUsage): number => Math.max(0, parts.reduce((left, part) => left - part[key], total[key]));
  return {
    inputTokens: rest('inputTokens'),
    outputTokens: rest('outputTokens'),
    cacheReadTokens: rest('cacheReadTokens'),
    cacheWriteTokens: rest('cacheWriteTokens'),
    thinkingTokens: rest('thinkingTokens'),
  };
}

function callView(call: ModelCall, prices: Prices): CallView {
  const { usage } = call;
  const cost = priceOf(call, prices);
  const detail = [
    usage.cacheReadTokens ? `${formatTokens(usage.cacheReadTokens)} cache read` : '',
    usage.cacheWriteTokens ? `${formatTokens(usage.cacheWriteTokens)} cache write` : '',
    usage.thinkingTokens ? `${formatTokens(usage.thinkingTokens)} thinking` : '',
  ];
  return {
    at: call.at,
    phase: call.purpose === 'identity' ? `${call.phase} (identity check)` : call.phase,
    model: call.displayName || call.modelId,
    modelDetail: `${call.provider} · ${call.modelId}`,
    tokensIn: formatTokens(totalInput(usage)),
    tokensOut: formatTokens(billedOutput(call.provider, usage)),
    tokensDetail: detail.filter(Boolean).join(' · '),
    cost: cost !== undefined ? formatUsd(cost) : call.provider === hostModelsProvider ? 'via VS Code' : 'no price',
    costNote:
      call.costUsd !== undefined
        ? 'priced when the call was made'
        : cost === undefined
          ? call.provider === hostModelsProvider
            ? `${hostModelsCost}, not per token here (set dualModel.prices to estimate)`
            : `no price for ${call.modelId} (set dualModel.prices)`
          : `priced from today's table (built-in ${registryDate}, with dualModel.prices)`,
    duration: `${(call.durationMs / 1000).toFixed(1)} s`,
    ...(call.host ? { route: call.key ? `${call.host} · key ${call.key}` : call.host } : {}),
    ...(call.outcome === 'ok' ? {} : { error: call.error ? `${call.outcome}: ${call.error}` : call.outcome }),
  };
}

/** The HARD STOP before the Coders of a mode names them all, not the one Coder role. */
function modeHandOver(mode: NonNullable<RunView['mode']>): { next: string; action: string } {
  return {
    next: `Next: Coders — ${mode.label}: ${mode.coders}`,
    action: `Action Required: Review the Code Spec, then press "Model Confirmed" to hand over to the Coders of this ${mode.label} run.`,
  };
}

/**
 * Whether any model that codes is an offline replay. In a mode of several Coders the Coder role
 * only answers the HARD STOP's check, so the mode's own Coders decide; a swarm's are never demo.
 */
function codersAreDemo(record: RunRecord): boolean {
  const mode = record.mode;
  if (!mode || mode.mode === 'single') return record.roles.coder.isDemo;
  return mode.mode === 'swarm' ? false : mode.coders.some((coder) => coder.isDemo);
}

/** The header's words for a run of several Coders: which mode, and who codes. */
function modeView(mode: Exclude<RunMode, { mode: 'single' }>): NonNullable<RunView['mode']> {
  const label = runModeLabels[mode.mode].label;
  if (mode.mode === 'swarm') return { name: 'swarm', label, coders: 'the cheapest adequate model for each spec', isDemo: false };
  const counts = new Map<string, number>();
  for (const coder of mode.coders) counts.set(coder.displayName, (counts.get(coder.displayName) ?? 0) + 1);
  const coders = [...counts].map(([name, count]) => (count > 1 ? `${name} ×${count}` : name)).join(', ');
  return { name: mode.mode, label, coders, isDemo: mode.coders.every((coder) => coder.isDemo) };
}
