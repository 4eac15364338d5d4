// The steps a run takes before it starts in a mode other than the single Coder: which mode (a
// quick pick, the default first), which Coders (resolved like the Coder role, editable), and what
// the fan-out would cost (refused over a cap, else one modal confirm). Nothing is sent before the
// user says yes; core decides the figures (coderFanOut.ts), this file only asks.
import * as vscode from 'vscode';
import { estimateFanOut } from '../core/models/costEstimate.js';
import { describeEstimate } from '../core/models/estimateSummary.js';
import { coderFanOutRequests, fanOutCapRefusal, fanOutNote } from '../core/workflow/coderFanOut.js';
import type { RoleSnapshot } from '../core/workflow/roleSnapshot.js';
import type { NamedCoder } from '../core/workflow/runCoders.js';
import { coderConfigs, coderCounts } from '../core/workflow/runCoders.js';
import type { RunMode, RunModeName } from '../core/workflow/runMode.js';
import { MAX_PARALLEL_CODERS, runModeLabels } from '../core/workflow/runMode.js';
import { modeChoices, supportedModes } from '../core/workflow/supportedModes.js';
import { swarmModelsLine } from '../core/workflow/swarmPlan.js';
import { swarmModels } from './swarmModels.js';
import { confirmFanOut } from './confirmFanOut.js';
import type { ModelClientFactory } from './modelClients.js';
import { resolveCoders } from './runRequest.js';
import { engineSettings, knownModels, modelRegistry, roleConfig, runModeSettings, spendCaps } from './settings.js';

export interface ModeStartDeps {
  models: ModelClientFactory;
  output: vscode.LogOutputChannel;
}

/** How the caller wants the mode chosen: asked in a quick pick, or given (chat, API, the setting). */
export interface ModeRequest {
  ask: boolean;
  mode?: RunModeName;
  /** For "/compete 3": the Coder role this many times, whatever dualModel.run.coders says. */
  candidates?: number;
}

/** The mode chosen, and who will code in the words the request box shows. */
export interface ChosenMode {
  mode: RunMode;
  /** "Coder: Gemini 3.1 Pro (High)", "Competitive (best-of-N): … ×2", "Swarm over …". */
  coders: string;
}

/** The run's mode with its Coders, or undefined when the user stepped back (nothing starts). */
export async function chooseRunMode(request: ModeRequest, deps: ModeStartDeps, coderRole: RoleSnapshot): Promise<ChosenMode | undefined> {
  const mode = await modeOf(request, deps);
  if (!mode) return undefined;
  if (mode.mode !== 'swarm') return { mode, coders: coderLine(mode, coderRole) };
  // Checked before the Architect is asked: a swarm with no ready model would fail only after its spec was paid for.
  const registry = modelRegistry();
  const ready = swarmModelsLine(registry, await swarmModels(registry, deps.models, deps.output));
  if (!ready.ok) throw new Error(ready.error);
  return { mode, coders: ready.line };
}

async function modeOf(request: ModeRequest, deps: ModeStartDeps): Promise<RunMode | undefined> {
  const settings = runModeSettings();
  const name = request.mode ?? (request.ask ? await pickModeName(settings.mode) : settings.mode);
  if (name === undefined) return undefined;
  if (!supportedModes.includes(name)) throw new Error(`${runModeLabels[name].label} is not built yet; start the run in another mode (dualModel.run.mode).`);
  if (name === 'single') return { mode: 'single' };
  if (name === 'swarm') return { mode: 'swarm' };
  const configs = coderConfigs(request.candidates === undefined ? settings : { coders: undefined, candidates: request.candidates }, roleConfig('coder'));
  let coders = await resolveCoders(configs, deps.models, deps.output);
  if (request.ask) coders = coders && (await reviewCoders(name, coders, deps));
  if (!coders) return undefined;
  const least = name === 'competitive' ? 2 : 1;
  if (coders.length < least || coders.length > MAX_PARALLEL_CODERS) {
    throw new Error(`${runModeLabels[name].label} takes ${least} to ${MAX_PARALLEL_CODERS} Coders; ${coders.length} were chosen (dualModel.run.coders).`);
  }
  return { mode: name, coders };
}

/**
 * For any mode but the single Coder: refuses a fan-out whose estimate alone crosses a cap (with
 * the cap named), else asks once in a modal. false: the user cancelled, nothing starts.
 */
export async function confirmRunCost(mode: RunMode, request: string, deps: ModeStartDeps): Promise<boolean> {
  if (mode.mode === 'single' || mode.mode === 'swarm') return true;
  const estimate = estimateFanOut(coderFanOutRequests(mode.coders, request, engineSettings().maxOutputTokens), modelRegistry());
  const refusal = fanOutCapRefusal(estimate, spendCaps());
  if (refusal) throw new Error(refusal);
  const agreed = await confirmFanOut(estimate, { spend: deps.models.spend, caps: spendCaps }, fanOutNote(mode.coders.length));
  deps.output.info(`${runModeLabels[mode.mode].label}: ${describeEstimate(estimate)} ${agreed ? 'Confirmed.' : 'Cancelled; nothing started.'}`);
  return agreed;
}

