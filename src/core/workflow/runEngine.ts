// Drives runs: applies events through the pure transition(), persists run.json after every
// step, and carries out the effects (model calls, the Coder's pass, the verification). The
// VS Code layer only forwards user intents here and renders what this reports.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { CodeSpec } from '../artifacts/codeSpec.js';
import { parseCodeSpec, renderCodeSpec } from '../artifacts/codeSpec.js';
import { renderCodeReport } from '../artifacts/codeReport.js';
import { formatArtifactErrors } from '../artifacts/parseResult.js';
import { specFileName } from '../artifacts/batch.js';
import { CoderToolbox } from '../coder/coderTools.js';
import { confine, guardedPatterns } from '../coder/confinement.js';
import { artifactsRootIn, protectedPathsNamed } from '../coder/protectedPaths.js';
import { buildStatus, computeFileChanges, testStatus, unlistedChanges } from '../coder/reportFacts.js';
import { runCoderLoop } from '../coder/toolLoop.js';
import type { ChatMessage, ModelClient, ModelInfo, ModelRequest, TokenUsage } from '../models/modelClient.js';
import { addUsage, zeroUsage } from '../models/modelClient.js';
import { isModelError } from '../models/modelErrors.js';
import type { ModelPrice } from '../models/prices.js';
import { costOf } from '../models/prices.js';
import type { ArtifactStore, Clock, RunOrigins, VerificationResult, VerificationRunner, WorkspaceFiles } from '../ports.js';
import type { WorkspaceContext } from '../prompts/prompts.js';
import {
  architectSpecMessage,
  architectSystemPrompt,
  coderFirstMessage,
  coderSystemPrompt,
  identityPrompt,
  reviewMessage,
  reviewRepairMessage,
  reviewSystemPrompt,
  specRepairMessage,
} from '../prompts/prompts.js';
import type { ReviewOutcome } from '../../shared/messages.js';
import { extractSpecMarkdown, parseVerdictAnswer, splitBatch, verdictJsonSchema } from './modelAnswers.js';
import type { ModelCall, RoleSnapshot, RunRecord } from './runRecord.js';
import { RUN_SCHEMA_VERSION } from './runRecord.js';
import type { RunLock } from './runLock.js';
import type { RunEvent } from './runState.js';
import { isActive } from './runState.js';
import type { RunStore } from './runStore.js';
import { createRunId } from './runStore.js';
import type { Effect } from './transition.js';
import { entryEffects, transition } from './transition.js';

export interface EngineSettings {
  verificationTimeoutMs: number;
  maxCoderTurns: number;
  maxVerificationRuns: number;
  maxOutputTokens: number;
}

export interface EngineDeps {
  store: RunStore;
  lock: RunLock;
  artifacts: ArtifactStore;
  workspace: WorkspaceFiles;
  verifier: VerificationRunner;
  clock: Clock;
  clientFor: (role: RoleSnapshot) => ModelClient;
  settings: () => EngineSettings;
  workspaceTree: () => Promise<string>;
  randomHex: () => string;
  /** Runs this machine started; any other run found on disk waits for the user to resume it. */
  origins: RunOrigins;
  /** The price table in force now (built-in with the user's overrides), to price each call as it is made. */
  prices: () => Readonly<Record<string, ModelPrice>>;
  /**
   * Whether the workspace is trusted, asked at every step that would change it: in Restricted
   * Mode no Coder pass starts and no verification runs, whichever path leads there.
   */
  isTrusted: () => boolean;
}

export type EngineUpdate =
  | { type: 'changed'; runId: string }
  /** A chunk of the answer being streamed; `reset`: drop what was streamed before (a cut answer asked again). */
  | { type: 'stream'; runId: string; text: string; reset?: boolean }
  | { type: 'notice'; runId: string; level: 'info' | 'warning' | 'error'; message: string };

/** What the engine knows about a run beyond run.json: what it is doing right now. */
export interface RunActivity {
  busy: boolean;
  message: string;
  confirming: boolean;
  /** Set when another window drives this run; this window only shows it. */
  heldElsewhere?: string;
  /** The last error that did not end the run (e.g. a failed model check at a HARD STOP). */
  lastError?: string;
  /**
   * Set for an active run found on disk that this window does not drive until the user says so:
   * one this machine did not start, or any run while the workspace is in Restricted Mode.
   */
  dormant?: string;
}

/**
 * What the HARD STOP before the Coder shows: the spec set of one version, its verification
 * commands, and a digest of both that a confirm must name (or that a confirm without one binds to).
 */
export interface SpecApproval {
  specVersion: number;
  digest: string;
  commands: string[];
}

export interface StartRequest {
  request: string;
  selection?: WorkspaceContext['selection'];
  contextFiles?: string[];
  activeFile?: { file: string; line: number };
  roles: { architect: RoleSnapshot; coder: RoleSnapshot };
}

const SPEC_FILE = 'code_spec.md';
const REPORT_FILE = 'code_report.md';
const versionDir = (version: number): string => `versions/v${version}`;
const originalsFile = (version: number): string => `${versionDir(version)}/originals.json`;

export class RunEngine {
  private readonly records = new Map<string, RunRecord>();
  private readonly activity = new Map<string, RunActivity>();
  private readonly running = new Map<string, AbortController>();
  private readonly listeners = new Set<(update: EngineUpdate) => void>();
  /** Serialises saves per run, so concurrent events cannot race on the revision. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Runs with a model call in memory that run.json does not hold yet. */
  private readonly unsavedCalls = new Set<string>();
  /** The identity checks under way at a HARD STOP, stopped with everything else on dispose(). */
  private readonly identityChecks = new Map<string, AbortController>();
  /** Runs whose lock another window took while this one drove them: this window only shows them now. */
  private readonly lost = new Set<string>();
  /** Per run waiting at the HARD STOP before the Coder: the spec set last published to be shown. */
  private readonly published = new Map<string, SpecApproval>();
  /**
   * Set when dispose() begins: from then on the next window owns run.json, and a save from this
   * one would bump the revision under it and make its next save fail as a conflict.
   */
  private closing = false;
  private disposed: Promise<void> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private readonly watchers = new Set<ReturnType<typeof setInterval>>();
  /** Per run, the automatic phase in progress and the time it spent waiting on others. */
  private readonly timers = new Map<string, { phase: string; started: number; modelMs: number; verificationMs: number }>();

  constructor(
    private readonly deps: EngineDeps,
    /** How often a window re-checks a run another window holds. */
    private readonly heldRetryMs = 2_000,
  ) {}

