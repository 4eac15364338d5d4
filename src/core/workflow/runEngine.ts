// Drives runs: applies each event through the pure transition(), saves run.json through the
// journal, and carries out the effects of the state it enters by handing them to the phase that
// does the work. The VS Code layer only forwards user intents here and renders what this reports.
//
// The rooms beside this file hold the rest: runOwnership (which runs this window drives),
// runJournal (run.json in memory and its save queue), specVersions (the artifact layout),
// callMeter (model calls and phase timings), runSnapshots (the one picture of a run the host
// shows), and one file per phase.
import * as path from 'node:path';
import type { WorkspaceFiles } from '../ports.js';
import type { WorkspaceContext } from '../prompts/prompts.js';
import { removeRunCopies } from './runCopies.js';
import { writeSpec } from './architectSpecPhase.js';
import { CallMeter } from './callMeter.js';
import { confine } from '../coder/confinement.js';
import type { CandidateWorkFile } from './candidateArtifacts.js';
import { readCandidateWork } from './candidateArtifacts.js';
import { implement, readFiles } from './coderPassPhase.js';
import { messageOf } from './errorMessage.js';
import { HardStop } from './hardStopPhase.js';
import type { EngineDeps, PhaseContext, RecordPatch } from './phaseContext.js';
import { nowOf, untrustedMessage } from './phaseContext.js';
import { review } from './reviewPhase.js';
import { SpecDiscussion } from './specDiscussion.js';
import type { EngineUpdate, RunActivity } from './runJournal.js';
import { advance, RunJournal } from './runJournal.js';
import type { ResumeResult } from './runOwnership.js';
import { RunOwnership } from './runOwnership.js';
import type { RunRecord } from './runRecord.js';
import type { RoleSnapshot } from './roleSnapshot.js';
import type { RunMode } from './runMode.js';
import type { RunSnapshot } from './runSnapshots.js';
import { RunSnapshots } from './runSnapshots.js';
import { RUN_SCHEMA_VERSION } from './runRecord.js';
import type { ReviewOutcome, RunEvent } from './runState.js';
import { CandidateLabelSchema, isActive } from './runState.js';
import { createRunId } from './runStore.js';
import type { Originals, SpecApproval } from './specVersions.js';
import { SpecVersions } from './specVersions.js';
import { swarmPlanLines } from './swarmPass.js';
import type { Effect } from './transition.js';
import { entryEffects, transition } from './transition.js';

export interface StartRequest {
  request: string;
  selection?: WorkspaceContext['selection'];
  contextFiles?: string[];
  activeFile?: { file: string; line: number };
  roles: { architect: RoleSnapshot; coder: RoleSnapshot };
  /** How the Coder work is shared out; absent: the single Coder of `roles`. */
  mode?: RunMode;
}

export class RunEngine {
  private readonly journal: RunJournal;
  private readonly ownership: RunOwnership;
  private readonly specs: SpecVersions;
  private readonly meter: CallMeter;
  private readonly hardStop: HardStop;
  private readonly phases: PhaseContext;
  private readonly snapshots: RunSnapshots;
  private readonly discussion: SpecDiscussion;
  /** The phase work under way per run, stopped on cancel, on losing the run, and on dispose(). */
  private readonly running = new Map<string, AbortController>();
  /** Phase work and copy removals under way, waited for (within SETTLE_MS) as the window closes. */
  private readonly settling = new Set<Promise<unknown>>();
  private disposed: Promise<void> | undefined;

  constructor(
    private readonly deps: EngineDeps,
    /** How often a window re-checks a run another window holds. */
    heldRetryMs = 2_000,
  ) {
    this.journal = new RunJournal(deps.store, deps.lock, deps.clock, (runId) => this.ownership.loseRun(runId));
    this.specs = new SpecVersions(deps.store);
    this.meter = new CallMeter(deps.clock, deps.prices, (runId, call) => this.journal.appendCall(runId, call), deps.guardCalls);
    this.phases = { deps, journal: this.journal, meter: this.meter, specs: this.specs, dispatch: (runId, event, patch) => this.dispatch(runId, event, patch) };
    this.hardStop = new HardStop(this.phases);
    this.discussion = new SpecDiscussion(this.phases);
    this.snapshots = new RunSnapshots({ journal: this.journal, specs: this.specs, hardStop: this.hardStop, verifier: deps.verifier, isTrusted: deps.isTrusted, prices: deps.prices, ...(deps.autoConfirm ? { autoConfirm: deps.autoConfirm } : {}), ...(deps.runCapUsd ? { runCapUsd: deps.runCapUsd } : {}), swarmPlan: (record) => this.swarmPlanOf(record) });
    this.ownership = new RunOwnership(deps, this.journal, {
      publish: (record) => this.hardStop.publishPending(record),
      drive: (record) => this.perform(record.runId, entryEffects(record.state)),
      stop: (runId, reason) => this.stop(runId, reason),
      settle: () => this.settle(),
    }, heldRetryMs);
  }