/** "Coder: Gemini 3.1 Pro (High)", or "Competitive (best-of-N): Gemini 3.1 Pro (High) ×2, Claude Sonnet 4.6". */
function coderLine(mode: Exclude<RunMode, { mode: 'swarm' }>, coderRole: RoleSnapshot): string {
  if (mode.mode === 'single') return `Coder: ${coderRole.displayName}`;
  return `${runModeLabels[mode.mode].label}: ${describeCoders(mode.coders)}`;
}

function describeCoders(coders: readonly RoleSnapshot[]): string {
  return coderCounts(coders).map(({ coder, count }) => `${coder.displayName}${count > 1 ? ` ×${count}` : ''}`).join(', ');
}

/** The four modes, the default first; one not built yet says so and is asked again. */
async function pickModeName(defaultMode: RunModeName): Promise<RunModeName | undefined> {
  const choices = modeChoices(defaultMode);
  const items = choices.map((choice) => ({
    label: choice.available ? choice.label : `$(clock) ${choice.label}`,
    description: choice.mode === defaultMode ? 'default' : choice.available ? undefined : 'coming',
    detail: choice.detail,
    choice,
  }));
  for (;;) {
    const picked = await vscode.window.showQuickPick(items, { title: 'Dual-Model: how should the Coder work be shared out?', ignoreFocusOut: true, matchOnDetail: true });
    if (!picked) return undefined;
    if (picked.choice.available) return picked.choice.mode;
    void vscode.window.showInformationMessage(`Dual-Model: ${picked.choice.label} is coming; it is not built yet.`);
  }
}

/** Shows the Coders a run will use, and lets the user change them until they accept or step back. */
async function reviewCoders(mode: RunModeName, initial: RoleSnapshot[], deps: ModeStartDeps): Promise<RoleSnapshot[] | undefined> {
  let coders = initial;
  for (;;) {
    const summary = describeCoders(coders);
    const accept = { label: `$(check) Start with these ${coders.length} Coders`, detail: summary, action: 'accept' as const };
    const edit = { label: '$(edit) Change the Coders…', detail: 'Pick from the models that are ready, and how many of each.', action: 'edit' as const };
    const picked = await vscode.window.showQuickPick([accept, edit], { title: `Dual-Model: ${runModeLabels[mode].label}: the Coders`, ignoreFocusOut: true });
    if (!picked) return undefined;
    if (picked.action === 'accept') return coders;
    const named = await editCoders(coders, deps);
    if (named === undefined) continue;
    const resolved = await resolveCoders(coderConfigs({ coders: named, candidates: named.length }, roleConfig('coder')), deps.models, deps.output);
    if (resolved) coders = resolved;
  }
}

/** A multi-select of the ready models, then how many of each; undefined when the user stepped back. */
async function editCoders(current: readonly RoleSnapshot[], deps: ModeStartDeps): Promise<NamedCoder[] | undefined> {
  const counts = coderCounts(current);
  const items: (vscode.QuickPickItem & { provider: string; model: string })[] = [];
  for (const model of knownModels()) {
    if (model.retired || model.id === 'demo-architect') continue;
    const readiness = await deps.models.ready(model.provider, model.id);
    if (!readiness.ready) continue;
    const chosen = counts.some(({ coder }) => coder.provider === model.provider && coder.modelId === model.id);
    items.push({ label: model.displayName, description: `${model.provider}/${model.id}`, picked: chosen, provider: model.provider, model: model.id });
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Dual-Model: which models code? (ready ones only)', canPickMany: true, ignoreFocusOut: true });
  if (!picked?.length) return undefined;
  const named: NamedCoder[] = [];
  for (const item of picked) {
    const previous = counts.find(({ coder }) => coder.provider === item.provider && coder.modelId === item.model);
    const answer = await vscode.window.showInputBox({
      title: `How many Coders on ${item.label}?`,
      value: String(previous?.count ?? 1),
      ignoreFocusOut: true,
      validateInput: (value) => (/^[1-8]$/.test(value.trim()) ? undefined : `A whole number from 1 to ${MAX_PARALLEL_CODERS}.`),
    });
    if (answer === undefined) return undefined;
    const thinking = previous?.coder.thinking;
    for (let index = 0; index < Number(answer.trim()); index++) named.push({ provider: item.provider, model: item.model, ...(thinking ? { thinking } : {}) });
  }
  if (named.length > MAX_PARALLEL_CODERS) {
    void vscode.window.showWarningMessage(`Dual-Model: ${named.length} Coders chosen; at most ${MAX_PARALLEL_CODERS} run at once. Choose again.`);
    return undefined;
  }
  return named;
}