  onUpdate(listener: (update: EngineUpdate) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get(runId: string): RunRecord | undefined {
    return this.records.get(runId);
  }

  activityOf(runId: string): RunActivity {
    return this.activity.get(runId) ?? { busy: false, message: '', confirming: false };
  }

  /** Runs this window knows, newest first. */
  runs(): RunRecord[] {
    return [...this.records.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async start(start: StartRequest): Promise<RunRecord> {
    const now = this.deps.clock.now();
    const runId = createRunId(start.request, now, this.deps.randomHex());
    const record: RunRecord = {
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
      state: { phase: 'architect-spec', reason: 'initial' },
      specs: [],
      reports: [],
      decisions: [],
      history: [{ at: now.toISOString(), from: '', event: 'start', to: 'architect-spec' }],
      usage: {},
      timings: [],
      calls: [],
    };
    await this.deps.origins.remember(runId);
    await this.deps.artifacts.writeTextAtomic(this.deps.store.artifactPath(runId, '.gitignore'), '*\n');
    await this.deps.lock.acquire(runId);
    const saved = await this.deps.store.save(record, now);
    this.records.set(runId, saved);
    this.ensureHeartbeat();
    this.emit({ type: 'changed', runId });
    this.perform(runId, [{ type: 'write-spec', reason: 'initial' }]);
    return saved;
  }

  /**
   * Picks up every run on disk after a window (re)load: ends in the phase it was in, redoing the
   * work of automatic phases. Runs another window holds are shown but not driven; unreadable
   * runs are reported and left alone. Only runs this machine started resume by themselves, and
   * none while `restricted` says why they may not (Restricted Mode): the others are listed and
   * readable, and wait for `resumeDormant`, an explicit action of the user's.
   */
  async resumeAll(restricted?: string): Promise<{ resumed: string[]; dormant: string[]; unreadable: { runId: string; error: string }[] }> {
    const dormant: string[] = [];
    const resumed: string[] = [];
    const unreadable: { runId: string; error: string }[] = [];
    for (const loaded of await this.deps.store.list()) {
      if (!loaded.ok) {
        unreadable.push({ runId: loaded.runId, error: loaded.error });
        continue;
      }
      const record = loaded.record;
      // A run this window already drives (started while the list was read) is not resumed twice.
      if (this.records.has(record.runId)) continue;
      this.records.set(record.runId, record);
      if (!isActive(record.state)) continue;
      const why = restricted ?? (this.deps.origins.startedHere(record.runId) ? undefined : 'This run was not started on this machine: it came with the workspace or from elsewhere. It does nothing until you resume it.');
      if (why) {
        this.setActivity(record.runId, { dormant: why });
        dormant.push(record.runId);
        continue;
      }
      if (await this.takeOver(record.runId)) resumed.push(record.runId);
      else this.watchHeld(record.runId);
    }
    if (resumed.length > 0) this.ensureHeartbeat();
    return { resumed, dormant, unreadable };
  }

  /** The user chose to resume a dormant run: from now on it is one of this machine's runs. */
  async resumeDormant(runId: string): Promise<void> {
    this.require(runId);
    if (!this.activityOf(runId).dormant) return;
    await this.deps.origins.remember(runId);
    this.setActivity(runId, { dormant: undefined });
    if (await this.takeOver(runId)) this.ensureHeartbeat();
    else this.watchHeld(runId);
  }

  /** Intents that make a run act (confirm, decide, retry) wait until a dormant run is resumed. */
  private requireDriven(runId: string): RunRecord {
    const record = this.require(runId);
    const dormant = this.activityOf(runId).dormant;
    if (dormant) throw new Error(`${dormant} Resume it first ("Dual-Model: Resume a run found on disk…").`);
    return record;
  }

  /** Drives a run if no other window does; entry effects double as resume effects. */
  private async takeOver(runId: string): Promise<boolean> {
    if (this.closing || !this.records.has(runId)) return false;
    const lock = await this.deps.lock.acquire(runId);
    if (!lock.ok) {
      this.setActivity(runId, { heldElsewhere: `Another window is driving this run (since ${lock.since}); this window will take it over if that one closes.` });
      return false;
    }
    if (this.closing) {
      await this.deps.lock.release(runId);
      return false;
    }
    // run.json was read before the lock was ours: the window that held the run may have saved
    // since (its calls, a transition), and saving on top of the older revision would fail.
    const loaded = await this.deps.store.load(runId);
    if (!loaded.ok) {
      await this.deps.lock.release(runId);
      this.setActivity(runId, { lastError: loaded.error });
      return false;
    }
    this.records.set(runId, loaded.record);
    this.lost.delete(runId);
    await this.publishPending(loaded.record);
    this.setActivity(runId, { heldElsewhere: undefined });
    // Automatic phases redo their work; HARD STOPs and a decided review wait for the user.
    this.perform(runId, entryEffects(loaded.record.state));
    return true;
  }

  /**
   * A run held by another window is taken over once that window lets go: it releases its runs
   * when it closes (a reload included), or its lock goes stale if it crashed.
   */
  private watchHeld(runId: string): void {
    const timer = setInterval(() => {
      void this.takeOver(runId).then((taken) => {
        if (taken) {
          clearInterval(timer);
          this.watchers.delete(timer);
          this.ensureHeartbeat();
        }
      });
    }, this.heldRetryMs);
    timer.unref?.();
    this.watchers.add(timer);
  }

  /**
   * The user pressed "Model Confirmed": check the next model answers, then start its phase. Before
   * the Coder, the confirm approves the spec set whose digest the view showed (`shownDigest`, or
   * without one the set last published); a set that changed since is refused and published.
   */
  async confirmModel(runId: string, shownDigest?: string): Promise<void> {
    const record = this.requireDriven(runId);
    const state = record.state;
    if (state.phase !== 'hard-stop-to-coder' && state.phase !== 'hard-stop-to-architect') {
      throw new Error(`There is no HARD STOP waiting in run ${runId}.`);
    }
    if (this.activityOf(runId).confirming) return;
    if (state.phase === 'hard-stop-to-coder' && !this.deps.isTrusted()) {
      const message = untrustedMessage('press Model Confirmed again');
      this.setActivity(runId, { lastError: message });
      throw new Error(message);
    }
    const role = state.phase === 'hard-stop-to-coder' ? record.roles.coder : record.roles.architect;
    const expected = shownDigest ?? this.pendingApproval(runId)?.digest;
    this.setActivity(runId, { confirming: true, busy: true, message: `Checking that ${role.displayName} answers…`, lastError: undefined });
    try {
      const approval = state.phase === 'hard-stop-to-coder' ? await this.approvedSpec(runId, state.specVersion, expected) : undefined;
      const check = new AbortController();
      const answeredBy = await this.verifyIdentity(runId, role, state.phase, check).catch((error: unknown) => {
        if (check.signal.reason === cancelledByUser) throw cancelledByUser;
        throw new Error(`${role.displayName} did not answer: ${messageOf(error)}`);
      });
      // The identity check takes seconds: an edit made meanwhile is refused like any other.
      if (approval) await this.approvedSpec(runId, approval.specVersion, approval.digest);
      this.setActivity(runId, { confirming: false });
      await this.dispatch(runId, { type: 'model-confirmed', answeredBy, ...(approval ? { verificationCommands: approval.commands } : {}) });
    } catch (error) {
      // Cancelled while the model was being checked: the run says cancelled, nothing failed.
      const cancelled = error === cancelledByUser;
      this.setActivity(runId, { confirming: false, busy: false, message: '', lastError: cancelled ? undefined : messageOf(error) });
      if (!cancelled) throw error;
    }
  }

  /** The spec set the HARD STOP before the Coder shows now (what a confirm without a digest approves). */
  pendingApproval(runId: string): SpecApproval | undefined {
    const state = this.records.get(runId)?.state;
    const approval = this.published.get(runId);
    return state?.phase === 'hard-stop-to-coder' && approval?.specVersion === state.specVersion ? approval : undefined;
  }

  /**
   * The absolute path of an artifact of a run this window knows, for "open in editor". The run id
   * and path come from the webview (untrusted): the id must be one of the runs listed, in the run
   * id format, before any path is built from it, and the file must be inside the run's folder.
   */
  artifactFile(runId: string, file: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/.test(runId) || !this.records.has(runId)) throw new Error(`There is no run "${runId.slice(0, 200)}" in this workspace.`);
    const runDir = this.deps.store.runDir(runId);
    const relative = path.relative(runDir, path.resolve(runDir, file));
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) throw new Error('That file is not an artifact of this run.');
    return path.join(runDir, relative);
  }

  /** The commands the Coder will be allowed to run, as the HARD STOP shows them. */
  async pendingVerificationCommands(runId: string): Promise<string[] | undefined> {
    return this.pendingApproval(runId)?.commands;
  }

  /**
   * Makes what would be implemented the spec set shown: hand edits of code_spec.md are adopted
   * into the version (so the panel, which reads the version, shows them), and its digest is
   * published. Changes (and so a repaint) only when the set did.
   */
  private async publishApproval(runId: string, specVersion: number, record = this.require(runId)): Promise<SpecApproval> {
    await this.adoptHandEdits(runId, specVersion, record);
    const set = await this.loadSpecSet(runId, specVersion, record);
    const digest = createHash('sha256').update(JSON.stringify([specVersion, set.files, set.texts])).digest('hex');
    const approval: SpecApproval = { specVersion, digest, commands: verificationCommands(set) };
    const before = this.published.get(runId);
    this.published.set(runId, approval);
    if (before?.digest !== digest) this.emit({ type: 'changed', runId });
    return approval;
  }

  /** At the HARD STOP before the Coder, publishes its spec set; one that no longer parses says why (confirming refuses it). */
  private async publishPending(record: RunRecord): Promise<void> {
    if (record.state.phase !== 'hard-stop-to-coder') return;
    await this.publishApproval(record.runId, record.state.specVersion, record).catch((error: unknown) => this.setActivity(record.runId, { lastError: messageOf(error) }));
  }

  /** The spec set as it is now, if it is the one shown; otherwise it is published, and refused. */
  private async approvedSpec(runId: string, specVersion: number, expectedDigest: string | undefined): Promise<SpecApproval> {
    const approval = await this.publishApproval(runId, specVersion);
    if (approval.digest !== expectedDigest) {
      throw new Error(
        'The Code Spec changed since it was shown (code_spec.md or its saved version was edited). The HARD STOP now shows it: read it and its verification command, then press Model Confirmed again.',
      );
    }
    return approval;
  }

  /** The paths the pending spec lets the Coder change in .vscode/, .git/, .devcontainer/ or the artifacts root, for the HARD STOP to flag. */
  async pendingProtectedPaths(runId: string): Promise<string[] | undefined> {
    const state = this.records.get(runId)?.state;
    if (state?.phase !== 'hard-stop-to-coder') return undefined;
    const set = await this.loadSpecSet(runId, state.specVersion);
    return protectedPathsNamed(set.specs.flatMap((spec) => spec.files.map((file) => file.path)), this.artifactsRootInWorkspace());
  }

  private artifactsRootInWorkspace(): string | undefined {
    return artifactsRootIn(this.deps.workspace.root, this.deps.store.root);
  }

  /**
   * The files a Coder pass touched and their content before it (undefined: the file did not
   * exist), for the diff and revert commands. The newest pass unless a spec version is given.
   */
  async coderPass(runId: string, specVersion?: number): Promise<{ specVersion: number; originals: Map<string, string | undefined> } | undefined> {
    const record = this.require(runId);
    const version = specVersion ?? record.reports.at(-1)?.specVersion ?? (record.state.phase === 'coder-implement' ? record.state.specVersion : undefined);
    if (version === undefined) return undefined;
    const originals = await this.readOriginals(runId, version);
    return originals ? { specVersion: version, originals } : undefined;
  }

  /** versions/vN/originals.json: each touched file's content before pass N (null: it did not exist). */
  private async readOriginals(runId: string, specVersion: number): Promise<Map<string, string | undefined> | undefined> {
    const text = await this.deps.store.readArtifact(runId, originalsFile(specVersion));
    if (text === undefined) return undefined;
    const json = JSON.parse(text) as Record<string, string | null>;
    return new Map(Object.entries(json).map(([file, content]) => [file, content ?? undefined]));
  }

  private async writeOriginals(runId: string, specVersion: number, originals: ReadonlyMap<string, string | undefined>): Promise<void> {
    const json = Object.fromEntries([...originals.entries()].map(([file, text]) => [file, text ?? null]));
    await this.deps.store.writeArtifact(runId, originalsFile(specVersion), `${JSON.stringify(json, null, 2)}\n`);
  }

  async decide(runId: string, outcome: ReviewOutcome, notes?: string): Promise<void> {
    const record = this.requireDriven(runId);
    const state = record.state;
    if (state.phase !== 'architect-review' || !state.verdict) throw new Error('The review has no verdict to decide on yet.');
    const verdict = state.verdict;
    await this.dispatch(runId, { type: 'review-decided', outcome, ...(notes ? { notes } : {}) }, async (next) => {
      if (next.state.phase === 'hard-stop-to-coder') await this.promoteSpec(next, next.state.specVersion);
      return {
        ...next,
        decisions: [...next.decisions, { at: this.now(), recommended: verdict.outcome, decided: outcome, ...(notes ? { notes } : {}) }],
      };
    });
  }

  async cancel(runId: string): Promise<void> {
    this.running.get(runId)?.abort(new Error('cancelled by the user'));
    this.identityChecks.get(runId)?.abort(cancelledByUser);
    await this.dispatch(runId, { type: 'cancel' });
    // A cancelled run does nothing more, so there is nothing left to resume.
    if (this.activityOf(runId).dormant) this.setActivity(runId, { dormant: undefined });
  }

  async retry(runId: string): Promise<void> {
    const state = this.requireDriven(runId).state;
    // Refused before the transition, so the run keeps its place (and its error) until trusted.
    if (state.phase === 'failed' && state.resumeFrom.phase === 'coder-implement' && !this.deps.isTrusted()) {
      throw new Error(untrustedMessage('press Retry again'));
    }
    // A failed run let go of its lock; driving it again needs it back (another window may have it).
    if (state.phase === 'failed') {
      const lock = await this.deps.lock.acquire(runId);
      if (!lock.ok) throw new Error(`Another window is driving this run (since ${lock.since}); retry it there.`);
      this.lost.delete(runId);
      this.ensureHeartbeat();
    }
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
    this.disposed ??= this.close();
    return this.disposed;
  }

  private async close(): Promise<void> {
    this.closing = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const timer of this.watchers) clearInterval(timer);
    this.watchers.clear();
    for (const controller of [...this.running.values(), ...this.identityChecks.values()]) controller.abort(new Error('window closing'));
    const held = [...this.records.values()].filter((record) => isActive(record.state) && !this.activityOf(record.runId).heldElsewhere && !this.activityOf(record.runId).dormant);
    for (const runId of this.unsavedCalls) {
      void this.enqueue(runId, () => this.saveCalls(runId)).catch(() => undefined);
    }
    // Every run's queue, including the final saves just queued; the steps queued from now on find
    // `closing` set and write nothing.
    await Promise.all([...this.queues.values()].map((step) => step.catch(() => undefined)));
    await Promise.all(held.map((record) => this.deps.lock.release(record.runId).catch(() => undefined)));
  }