  // ---- what the host reads ------------------------------------------------------------------

  onUpdate(listener: (update: EngineUpdate) => void): { dispose(): void } {
    return this.journal.onUpdate(listener);
  }

  get(runId: string): RunRecord | undefined {
    return this.journal.get(runId);
  }

  activityOf(runId: string): RunActivity {
    return this.journal.activityOf(runId);
  }

  /** Runs this window knows, newest first. */
  runs(): RunRecord[] {
    return this.journal.all().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /**
   * Everything the host shows of a run, as one frozen value: its record and its view (state,
   * documents, the spec set and commands a confirm approves, activity, usage). Undefined for a
   * run this window does not know.
   */
  snapshot(runId: string): Promise<RunSnapshot | undefined> {
    return this.snapshots.of(runId);
  }

  /** The spec set the HARD STOP before the Coder shows now (what a confirm without a digest approves). */
  pendingApproval(runId: string): SpecApproval | undefined {
    return this.hardStop.pendingApproval(runId);
  }

  /**
   * The absolute path of an artifact of a run this window knows, for "open in editor". The run id
   * and path come from the webview (untrusted): the id must be one of the runs listed, in the run
   * id format, before any path is built from it, and the file must be inside the run's folder.
   */
  artifactFile(runId: string, file: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/.test(runId) || !this.journal.has(runId)) throw new Error(`There is no run "${runId.slice(0, 200)}" in this workspace.`);
    const runDir = this.deps.store.runDir(runId);
    const relative = path.relative(runDir, path.resolve(runDir, file));
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) throw new Error('That file is not an artifact of this run.');
    return path.join(runDir, relative);
  }

  /**
   * The files a Coder pass touched and their content before it (undefined: the file did not
   * exist), for the diff and revert commands. The newest pass unless a spec version is given.
   */
  async coderPass(runId: string, specVersion?: number): Promise<{ specVersion: number; originals: Originals } | undefined> {
    const record = this.journal.require(runId);
    const version = specVersion ?? record.reports.at(-1)?.specVersion ?? (record.state.phase === 'coder-implement' ? record.state.specVersion : undefined);
    if (version === undefined) return undefined;
    const originals = await this.specs.readOriginals(runId, version);
    return originals ? { specVersion: version, originals } : undefined;
  }

  /**
   * A competing candidate's saved changes, each file before and after, for the host to diff
   * without its copy (removed when it ended). The label comes from the webview: it is checked.
   */
  candidateWork(runId: string, label: string): Promise<CandidateWorkFile> {
    this.journal.require(runId);
    if (!CandidateLabelSchema.safeParse(label).success) return Promise.reject(new Error(`There is no candidate "${label.slice(0, 8)}".`));
    return readCandidateWork(this.deps.store, runId, label);
  }

  // ---- the user's intents -------------------------------------------------------------------

  async start(start: StartRequest): Promise<RunRecord> {
    const now = this.deps.clock.now();
    const runId = createRunId(start.request, now, this.deps.randomHex());
    const saved = await this.ownership.open(newRunRecord(runId, start, now), now);
    this.journal.emit({ type: 'changed', runId });
    this.perform(runId, [{ type: 'write-spec', reason: 'initial' }]);
    return saved;
  }

  /** Picks up every run on disk after a window (re)load (see RunOwnership.resumeAll). */
  async resumeAll(restricted?: string): Promise<ResumeResult> {
    return this.ownership.resumeAll(restricted);
  }

  /** The user chose to resume a dormant run: from now on it is one of this machine's runs. */
  async resumeDormant(runId: string): Promise<void> {
    return this.ownership.resumeDormant(runId);
  }

  /** The user pressed "Model Confirmed" at a HARD STOP (see HardStop.confirm). */
  async confirmModel(runId: string, shownDigest?: string): Promise<void> {
    return this.hardStop.confirm(this.ownership.requireDriven(runId), shownDigest);
  }

  /** "Ask about this spec" at the HARD STOP before the Coder (see SpecDiscussion). */
  async askAboutSpec(runId: string, question: string): Promise<string> {
    return this.discussion.ask(this.ownership.requireDriven(runId), question);
  }

  /** "Revise with these answers": the Architect writes a new spec version from the discussion. */
  async reviseSpecFromDiscussion(runId: string): Promise<void> {
    return this.discussion.revise(this.ownership.requireDriven(runId));
  }

  async decide(runId: string, outcome: ReviewOutcome, notes?: string): Promise<void> {
    const state = this.ownership.requireDriven(runId).state;
    if (state.phase !== 'architect-review' || !state.verdict) throw new Error('The review has no verdict to decide on yet.');
    const verdict = state.verdict;
    await this.dispatch(runId, { type: 'review-decided', outcome, ...(notes ? { notes } : {}) }, async (next) => {
      if (next.state.phase === 'hard-stop-to-coder') await this.specs.promote(next, next.state.specVersion);
      return {
        ...next,
        decisions: [...next.decisions, { at: nowOf(this.deps), recommended: verdict.outcome, decided: outcome, ...(notes ? { notes } : {}) }],
      };
    });
  }

  /**
   * Puts back the files the newest Coder pass changed, as they were before it, as an event of the
   * run: refused unless the run waits for the user (see transition), recorded in its history and
   * run.json. Undefined when there is no pass to revert.
   */
  async revertCoderPass(runId: string): Promise<{ specVersion: number; files: string[] } | undefined> {
    this.ownership.requireDriven(runId);
    if (!this.deps.isTrusted()) throw new Error('This workspace is not trusted (Restricted Mode), so no file is put back. Trust the workspace (Workspaces: Manage Workspace Trust), then revert the pass again.');
    const pass = await this.coderPass(runId);
    if (!pass || pass.originals.size === 0) return undefined;
    const files = [...pass.originals.keys()].sort();
    await this.dispatch(runId, { type: 'pass-reverted', specVersion: pass.specVersion, files }, async (next) => {
      // Written after the transition was allowed and before it is saved: a refused revert changes no file.
      await restoreFiles(this.deps.workspace, pass.originals);
      return next;
    });
    return { specVersion: pass.specVersion, files };
  }

  /**
   * At a batch paused on a failed verification: go on with the rest of the specs, or stop there
   * (the pass then writes the consolidated report of what was done, naming what was skipped).
   */
  async continueBatch(runId: string, choice: 'go-on' | 'stop'): Promise<void> {
    this.ownership.requireDriven(runId);
    // Going on edits files and runs commands, like any step into the Coder's work.
    if (choice === 'go-on' && !this.deps.isTrusted()) throw new Error(untrustedMessage('press Go on again'));
    await this.dispatch(runId, { type: choice === 'go-on' ? 'batch-go-on' : 'batch-stop' });
  }

  /**
   * Competitive mode: the user applies candidate `label` (one the competition finished). Its
   * changes land in the workspace as one edit (one undo step in VS Code), after the files' content
   * before it is kept as the pass's originals, so revert and the diff commands work as for a single
   * Coder; the pass then writes its report and the run goes on to the HARD STOP before the Architect.
   */
  async applyCandidate(runId: string, label: string): Promise<{ files: string[] }> {
    const record = this.ownership.requireDriven(runId);
    if (!this.deps.isTrusted()) throw new Error(untrustedMessage('apply the candidate again'));
    const state = record.state;
    if (state.phase !== 'coder-implement' || !state.competition?.awaitingPick) throw new Error('No competition of this run waits for a candidate to be applied.');
    const chosen = state.competition.ended.find((candidate) => candidate.label === label && candidate.status === 'done');
    if (!chosen) throw new Error(`There is no finished candidate "${label.slice(0, 8)}" to apply.`);
    const work = await readCandidateWork(this.deps.store, runId, chosen.label);
    // The file was on disk between the candidate's end and now: each path is checked as a Coder's is.
    for (const file of work.files) {
      const confined = await confine(this.deps.workspace, file.path);
      const problem = !confined.ok ? confined.reason : confined.relativePath !== file.path ? `"${file.path}" is not a plain workspace path` : undefined;
      if (problem) throw new Error(`Candidate ${chosen.label} was not applied: ${problem}; nothing was written.`);
    }
    const files = work.files.map((file) => file.path);
    await this.dispatch(runId, { type: 'candidate-applied', label: chosen.label }, async (next) => {
      // Kept before any file changes, so a pass cut short here can still be reverted.
      const originals = await readFiles(this.deps.workspace, files);
      await this.specs.writeOriginals(runId, state.specVersion, originals);
      const results = await this.deps.workspace.writeAll(work.files.map((file) => ({ path: file.path, text: file.after ?? undefined })));
      const refused = results.filter((result) => !result.ok);
      if (refused.length > 0) {
        await restoreFiles(this.deps.workspace, originals).catch(() => undefined);
        throw new Error(`Candidate ${chosen.label} was not applied: ${refused.map((result) => (result.ok ? result.path : `${result.path} (${result.reason})`)).join(', ')} could not be written; the files were put back.`);
      }
      return next;
    });
    return { files };
  }

  async cancel(runId: string): Promise<void> {
    this.running.get(runId)?.abort(new Error('cancelled by the user'));
    this.hardStop.cancelCheck(runId);
    this.discussion.stop(runId, new Error('cancelled by the user'));
    await this.dispatch(runId, { type: 'cancel' });
    // A cancelled run does nothing more, so there is nothing left to resume.
    if (this.journal.activityOf(runId).dormant) this.journal.setActivity(runId, { dormant: undefined });
  }

  async retry(runId: string): Promise<void> {
    const state = this.ownership.requireDriven(runId).state;
    // Refused before the transition, so the run keeps its place (and its error) until trusted.
    if (state.phase === 'failed' && state.resumeFrom.phase === 'coder-implement' && !this.deps.isTrusted()) {
      throw new Error(untrustedMessage('press Retry again'));
    }
    if (state.phase === 'failed') await this.ownership.reacquire(runId);
    await this.dispatch(runId, { type: 'retry' });
  }

  /**
   * Stops everything this window does and lets go of its runs, so a reloaded window (a new
   * extension host) or another window can drive them at once. Await it where possible.
   *
   * What is already in memory reaches run.json first: the save under way finishes and the calls
   * recorded by then are saved, then the runs are released, and from then on this engine writes
   * no run.json; a call that ends later is not saved. Nothing else starts: a transition that had
   * not begun is dropped, and the next window redoes its phase.
   */
  dispose(): Promise<void> {
    // Once only: a second final save could land after the runs were released.
    this.disposed ??= this.ownership.close();
    return this.disposed;
  }

  // ---- events and effects -------------------------------------------------------------------

  private dispatch(runId: string, event: RunEvent, patch?: RecordPatch): Promise<void> {
    return this.journal.enqueue(runId, async () => {
      if (this.journal.closing) throw new Error(`This window is closing; "${event.type}" is left to the window that drives the run next.`);
      const record = this.journal.require(runId);
      const result = transition(record.state, event);
      if (!result.ok) throw new Error(result.reason);
      const timing = endsPhaseWork(event) ? this.meter.closePhase(runId) : undefined;
      let next = advance(record, event, result.state, nowOf(this.deps), timing);
      if (patch) next = await patch(next);
      // Published before the HARD STOP is saved, so it is never shown without what a confirm binds to.
      await this.hardStop.publishPending(next);
      await this.journal.save(runId, next);
      this.journal.emit({ type: 'changed', runId });
      // A transition saved while the window began to close: the next window starts its work.
      if (!this.journal.closing) this.perform(runId, result.effects);
    });
  }

  private perform(runId: string, effects: readonly Effect[]): void {
    for (const effect of effects) {
      switch (effect.type) {
        case 'write-spec':
          this.work(runId, 'The Architect is writing the Code Spec…', (signal) => writeSpec(this.phases, runId, effect, signal));
          break;
        case 'implement':
          this.work(runId, 'The Coder is implementing the spec…', (signal) => implement(this.phases, runId, effect.specVersion, effect.approvedCommands, signal));
          break;
        case 'review':
          this.work(runId, 'The Architect is reviewing the Code Report…', (signal) => review(this.phases, runId, effect.reportVersion, signal));
          break;
        case 'await-confirmation':
          this.journal.setActivity(runId, { busy: false, message: '' });
          if (this.deps.autoConfirm?.()) this.confirmByItself(runId);
          break;
        case 'await-decision':
        case 'await-batch-choice':
          this.journal.setActivity(runId, { busy: false, message: '' });
          break;
        case 'await-candidate-choice':
          this.journal.setActivity(runId, { busy: false, message: '', candidates: undefined, specs: undefined });
          break;
        case 'finished':
          this.journal.setActivity(runId, { busy: false, message: '' });
          this.ownership.release(runId);
          // A run that ended keeps no copy of the workspace (a competition's candidates remove theirs as they end).
          this.track(removeRunCopies(this.deps.copies, runId));
          break;
      }
    }
  }

  /**
   * The user's setting confirms the HARD STOP for them: the same confirm, identity check and spec
   * digest included, so a model that does not answer (or Restricted Mode) leaves the run waiting
   * with the reason shown, as a click would.
   */
  private confirmByItself(runId: string): void {
    const record = this.journal.get(runId);
    if (!record) return;
    void this.hardStop.confirm(record, undefined).catch((error: unknown) => this.journal.emit({ type: 'notice', runId, level: 'warning', message: `The HARD STOP did not confirm itself: ${messageOf(error)}` }));
  }

  /** Runs one phase's work in the background; a failure moves the run to `failed`. */
  private work(runId: string, message: string, job: (signal: AbortSignal) => Promise<void>): void {
    const controller = new AbortController();
    this.running.set(runId, controller);
    this.meter.startPhase(runId, this.journal.require(runId).state.phase);
    this.journal.setActivity(runId, { busy: true, message, lastError: undefined });
    const done = job(controller.signal)
      .catch(async (error: unknown) => {
        if (controller.signal.aborted) return;
        const state = this.journal.get(runId)?.state;
        if (state && isActive(state)) await this.dispatch(runId, { type: 'fail', error: messageOf(error) }).catch(() => undefined);
      })
      .finally(() => {
        if (this.running.get(runId) === controller) this.running.delete(runId);
      });
    this.track(done);
  }

  private track(work: Promise<unknown>): void {
    const settled = work.catch(() => undefined).finally(() => this.settling.delete(settled));
    this.settling.add(settled);
  }

  /** Waits for stopped work to finish its clean-up; bounded, so a stuck step never holds a closing window. */
  private async settle(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SETTLE_MS);
    });
    await Promise.race([Promise.allSettled([...this.settling]), bound]);
    clearTimeout(timer);
  }

  /** A swarm's plan at the HARD STOP before the Coder: the user confirms with its routes and estimate in view. */
  private async swarmPlanOf(record: RunRecord): Promise<string[] | undefined> {
    if (record.mode?.mode !== 'swarm' || record.state.phase !== 'hard-stop-to-coder') return undefined;
    return swarmPlanLines(this.deps, await this.specs.load(record, record.state.specVersion));
  }

  /** Stops the work under way for one run (or, undefined, for every run): phases and identity checks. */
  private stop(runId: string | undefined, reason: Error): void {
    const phases = runId === undefined ? [...this.running.values()] : [this.running.get(runId)];
    for (const controller of phases) controller?.abort(reason);
    this.hardStop.stopChecks(runId, reason);
    this.discussion.stop(runId, reason);
  }
}