  // ---- events and effects -------------------------------------------------------------------

  private dispatch(runId: string, event: RunEvent, patch?: (next: RunRecord) => Promise<RunRecord>): Promise<void> {
    return this.enqueue(runId, async () => {
      if (this.closing) throw new Error(`This window is closing; "${event.type}" is left to the window that drives the run next.`);
      const record = this.require(runId);
      const result = transition(record.state, event);
      if (!result.ok) throw new Error(result.reason);
      const timing = event.type === 'spec-written' || event.type === 'report-written' || event.type === 'verdict-ready' ? this.closeTimer(runId) : undefined;
      let next: RunRecord = {
        ...record,
        state: result.state,
        history: [...record.history, { at: this.now(), from: record.state.phase, event: event.type, to: result.state.phase, ...historyDetail(event) }],
        ...(timing ? { timings: [...record.timings, timing] } : {}),
      };
      if (patch) next = await patch(next);
      // Published before the HARD STOP is saved, so it is never shown without what a confirm binds to.
      await this.publishPending(next);
      await this.save(runId, next);
      this.emit({ type: 'changed', runId });
      // A transition saved while the window began to close: the next window starts its work.
      if (!this.closing) this.perform(runId, result.effects);
    });
  }

  /** Runs `step` after the run's earlier steps: one save of run.json at a time, each on the revision the one before wrote. */
  private enqueue(runId: string, step: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(runId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(step);
    this.queues.set(runId, next);
    return next;
  }

  /**
   * Saves `next` with every model call recorded so far. recordCall is the one writer that does
   * not wait for the queue (a call ends whenever its model answers); it only appends to `calls`
   * and adds to `usage`, so those two come from the record in memory, before the save and again
   * after it: a call that ended while run.json was being written is kept, and saved next.
   */
  private async save(runId: string, next: RunRecord): Promise<void> {
    // Before any await: a call recorded from here on is saved by the next save, not lost to this one.
    this.unsavedCalls.delete(runId);
    let saved: RunRecord;
    try {
      // The window holding the lock writes run.json, and only it: one that lost the lock stops here.
      if (this.lost.has(runId) || !(await this.deps.lock.holds(runId))) {
        this.loseRun(runId);
        throw new Error(anotherWindowTookOver);
      }
      saved = await this.deps.store.save(withCallsOf(next, this.require(runId)), this.deps.clock.now());
    } catch (error) {
      if (!this.lost.has(runId)) this.unsavedCalls.add(runId);
      throw error;
    }
    this.records.set(runId, withCallsOf(saved, this.require(runId)));
  }

  /** Saves the calls recorded since the last save, unless a save queued earlier has done it. */
  private async saveCalls(runId: string): Promise<void> {
    if (this.unsavedCalls.has(runId)) await this.save(runId, this.require(runId));
  }

  private perform(runId: string, effects: readonly Effect[]): void {
    for (const effect of effects) {
      switch (effect.type) {
        case 'write-spec':
          this.work(runId, 'The Architect is writing the Code Spec…', (signal) => this.writeSpec(runId, effect, signal));
          break;
        case 'implement':
          this.work(runId, 'The Coder is implementing the spec…', (signal) => this.implement(runId, effect.specVersion, effect.approvedCommands, signal));
          break;
        case 'review':
          this.work(runId, 'The Architect is reviewing the Code Report…', (signal) => this.review(runId, effect.reportVersion, signal));
          break;
        case 'await-confirmation':
        case 'await-decision':
          this.setActivity(runId, { busy: false, message: '' });
          break;
        case 'finished':
          this.setActivity(runId, { busy: false, message: '' });
          void this.deps.lock.release(runId);
          break;
      }
    }
  }

  /** Runs one phase's work in the background; a failure moves the run to `failed`. */
  private work(runId: string, message: string, job: (signal: AbortSignal) => Promise<void>): void {
    const controller = new AbortController();
    this.running.set(runId, controller);
    this.timers.set(runId, { phase: this.require(runId).state.phase, started: performance.now(), modelMs: 0, verificationMs: 0 });
    this.setActivity(runId, { busy: true, message, lastError: undefined });
    void job(controller.signal)
      .catch(async (error: unknown) => {
        if (controller.signal.aborted) return;
        const state = this.records.get(runId)?.state;
        if (state && isActive(state)) await this.dispatch(runId, { type: 'fail', error: messageOf(error) }).catch(() => undefined);
      })
      .finally(() => {
        if (this.running.get(runId) === controller) this.running.delete(runId);
      });
  }

  // ---- Phase 1: the Architect writes the spec ---------------------------------------------------

  private async writeSpec(runId: string, effect: Extract<Effect, { type: 'write-spec' }>, signal: AbortSignal): Promise<void> {
    const record = this.require(runId);
    const architect = this.recordedClient(runId, 'architect-spec', this.deps.clientFor(record.roles.architect));
    const latest = record.specs.at(-1);
    const previousSpec = latest ? (await this.loadSpecSet(runId, latest.version).catch(() => undefined))?.markdown : undefined;
    const context: WorkspaceContext = {
      tree: await this.deps.workspaceTree(),
      ...(record.selection ? { selection: record.selection } : {}),
      files: await this.readContextFiles(record.contextFiles ?? []),
      ...(await this.readActiveFile(record)),
    };
    const messages: ChatMessage[] = [
      { role: 'user', content: [{ type: 'text', text: architectSpecMessage(record.request, context, effect.reason, effect.feedback, previousSpec) }] },
    ];
    const request = (): ModelRequest => ({
      purpose: 'spec',
      system: architectSystemPrompt(record.roles.architect.displayName),
      messages,
      thinking: record.roles.architect.thinking,
      maxOutputTokens: this.deps.settings().maxOutputTokens,
    });
    let answer = await this.ask(runId, architect, request(), signal);
    let parsed = parseSpecAnswer(answer);
    if (!parsed.ok) {
      // One automatic repair: models usually fix a format slip when shown the exact error.
      messages.push({ role: 'assistant', content: [{ type: 'text', text: answer }] });
      messages.push({ role: 'user', content: [{ type: 'text', text: specRepairMessage(parsed.error) }] });
      this.setActivity(runId, { message: 'The spec was malformed; asking the Architect to repair it…' });
      answer = await this.ask(runId, architect, request(), signal);
      parsed = parseSpecAnswer(answer);
    }
    if (!parsed.ok) throw new Error(`The Architect's Code Spec is still malformed after one repair request:\n${parsed.error}`);
    const specs = parsed.specs;
    const version = (record.specs.at(-1)?.version ?? 0) + 1;
    const files = await this.saveSpecSet(runId, version, specs);
    await this.dispatch(runId, { type: 'spec-written', specVersion: version }, async (next) => {
      const updated = { ...next, specs: [...next.specs, specEntry(version, this.now(), specs, files)] };
      await this.promoteSpec(updated, version);
      return updated;
    });
  }

  /** The files the user added, confined to the workspace like the Coder's reads, each capped. */
  private async readContextFiles(paths: readonly string[]): Promise<{ path: string; text: string }[]> {
    const files: { path: string; text: string }[] = [];
    for (const raw of paths) {
      const file = await this.readContextFile(raw);
      if (file) files.push(file);
    }
    return files;
  }

  /** A workspace file as context: confined like the Coder's paths, long files cut. */
  private async readContextFile(raw: string): Promise<{ path: string; text: string } | undefined> {
    const where = await confine(this.deps.workspace, raw);
    if (!where.ok) return undefined;
    const text = await this.deps.workspace.read(where.relativePath);
    if (text === undefined) return undefined;
    return { path: where.relativePath, text: text.length > 100_000 ? `${text.slice(0, 100_000)}\n[… truncated …]` : text };
  }

  /** The file that was open in the editor, unless the user also added it (then it is there already). */
  private async readActiveFile(record: RunRecord): Promise<Pick<WorkspaceContext, 'activeFile'>> {
    const active = record.activeFile;
    if (!active || (record.contextFiles ?? []).includes(active.file)) return {};
    const file = await this.readContextFile(active.file);
    return file ? { activeFile: { ...file, line: active.line } } : {};
  }

  /** Writes a spec version: code_spec.md, or code_spec_01.md … in batch mode. */
  private async saveSpecSet(runId: string, version: number, specs: readonly CodeSpec[]): Promise<string[]> {
    const files = specs.length === 1 ? [SPEC_FILE] : specs.map((_, index) => specFileName(index + 1, specs.length));
    for (const [index, spec] of specs.entries()) {
      await this.deps.store.writeArtifact(runId, `${versionDir(version)}/${files[index] ?? SPEC_FILE}`, renderCodeSpec(spec));
    }
    return files;
  }

  /** Makes a spec version the current one: its files are copied to the run folder's top. */
  private async promoteSpec(record: RunRecord, version: number): Promise<void> {
    const runId = record.runId;
    const entry = record.specs.find((spec) => spec.version === version);
    const current = new Set(entry?.batchFiles ?? [SPEC_FILE]);
    for (const file of current) {
      const markdown = await this.deps.store.readArtifact(runId, `${versionDir(version)}/${file}`);
      if (markdown === undefined) throw new Error(`${versionDir(version)}/${file} is missing.`);
      await this.deps.store.writeArtifact(runId, file, markdown);
    }
    // Files of an earlier version's set (single vs batch) must not pass for current ones.
    for (const earlier of record.specs) {
      for (const file of earlier.batchFiles ?? [SPEC_FILE]) if (!current.has(file)) await this.deps.store.removeArtifact(runId, file);
    }
  }

  /**
   * The seed has the Coder read code_spec.md, and people edit it at the HARD STOP: an edit to the
   * current spec file becomes that version's spec (after it parses; a broken edit is refused with
   * the file and line, and nothing moves on).
   */
  private async adoptHandEdits(runId: string, version: number, record = this.require(runId)): Promise<void> {
    const entry = record.specs.find((spec) => spec.version === version);
    for (const file of entry?.batchFiles ?? [SPEC_FILE]) {
      const current = await this.deps.store.readArtifact(runId, file);
      const saved = await this.deps.store.readArtifact(runId, `${versionDir(version)}/${file}`);
      if (current === undefined || current === saved) continue;
      const parsed = parseCodeSpec(current);
      if (!parsed.ok) throw new Error(`${file} was edited and no longer parses, so the Coder cannot start:\n${formatArtifactErrors(file, parsed.errors)}`);
      await this.deps.store.writeArtifact(runId, `${versionDir(version)}/${file}`, current);
    }
  }

  /** A spec version as saved, parsed; a hand edit that broke it is named by file and line. */
  private async loadSpecSet(runId: string, version: number, record = this.require(runId)): Promise<SpecSet> {
    const entry = record.specs.find((spec) => spec.version === version);
    const files = entry?.batchFiles ?? [SPEC_FILE];
    const specs: CodeSpec[] = [];
    const texts: string[] = [];
    for (const file of files) {
      const markdown = await this.deps.store.readArtifact(runId, `${versionDir(version)}/${file}`);
      if (markdown === undefined) throw new Error(`${versionDir(version)}/${file} is missing.`);
      const parsed = parseCodeSpec(markdown);
      if (!parsed.ok) throw new Error(`The saved spec was edited and no longer parses:\n${formatArtifactErrors(file, parsed.errors)}`);
      specs.push(parsed.value);
      texts.push(markdown);
    }
    return { files, specs, texts, markdown: texts.join('\n---\n\n') };
  }

  // ---- HARD STOP: verify the next model's identity --------------------------------------------

  private async verifyIdentity(runId: string, role: RoleSnapshot, phase: string, controller: AbortController): Promise<string> {
    const client = this.recordedClient(runId, phase, this.deps.clientFor(role));
    this.identityChecks.set(runId, controller);
    const timer = setTimeout(() => controller.abort(new Error('no answer within 60 s')), 60_000);
    try {
      // Counted under the HARD STOP's phase, so its tokens are priced as the next role's model.
      const answer = await this.ask(runId, client, {
        purpose: 'identity',
        system: '',
        messages: [{ role: 'user', content: [{ type: 'text', text: identityPrompt }] }],
        thinking: 'none',
        maxOutputTokens: 64,
      }, controller.signal, false);
      const said = answer.trim().split('\n')[0]?.slice(0, 120) ?? '';
      if (!said) throw new Error('the model returned an empty answer');
      return `${role.displayName} (${client.info.modelId}) — answered "${said}"`;
    } finally {
      clearTimeout(timer);
      if (this.identityChecks.get(runId) === controller) this.identityChecks.delete(runId);
    }
  }

  // ---- Phase 3: the Coder implements --------------------------------------------------------

  private async implement(runId: string, specVersion: number, approvedCommands: readonly string[], signal: AbortSignal): Promise<void> {
    // Every way into this phase ends here (a confirm, Retry, a resume after a reload), so the
    // rule holds even for the paths that checked nothing; the failure keeps the run's work and
    // Retry resumes the pass once the workspace is trusted.
    if (!this.deps.isTrusted()) throw new Error(untrustedMessage('press Retry'));
    const record = this.require(runId);
    const set = await this.loadSpecSet(runId, specVersion);
    const settings = this.deps.settings();
    // After a reload mid-pass the originals on disk are the truth: files may already be edited.
    const originals = (await this.readOriginals(runId, specVersion)) ?? new Map<string, string | undefined>();
    const rememberOriginals = (all: ReadonlyMap<string, string | undefined>): Promise<void> => this.writeOriginals(runId, specVersion, all);
    // Files in originals.json already: a window reload cut this pass short and it starts again
    // in a new conversation. What the earlier one changed is named in each first message, so the
    // Coder reads those files before it edits them rather than redoing its work blind.
    const changedBeforeResume = originals.size > 0 ? computeFileChanges(originals, await this.snapshot(originals.keys())) : undefined;
    const coder = this.recordedClient(runId, 'coder-implement', this.deps.clientFor(record.roles.coder));
    const prose = { summaries: [] as string[], blockers: [] as string[], deviations: [] as string[] };
    const checks: { command: string; result: VerificationResult | undefined }[] = [];
    const refusals: string[] = [];
    // Batch mode: the specs are implemented one after another, without a review in between.
    for (const [index, spec] of set.specs.entries()) {
      const command = spec.verification.command;
      if (!approvedCommands.includes(command)) {
        throw new Error(`The verification command of ${set.files[index]} changed after the HARD STOP ("${command}"); confirm the spec again.`);
      }
      const toolbox = new CoderToolbox({
        workspace: this.trustedWorkspace(),
        verifier: this.timedVerifier(runId),
        guarded: guardedPatterns(spec.guardrails),
        approvedCommand: command,
        timeoutMs: settings.verificationTimeoutMs,
        maxVerificationRuns: settings.maxVerificationRuns,
        originals,
        rememberOriginals,
        signal,
        protectedPaths: { artifactsRoot: this.artifactsRootInWorkspace(), namedInSpec: spec.files.map((file) => file.path) },
      });
      const label = set.specs.length > 1 ? ` (${index + 1}/${set.specs.length}: ${spec.specId})` : '';
      this.setActivity(runId, { message: `The Coder is implementing the spec${label}…` });
      const loop = await runCoderLoop({
        client: coder,
        system: coderSystemPrompt(record.roles.coder.displayName),
        firstMessage: coderFirstMessage(renderCodeSpec(spec), changedBeforeResume),
        toolbox,
        thinking: record.roles.coder.thinking,
        maxTurns: settings.maxCoderTurns,
        maxOutputTokens: settings.maxOutputTokens,
        signal,
        onText: (text) => this.emit({ type: 'stream', runId, text }),
        onTool: (name, input) => this.setActivity(runId, { message: `Coder${label}: ${name}${typeof input.path === 'string' ? ` ${input.path}` : ''}` }),
      });
      // The report's facts need a verification of the final tree: run it again if the Coder
      // changed files after its last run, or never ran it.
      if (toolbox.changedSinceLastVerification(await this.snapshot(originals.keys()))) {
        this.setActivity(runId, { message: `Running the verification: ${command}` });
        await toolbox.runVerification();
      }
      checks.push({ command, result: toolbox.verificationRuns.at(-1) });
      refusals.push(...toolbox.refusals);
      const report = toolbox.report;
      prose.summaries.push(report?.summary ?? (loop.lastText.trim().slice(0, 2000) || `The Coder ended ${spec.specId} without submitting a report.`));
      prose.blockers.push(...(report?.blockers ?? []));
      prose.deviations.push(...(report?.deviations ?? []));
      if (loop.ended === 'budget') prose.deviations.push(`The Coder used its whole budget of ${settings.maxCoderTurns} turns on ${spec.specId} without finishing.`);
    }
    const changes = computeFileChanges(originals, await this.snapshot(originals.keys()));
    const reportVersion = (record.reports.at(-1)?.version ?? 0) + 1;
    const markdown = renderCodeReport({
      specId: set.specs.map((spec) => spec.specId).join(', '),
      coder: record.roles.coder.displayName,
      completed: this.now(),
      spec: set.files.map((file) => `[${file}](${versionDir(specVersion)}/${file})`).join(', '),
      summary: prose.summaries.join('\n\n'),
      filesChanged: changes,
      ...reportChecks(checks),
      blockers: prose.blockers,
      deviations: [
        ...prose.deviations,
        ...unlistedChanges(changes, set.specs.flatMap((spec) => spec.files.map((file) => file.path))),
        ...refusals.map((refusal) => `Refused: ${refusal}.`),
      ],
    });
    await this.deps.store.writeArtifact(runId, `${versionDir(specVersion)}/${REPORT_FILE}`, markdown);
    await this.deps.store.writeArtifact(runId, REPORT_FILE, markdown);
    await this.dispatch(runId, { type: 'report-written', reportVersion }, async (next) => ({
      ...next,
      reports: [...next.reports, { version: reportVersion, createdAt: this.now(), specVersion }],
    }));
  }

  private async snapshot(files: Iterable<string>): Promise<Map<string, string | undefined>> {
    const result = new Map<string, string | undefined>();
    for (const file of files) result.set(file, await this.deps.workspace.read(file));
    return result;
  }

  // ---- Phase 5: the Architect reviews -------------------------------------------------------

  private async review(runId: string, reportVersion: number, signal: AbortSignal): Promise<void> {
    const record = this.require(runId);
    const report = record.reports.find((entry) => entry.version === reportVersion);
    if (!report) throw new Error(`Report version ${reportVersion} is not recorded.`);
    const specMarkdown = (await this.loadSpecSet(runId, report.specVersion)).markdown;
    const reportMarkdown = (await this.deps.store.readArtifact(runId, `${versionDir(report.specVersion)}/${REPORT_FILE}`)) ?? '';
    const originals = (await this.readOriginals(runId, report.specVersion)) ?? new Map<string, string | undefined>();
    const now = await this.snapshot(originals.keys());
    const diffs: string[] = [];
    for (const [file, before] of originals) {
      const after = now.get(file) ?? '';
      if ((before ?? '') !== after) diffs.push(createTwoFilesPatch(`a/${file}`, `b/${file}`, before ?? '', after, '', '', { context: 3 }));
    }
    const architect = this.recordedClient(runId, 'architect-review', this.deps.clientFor(record.roles.architect));
    const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: reviewMessage(specMarkdown, reportMarkdown, diffs.join('\n')) }] }];
    const request = (): ModelRequest => ({
      purpose: 'review',
      system: reviewSystemPrompt(record.roles.architect.displayName),
      messages,
      jsonSchema: verdictJsonSchema,
      // The spec and report are the stable prefix a repair request sends again.
      cacheablePrefix: 1,
      thinking: record.roles.architect.thinking,
      maxOutputTokens: this.deps.settings().maxOutputTokens,
    });
    let answer = await this.ask(runId, architect, request(), signal);
    let verdict = parseVerdictAnswer(answer);
    let revised = verdict.ok && verdict.value.revisedSpec ? parseSpecAnswer(verdict.value.revisedSpec) : undefined;
    const problem = !verdict.ok ? verdict.error : revised && !revised.ok ? `the revised spec is malformed:\n${revised.error}` : undefined;
    if (problem) {
      messages.push({ role: 'assistant', content: [{ type: 'text', text: answer }] });
      messages.push({ role: 'user', content: [{ type: 'text', text: reviewRepairMessage(problem) }] });
      answer = await this.ask(runId, architect, request(), signal);
      verdict = parseVerdictAnswer(answer);
      revised = verdict.ok && verdict.value.revisedSpec ? parseSpecAnswer(verdict.value.revisedSpec) : undefined;
    }
    if (!verdict.ok) throw new Error(`The Architect's review could not be read after one repair request: ${verdict.error}`);
    if (revised && !revised.ok) throw new Error(`The Architect's revised spec is malformed:\n${revised.error}`);
    let revisedSpecVersion: number | undefined;
    let revisedFiles: string[] = [];
    if (revised?.ok && verdict.value.outcome === 'revisions-needed') {
      revisedSpecVersion = (record.specs.at(-1)?.version ?? 0) + 1;
      revisedFiles = await this.saveSpecSet(runId, revisedSpecVersion, revised.specs);
    }
    const value = verdict.value;
    const revisedSpecs = revised?.ok ? revised.specs : [];
    await this.dispatch(
      runId,
      {
        type: 'verdict-ready',
        verdict: {
          outcome: value.outcome,
          reasons: value.reasons,
          blockerAnswers: value.blockerAnswers,
          ...(revisedSpecVersion !== undefined ? { revisedSpecVersion } : {}),
        },
      },
      async (next) =>
        revisedSpecVersion === undefined ? next : { ...next, specs: [...next.specs, specEntry(revisedSpecVersion, this.now(), revisedSpecs, revisedFiles)] },
    );
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** One streamed model call (a recordedClient's): text is forwarded to the panel as it arrives. */
  private async ask(runId: string, client: ModelClient, request: ModelRequest, signal: AbortSignal, stream = true): Promise<string> {
    let text = '';
    for await (const event of client.stream(request, signal)) {
      if (event.type === 'restart') {
        // A cut answer asked again: what streamed so far is void, in the panel too.
        text = '';
        if (stream) this.emit({ type: 'stream', runId, text: '', reset: true });
        continue;
      }
      if (event.type !== 'text') continue;
      text += event.text;
      if (stream) this.emit({ type: 'stream', runId, text: event.text });
    }
    return text;
  }

  /**
   * The client as a phase uses it: each answer becomes a call in run.json (the model that really
   * answered, its tokens and cost, the time spent waiting on it, how it ended), its tokens count
   * toward the phase, and its waiting time toward the phase's model time.
   */
  private recordedClient(runId: string, phase: string, client: ModelClient): ModelClient {
    const now = (): string => this.now();
    const record = (call: FinishedCall): void => this.recordCall(runId, call);
    return {
      // Read when asked: after a fall-over (withFallback) the role's client answers as its fallback.
      get info() {
        return client.info;
      },
      async *stream(request, signal) {
        const started = { at: now(), phase, purpose: request.purpose };
        let usage = zeroUsage();
        let waitedMs = 0;
        let failure: unknown;
        try {
          const iterator = client.stream(request, signal)[Symbol.asyncIterator]();
          for (;;) {
            const waitFrom = performance.now();
            const next = await iterator.next().finally(() => {
              waitedMs += performance.now() - waitFrom;
            });
            if (next.done) return;
            if (next.value.type === 'usage') usage = addUsage(usage, next.value.usage);
            yield next.value;
          }
        } catch (error) {
          failure = error;
          throw error;
        } finally {
          // Read after the answer: the model that gave it, not the one first asked.
          record({ ...started, answeredBy: client.info, usage, waitedMs, failure: failure === undefined ? undefined : { error: failure, aborted: signal.aborted } });
        }
      },
    };
  }

  /** The workspace as the Coder writes it: each write is refused once the workspace is not trusted. */
  private trustedWorkspace(): WorkspaceFiles {
    const workspace = this.deps.workspace;
    const isTrusted = this.deps.isTrusted;
    return {
      root: workspace.root,
      read: (file) => workspace.read(file),
      list: (folder) => workspace.list(folder),
      resolvedPath: (file) => workspace.resolvedPath(file),
      writeAll: (changes) => (isTrusted() ? workspace.writeAll(changes) : Promise.reject(new Error(untrustedMessage('press Retry')))),
    };
  }

  /** The verification as the Coder runs it: timed, and never run in an untrusted workspace. */
  private timedVerifier(runId: string): VerificationRunner {
    return {
      run: async (request) => {
        if (!this.deps.isTrusted()) return { exitCode: undefined, output: '', timedOut: false, notRun: 'the workspace is not trusted (Restricted Mode)', durationMs: 0 };
        const started = performance.now();
        try {
          return await this.deps.verifier.run(request);
        } finally {
          const timer = this.timers.get(runId);
          if (timer) timer.verificationMs += performance.now() - started;
        }
      },
    };
  }

  private closeTimer(runId: string): RunRecord['timings'][number] | undefined {
    const timer = this.timers.get(runId);
    this.timers.delete(runId);
    if (!timer) return undefined;
    const round = (value: number): number => Math.round(value * 100) / 100;
    return { phase: timer.phase, at: this.now(), wallMs: round(performance.now() - timer.started), modelMs: round(timer.modelMs), verificationMs: round(timer.verificationMs) };
  }

  private recordCall(runId: string, call: FinishedCall): void {
    const timer = this.timers.get(runId);
    if (timer) timer.modelMs += call.waitedMs;
    const record = this.records.get(runId);
    if (!record) return;
    const { provider, modelId, displayName } = call.answeredBy;
    const price = this.deps.prices()[modelId];
    const entry: ModelCall = {
      at: call.at,
      phase: call.phase,
      purpose: call.purpose,
      provider,
      modelId,
      displayName,
      usage: call.usage,
      durationMs: Math.round(call.waitedMs * 100) / 100,
      ...outcomeOf(call.failure),
      ...(price ? { costUsd: costOf(provider, call.usage, price) } : {}),
    };
    const phaseUsage = addUsage(record.usage[call.phase] ?? zeroUsage(), call.usage);
    this.records.set(runId, { ...record, usage: { ...record.usage, [call.phase]: phaseUsage }, calls: [...record.calls, entry] });
    // Saved now rather than with the next transition, which can be 30 Coder turns away: a window
    // reload in between would lose every call and token of them.
    if (this.lost.has(runId)) return;
    this.unsavedCalls.add(runId);
    if (this.closing) return;
    void this.enqueue(runId, () => (this.closing ? Promise.resolve() : this.saveCalls(runId))).catch((error: unknown) => {
      this.emit({ type: 'notice', runId, level: 'warning', message: `A model call could not be saved to run.json: ${messageOf(error)}` });
    });
  }

  private setActivity(runId: string, patch: Partial<RunActivity>): void {
    this.activity.set(runId, { ...this.activityOf(runId), ...patch });
    this.emit({ type: 'changed', runId });
  }

  private require(runId: string): RunRecord {
    const record = this.records.get(runId);
    if (!record) throw new Error(`Unknown run ${runId}.`);
    return record;
  }

  private emit(update: EngineUpdate): void {
    for (const listener of this.listeners) listener(update);
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private ensureHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      for (const record of this.records.values()) {
        const runId = record.runId;
        if (!isActive(record.state) || this.activityOf(runId).heldElsewhere || this.activityOf(runId).dormant || this.closing) continue;
        // A refresh that fails means another window took the run over (this one stalled past
        // staleMs): this window stops driving it at once.
        void this.deps.lock.refresh(runId).then(
          (held) => {
            if (!held && !this.closing) this.loseRun(runId);
          },
          (error: unknown) => this.emit({ type: 'notice', runId, level: 'warning', message: `The run's lock could not be refreshed: ${messageOf(error)}` }),
        );
      }
    }, Math.max(1000, Math.floor(this.deps.lock.staleMs / 3)));
    this.heartbeat.unref?.();
  }

  /**
   * Another window holds the run now: stop its work (the phase, an identity check), save nothing
   * more, say so, and take it back only if that window lets go.
   */
  private loseRun(runId: string): void {
    if (this.lost.has(runId) || this.closing) return;
    this.lost.add(runId);
    this.unsavedCalls.delete(runId);
    this.running.get(runId)?.abort(new Error(anotherWindowTookOver));
    this.identityChecks.get(runId)?.abort(new Error(anotherWindowTookOver));
    this.setActivity(runId, { busy: false, confirming: false, message: '', heldElsewhere: `${anotherWindowTookOver} This window stopped driving it and only shows it.` });
    this.watchHeld(runId);
  }
}

/** `record` with the calls and token usage of `latest`, the only fields recordCall changes. */
function withCallsOf(record: RunRecord, latest: RunRecord): RunRecord {
  return { ...record, calls: latest.calls, usage: latest.usage };
}

const anotherWindowTookOver = 'Another window took over this run.';
/** The abort reason of an identity check the user cancelled, told apart from a model that did not answer. */
const cancelledByUser = new Error('cancelled by the user');

/** Why the Coder may not start, and what the user does about it. */
function untrustedMessage(then: string): string {
  return `This workspace is not trusted (Restricted Mode), so the Coder may not edit files or run the verification command. Trust the workspace (Workspaces: Manage Workspace Trust), then ${then}.`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A model call as recordedClient saw it end. */
interface FinishedCall {
  at: string;
  phase: string;
  purpose: string;
  answeredBy: ModelInfo;
  usage: TokenUsage;
  waitedMs: number;
  failure: { error: unknown; aborted: boolean } | undefined;
}

/** How a call ended, in run.json's words: 'ok', or the provider-neutral kind of its error. */
function outcomeOf(failure: FinishedCall['failure']): Pick<ModelCall, 'outcome' | 'error'> {
  if (!failure) return { outcome: 'ok' };
  const outcome = isModelError(failure.error) ? failure.error.kind : failure.aborted ? 'cancelled' : 'error';
  return { outcome, error: (messageOf(failure.error).split('\n')[0] ?? '').slice(0, 300) };
}

interface SpecSet {
  /** code_spec.md, or code_spec_01.md … in batch mode. */
  files: string[];
  specs: CodeSpec[];
  /** Each file's text as saved, in the order of `files`. */
  texts: string[];
  /** All of them, as one text for the Architect's review. */
  markdown: string;
}

/** One spec, or a batch (several specs separated by "---"), each parsed and validated. */
function parseSpecAnswer(answer: string): { ok: true; specs: CodeSpec[] } | { ok: false; error: string } {
  const parts = splitBatch(extractSpecMarkdown(answer));
  const specs: CodeSpec[] = [];
  const errors: string[] = [];
  for (const [index, part] of parts.entries()) {
    const parsed = parseCodeSpec(part);
    const file = parts.length === 1 ? SPEC_FILE : specFileName(index + 1, parts.length);
    if (parsed.ok) specs.push(parsed.value);
    else errors.push(formatArtifactErrors(file, parsed.errors));
  }
  return errors.length ? { ok: false, error: errors.join('\n') } : { ok: true, specs };
}

function specEntry(version: number, createdAt: string, specs: readonly CodeSpec[], files: readonly string[]): RunRecord['specs'][number] {
  return {
    version,
    createdAt,
    specId: specs.map((spec) => spec.specId).join(', '),
    ...(files.length > 1 ? { batchFiles: [...files] } : {}),
  };
}

/** Every distinct verification command of a spec set, in order: what the user approves. */
export function verificationCommands(set: { specs: readonly CodeSpec[] }): string[] {
  return [...new Set(set.specs.map((spec) => spec.verification.command))];
}

/** The report's Test Results and Build Status from every verification of the pass. */
function reportChecks(checks: readonly { command: string; result: VerificationResult | undefined }[]) {
  const last = new Map(checks.map((check) => [check.command, check.result]));
  const entries = [...last.entries()];
  const single = entries.length === 1;
  const tests = entries.map(([command, result]) => testStatus(result, command));
  const builds = entries.map(([, result]) => buildStatus(result));
  const worstBuild = builds.find((build) => build.status === 'ERRORS') ?? builds.find((build) => build.status === 'WARNINGS') ?? builds[0];
  return {
    testOutput: entries
      .map(([command, result]) => `${single ? '' : `$ ${command}\n`}${result ? result.output : '(the verification command was not run)'}`)
      .join('\n\n'),
    testResult: tests.every((test) => test.status === 'PASS')
      ? { status: 'PASS' as const, details: tests.map((test) => test.details).join('; ') }
      : { status: 'FAIL' as const, details: tests.filter((test) => test.status === 'FAIL').map((test) => test.details).join('; ') },
    buildOutput: entries.map(([command, result]) => `$ ${command}\nexit code: ${String(result?.exitCode ?? 'none')}`).join('\n'),
    buildResult: worstBuild ?? { status: 'ERRORS' as const, details: 'no verification was run' },
  };
}

/** What a history line should add to the bare event: who answered, what went wrong, what was decided. */
function historyDetail(event: RunEvent): { detail?: string } {
  switch (event.type) {
    case 'model-confirmed':
      return { detail: event.answeredBy };
    case 'fail':
      return { detail: event.error.split('\n')[0] ?? event.error };
    case 'review-decided':
      return { detail: event.notes ? `${event.outcome} — ${event.notes}` : event.outcome };
    case 'verdict-ready':
      return { detail: `the Architect recommends ${event.verdict.outcome}` };
    default:
      return {};
  }
}