/** How long a closing window waits for its stopped work's clean-up (copies removed) before it lets go. */
const SETTLE_MS = 10_000;

/** Writes each file back as it was (deleting those that did not exist); one that is refused fails the revert, naming it. */
async function restoreFiles(workspace: WorkspaceFiles, originals: Originals): Promise<void> {
  const results = await workspace.writeAll([...originals].map(([file, text]) => ({ path: file, text })));
  const refused = results.filter((result) => !result.ok).map((result) => (result.ok ? result.path : `${result.path} (${result.reason})`));
  if (refused.length > 0) throw new Error(`These files could not be put back, so the revert was not recorded: ${refused.join(', ')}.`);
}

/** Events that end an automatic phase's work: its timing is closed and kept in run.json. */
function endsPhaseWork(event: RunEvent): boolean {
  // A judged competition waits for the user's pick: that wait is not the phase's work.
  return event.type === 'spec-written' || event.type === 'report-written' || event.type === 'verdict-ready' || event.type === 'competition-judged';
}

function newRunRecord(runId: string, start: StartRequest, now: Date): RunRecord {
  return {
    schemaVersion: RUN_SCHEMA_VERSION,
    runId,
    request: start.request,
    ...(start.selection ? { selection: start.selection } : {}),
    ...(start.contextFiles?.length ? { contextFiles: start.contextFiles } : {}),
    ...(start.activeFile ? { activeFile: start.activeFile } : {}),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    revision: 0,
    roles: start.roles,
    ...(start.mode && start.mode.mode !== 'single' ? { mode: start.mode } : {}),
    state: { phase: 'architect-spec', reason: 'initial' },
    specs: [],
    reports: [],
    decisions: [],
    history: [{ at: now.toISOString(), from: '', event: 'start', to: 'architect-spec' }],
    usage: {},
    timings: [],
    calls: [],
  };
}
