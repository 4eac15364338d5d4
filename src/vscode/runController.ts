// Glue between the engine and VS Code: builds the engine for the open folder, posts the engine's
// snapshot of the run in view to the panel (runPanelSlot.ts) and the status bar and context keys
// (runChrome.ts), and turns user intents (commands, panel buttons) into engine calls. It reads no
// artifact itself and makes no protocol decision.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { workspaceTree } from '../core/prompts/workspaceTree.js';
import type { RunRecord } from '../core/workflow/runRecord.js';
import type { EngineUpdate } from '../core/workflow/runJournal.js';
import { RunEngine } from '../core/workflow/runEngine.js';
import { RunLock } from '../core/workflow/runLock.js';
import { isActive } from '../core/workflow/runState.js';
import { waitsForUser } from '../core/workflow/transition.js';
import { RunStore } from '../core/workflow/runStore.js';
import { NodeArtifactStore } from '../node/nodeArtifactStore.js';
import { NodeIsolatedCopies } from '../node/isolatedCopies.js';
import type { ReviewOutcome } from '../core/workflow/runState.js';
import type { HostMessage, IntentMessage } from '../shared/messages.js';
import { ContextFiles } from './contextFiles.js';
import { DisposableStore } from './disposables.js';
import { messageOf } from './errorMessage.js';
import { resumeDormantRun } from './dormantRuns.js';
import { RunChrome } from './runChrome.js';
import { editorContext, resolveRoles } from './runRequest.js';
import { chooseRunMode, confirmRunCost, type ModeRequest } from './runModeStart.js';
import { openPassChange } from './passChanges.js';
import { applyCandidate, CANDIDATE_SCHEME, CandidateFilesProvider, openCandidateDiff } from './candidateDiffs.js';
import { performIntent } from './runIntents.js';
import { ReviewView } from './reviewView.js';
import { RunPanelSlot } from './runPanelSlot.js';
import { artifactsRoot, engineSettings, hardStopAutoConfirm, modelRegistry, prices, runModeSettings, spendCaps, verificationSandbox } from './settings.js';
import { swarmModels } from './swarmModels.js';
import { TaskVerificationRunner } from './verificationTask.js';
import type { RunWebviewHost } from './webviewChannel.js';
import { WorkspaceEditFiles } from './workspaceEditFiles.js';
import type { ModelClientFactory } from './modelClients.js';
import type { RunOrigins } from '../core/ports.js';


export class RunController implements vscode.Disposable {
  private engine: RunEngine;
  private store: RunStore;
  private engineSubscription: vscode.Disposable;
  private readonly chrome: RunChrome;
  private readonly disposables = new DisposableStore();
  private readonly panel: RunPanelSlot;
  /** The side-panel review; shows the same snapshot as the panel. */
  private readonly review: ReviewView;
  /** The snapshot both views show now: a view that opens or reloads gets it first. */
  private shown: HostMessage = { type: 'snapshot', run: null };
  /** Paints run one after another, so a slow one never lands after (and over) a newer one. */
  private painting: Promise<void> = Promise.resolve();
  private disposed: Promise<void> | undefined;
  private shownRunId: string | undefined;
  private demoHint: string | undefined;
  private unreadable: { runId: string; error: string }[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires whenever a run's state or activity changes (the Runs view listens). */
  readonly onDidChange = this.changed.event;
  private readonly streamed = new vscode.EventEmitter<Extract<EngineUpdate, { type: 'stream' }>>();
  /**
   * Every chunk of every run's streamed model answer (the chat participant follows its run with
   * it). Not per run: a run's first chunk can come before start() has returned its id.
   */
  readonly onStream = this.streamed.event;
  private readonly workspace: WorkspaceEditFiles;
  private readonly copies: NodeIsolatedCopies;
  /** Files the user added for the next run's Architect. */
  readonly contextFiles = new ContextFiles();
  /** Unique per extension host, so a second window (or a reloaded one) is told apart. */
  private readonly owner = `${vscode.env.sessionId}-${process.pid}`;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly folder: vscode.WorkspaceFolder,
    private readonly output: vscode.LogOutputChannel,
    private readonly models: ModelClientFactory,
    private readonly origins: RunOrigins,
    /** Every API key text the extension holds; only the verification runner sees it, to redact output. */
    private readonly knownSecrets: () => Promise<readonly string[]>,
    /** Where candidates' and specs' isolated copies are made: the extension's storage, outside the workspace. */
    copiesFolder: string,
  ) {
    this.copies = new NodeIsolatedCopies(folder.uri.fsPath, copiesFolder);
    this.workspace = new WorkspaceEditFiles(folder.uri.fsPath);
    ({ engine: this.engine, store: this.store } = this.createEngine());
    this.engineSubscription = this.engine.onUpdate((update) => this.onEngineUpdate(update));
    // Both views show the same snapshot and send their intents the same way.
    const webviewHost: RunWebviewHost = {
      currentSnapshot: () => this.shown,
      onIntent: (message) => this.onIntent(message),
      log: (line) => this.output.warn(line),
    };
    this.panel = this.disposables.add(new RunPanelSlot(extensionUri, webviewHost));
    this.review = this.disposables.add(new ReviewView(extensionUri, webviewHost));
    this.chrome = this.disposables.add(new RunChrome(() => this.panel.visible || this.review.visible, (runId) => void this.openRun(runId)));
    this.disposables.add(this.changed);
    this.disposables.add(this.streamed);
    this.disposables.add(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh()));
    this.disposables.add(vscode.workspace.registerTextDocumentContentProvider(CANDIDATE_SCHEME, new CandidateFilesProvider(() => this.engine)));
    this.disposables.add(this.changed.event(() => this.updateRunsWaiting()));
    this.disposables.add(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('dualModel.artifactsRoot', this.folder)) void this.moveArtifactsRoot();
      }),
    );
  }

  /** The engine for the current artifacts root (dualModel.artifactsRoot). */
  private createEngine(): { engine: RunEngine; store: RunStore } {
    const artifacts = new NodeArtifactStore();
    const store = new RunStore(artifacts, artifactsRoot(this.folder.uri.fsPath));
    const workspace = this.workspace;
    const engine = new RunEngine({
      store,
      lock: new RunLock(artifacts, (runId) => store.runDir(runId), this.owner, { now: () => new Date() }),
      artifacts,
      workspace,
      verifier: new TaskVerificationRunner(this.knownSecrets, verificationSandbox),
      clock: { now: () => new Date() },
      clientFor: (role) => this.models.clientFor(role),
      settings: engineSettings,
      workspaceTree: () => workspaceTree(workspace),
      randomHex: () => randomBytes(4).toString('hex'),
      origins: this.origins,
      prices,
      // Asked at each step: trust can be granted while a run waits, and nothing starts by itself then.
      isTrusted: () => vscode.workspace.isTrusted,
      autoConfirm: hardStopAutoConfirm,
      guardCalls: (runId, client) => this.models.withSpendCaps(runId, client),
      runCapUsd: () => spendCaps().perRunUsd,
      copies: this.copies,
      registry: modelRegistry,
      swarmModels: () => swarmModels(modelRegistry(), this.models, this.output),
    });
    return { engine, store };
  }

  /**
   * A new artifacts root takes effect at once: this window lets go of the runs under the old
   * one (they stay on disk) and picks up whatever runs the new one holds.
   */
  private async moveArtifactsRoot(): Promise<void> {
    const next = artifactsRoot(this.folder.uri.fsPath);
    if (next === this.store.root) return;
    this.engineSubscription.dispose();
    await this.engine.dispose();
    ({ engine: this.engine, store: this.store } = this.createEngine());
    this.engineSubscription = this.engine.onUpdate((update) => this.onEngineUpdate(update));
    this.shownRunId = undefined;
    this.output.info(`Artifacts root is now ${next}.`);
    await this.resume();
    this.changed.fire();
  }

  private onEngineUpdate(update: EngineUpdate): void {
    if (update.type === 'stream') {
      this.streamed.fire(update);
      if (update.runId !== this.shownRunId) return;
      const message = { type: 'stream', runId: update.runId, text: update.text, ...(update.reset ? { reset: true } : {}) } as const;
      this.postToViews(message);
      return;
    }
    if (update.type === 'notice') {
      this.output.info(`[${update.runId}] ${update.message}`);
      return;
    }
    this.changed.fire();
    void this.refresh(update.runId);
  }

  get runStore(): RunStore {
    return this.store;
  }

  /**
   * Called once at activation: pick up runs left by a previous window session. Only runs this
   * machine started resume, and none in Restricted Mode; the others wait for "Resume".
   */
  async resume(): Promise<void> {
    const restricted = vscode.workspace.isTrusted
      ? undefined
      : 'The workspace is not trusted (Restricted Mode), so this run does nothing until you trust the workspace and resume it.';
    const { resumed, dormant, unreadable } = await this.engine.resumeAll(restricted);
    if (!restricted) void this.sweepCopies();
    if (dormant.length > 0) this.output.info(`${dormant.length} run(s) found on disk wait to be resumed by you: ${dormant.join(', ')}.`);
    this.unreadable = unreadable;
    this.changed.fire();
    for (const broken of unreadable) {
      this.output.warn(`Run ${broken.runId} could not be opened: ${broken.error}`);
      void vscode.window.showWarningMessage(`Dual-Model: run ${broken.runId} could not be opened: ${broken.error}`);
    }
    const newestActive = this.engine.runs().find((run) => isActive(run.state));
    if (newestActive) {
      this.shownRunId = newestActive.runId;
      this.output.info(`Resumed ${resumed.length} run(s); showing ${newestActive.runId} in ${newestActive.state.phase}.`);
      this.showPanel();
    }
    await this.refresh();
  }

  /**
   * Removes the isolated copies (and their branches) a crash or a closed window left behind: those
   * of every run that is not under way. Not in Restricted Mode: it runs git on the repository.
   */
  private async sweepCopies(): Promise<void> {
    try {
      const active = new Set(this.engine.runs().filter((run) => isActive(run.state)).map((run) => run.runId));
      const swept = await this.copies.sweep(active);
      if (swept.length > 0) this.output.info(`Removed the copies left by ${swept.length} run(s) that are no longer under way: ${swept.join(', ')}.`);
    } catch (error) {
      this.output.warn(`Could not remove the copies left by earlier runs: ${messageOf(error)}`);
    }
  }

  /**
   * The `/dual-model` command: asks for the mode (started from the palette or the panel, unless
   * dualModel.run.askMode is off) and the request, confirms a fan-out's cost, and starts a run.
   * Given a request (chat, API), the mode is the caller's or the setting's. Returns the run id.
   */
  async start(requestArgument?: string, modeOptions: Omit<ModeRequest, 'ask'> = {}): Promise<string | undefined> {
    const resolved = await resolveRoles(this.models, this.output);
    if (!resolved) return undefined;
    const { roles } = resolved;
    this.demoHint = resolved.demoHint;
    const deps = { models: this.models, output: this.output };
    const chosen = await chooseRunMode({ ...modeOptions, ask: requestArgument === undefined && runModeSettings().askMode }, deps, roles.coder);
    if (!chosen) return undefined;
    const { mode } = chosen;
    const request =
      requestArgument ??
      (await vscode.window.showInputBox({
        title: '/dual-model — what should the Architect and the Coder build?',
        prompt: `Architect: ${roles.architect.displayName} · ${chosen.coders}${roles.architect.isDemo ? ' (offline demo)' : ''}${this.contextFiles.describe()}`,
        placeHolder: 'e.g. Add a slugify(text) helper with tests',
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() ? undefined : 'Describe the change you want.'),
      }));
    if (!request?.trim()) return undefined;
    if (!(await confirmRunCost(mode, request.trim(), deps))) return undefined;
    const contextFiles = [...this.contextFiles.list];
    const record = await this.engine.start({
      request: request.trim(),
      roles,
      ...editorContext(),
      ...(contextFiles.length ? { contextFiles } : {}),
      ...(mode.mode !== 'single' ? { mode } : {}),
    });
    this.contextFiles.clear();
    this.shownRunId = record.runId;
    this.showPanel();
    // The engine's first update came before this run was the shown one; paint it now, or the
    // panel would show the empty state until the Architect's answer is complete.
    await this.refresh();
    return record.runId;
  }

  // ---- intents ------------------------------------------------------------------------------

  private targetRun(runId?: string): string {
    const id = runId ?? this.shownRunId;
    if (!id) throw new Error('No Dual-Model run is open. Start one with "/dual-model".');
    return id;
  }

  /**
   * `specDigest` is the spec set the panel showed; without one (command palette, status bar) the
   * engine binds the confirm to the set it last published for the view. Restricted Mode is the
   * engine's rule too (it holds on every path into the Coder phase).
   */
  async confirmModel(runId?: string, specDigest?: string): Promise<void> {
    await this.engine.confirmModel(this.targetRun(runId), specDigest);
  }

  /** "Ask the Architect about the spec" from the palette: the run in view, at its HARD STOP before the Coder. */
  askAboutSpec(question: string, runId?: string): Promise<string> {
    return this.engine.askAboutSpec(this.targetRun(runId), question);
  }

  reviseSpec(runId?: string): Promise<void> {
    return this.engine.reviseSpecFromDiscussion(this.targetRun(runId));
  }

  decide(outcome: ReviewOutcome, notes?: string, runId?: string): Promise<void> {
    return this.engine.decide(this.targetRun(runId), outcome, notes);
  }

  cancel(runId?: string): Promise<void> {
    return this.engine.cancel(this.targetRun(runId));
  }

  retry(runId?: string): Promise<void> {
    return this.engine.retry(this.targetRun(runId));
  }

  /** At a batch paused on a failed spec: go on with the rest, or stop there. */
  continueBatch(choice: 'go-on' | 'stop', runId?: string): Promise<void> {
    return this.engine.continueBatch(this.targetRun(runId), choice);
  }

  /** "Resume" a run found on disk, once the user has read what that means and said yes (dormantRuns.ts). */
  resumeRun(runId?: string): Promise<boolean> {
    return resumeDormantRun(this.engine, this.output, runId);
  }

  get workspaceRoot(): string {
    return this.folder.uri.fsPath;
  }

  coderPass(runId: string) {
    return this.engine.coderPass(runId);
  }

  /**
   * Puts files back as they were before the run's newest Coder pass: an engine event, so the
   * run's history says so and the next review sees the files as they are. One workspace edit
   * (one Undo takes it back); none is written if one file has unsaved edits.
   */
  revert(runId: string): Promise<{ specVersion: number; files: string[] } | undefined> {
    return this.engine.revertCoderPass(runId);
  }


  /** Every run this window knows, newest first (the Runs view). */
  listRuns(): RunRecord[] {
    return this.engine.runs();
  }

  unreadableRuns(): { runId: string; error: string }[] {
    return this.unreadable;
  }

  /** The review view's badge counts the runs this window waits on the user for; the palette offers "Resume…" while one waits for that. */
  private updateRunsWaiting(): void {
    const runs = this.engine.runs().map((run) => ({ state: run.state, activity: this.engine.activityOf(run.runId) }));
    this.review.setWaiting(runs.filter(({ state, activity }) => waitsForUser(state) && !activity.dormant && !activity.heldElsewhere).length);
    this.chrome.setRunsToResume(runs.some(({ activity }) => activity.dormant !== undefined));
  }

  dormantReason(runId: string): string | undefined {
    return this.engine.activityOf(runId).dormant;
  }

  isBusy(runId: string): boolean {
    return this.engine.activityOf(runId).busy;
  }

  /** Shows a run in the panel: the given one, or one picked from a list. */
  async openRun(runId?: string): Promise<void> {
    let id = runId;
    if (!id) {
      const picked = await vscode.window.showQuickPick(
        this.engine.runs().map((run) => ({ label: run.request, description: run.state.phase, detail: run.runId, runId: run.runId })),
        { title: 'Dual-Model: show which run?', matchOnDetail: true },
      );
      id = picked?.runId;
    }
    if (!id) return;
    if (!this.engine.get(id)) throw new Error(`There is no run ${id} in this workspace.`);
    this.shownRunId = id;
    this.showPanel();
    await this.refresh();
  }

  /** Opens a file of a run's newest Coder pass, as a diff or itself (passChanges.ts checks the message's run id and path). */
  openPassChange(runId: string, file: string, as: 'diff' | 'file'): Promise<void> {
    return openPassChange(this.engine, this.folder.uri, runId, file, as);
  }

  /** "Apply this one" on a competitive run's candidate (candidateDiffs.ts checks the label against the run's view). */
  applyCandidate(runId: string, label: string): Promise<void> {
    return applyCandidate(this.engine, runId, label);
  }

  /** A candidate's changed file against the workspace's (only a file the run's view lists for it). */
  openCandidateDiff(runId: string, label: string, file: string): Promise<void> {
    return openCandidateDiff(this.engine, this.folder.uri, runId, label, file);
  }

  /** Opens an artifact of the run; an unknown run id or a path outside its folder (a forged message) is refused. */
  async openArtifact(runId: string, file: string): Promise<void> {
    await vscode.window.showTextDocument(vscode.Uri.file(this.engine.artifactFile(runId, file)), { preview: true, viewColumn: vscode.ViewColumn.One });
  }

  /** For the API: the engine's snapshot of a run. */
  snapshot(runId: string): ReturnType<RunEngine['snapshot']> {
    return this.engine.snapshot(runId);
  }

  /** For tests and the API: the run's persisted record. */
  run(runId: string): RunRecord | undefined {
    return this.engine.get(runId);
  }

  get currentRunId(): string | undefined {
    return this.shownRunId;
  }

  /**
   * A panel intent: its error goes back to the panel (shown by the button clicked); on success
   * the panel gets a fresh snapshot before the reply, so its buttons never re-enable on a stale view.
   */
  async onIntent(message: IntentMessage): Promise<void> {
    await performIntent(this, message);
    await this.refresh();
  }

  // ---- views --------------------------------------------------------------------------------

  showPanel(): void {
    this.panel.show();
  }

  /** A panel VS Code restored after a reload takes the place of any panel this window has. */
  revivePanel(webviewPanel: vscode.WebviewPanel): void {
    this.panel.revive(webviewPanel);
  }

  /** VS Code made the side-panel review view: it shows the run in view from now on. */
  attachReviewView(webviewView: vscode.WebviewView): void {
    this.review.attach(webviewView);
  }

  /**
   * Paints the run in view from the engine's snapshot of it (an update of another run changes
   * nothing here). Settles once this paint (and every one asked for before it) is posted.
   */
  private refresh(runId?: string): Promise<void> {
    if (runId && this.shownRunId && runId !== this.shownRunId) return Promise.resolve();
    const paint = this.painting.then(() => this.paint());
    this.painting = paint.catch((error: unknown) => this.output.warn(`The run panel could not be painted: ${messageOf(error)}`));
    return paint;
  }

  private async paint(): Promise<void> {
    const snapshot = this.shownRunId ? await this.engine.snapshot(this.shownRunId) : undefined;
    const hint = this.unreadable.length
      ? `${this.demoHint ?? ''} ${this.unreadable.length} run(s) could not be opened; see the Dual-Model output.`.trim()
      : this.demoHint;
    const message = { type: 'snapshot', run: snapshot?.view ?? null, ...(hint ? { demoHint: hint } : {}) } as const;
    this.shown = message;
    this.postToViews(message);
    if (snapshot) await this.chrome.update(snapshot.record);
  }

  private postToViews(message: HostMessage): void {
    this.panel.post(message);
    this.review.post(message);
  }

  /**
   * Closes the panel and the status bar item and lets go of this window's runs, so a reloaded
   * window resumes them at once. deactivate() awaits it; VS Code's later call to dispose (from
   * context.subscriptions) gets the same promise.
   */
  dispose(): Promise<void> {
    this.disposed ??= this.close();
    return this.disposed;
  }

  private async close(): Promise<void> {
    this.engineSubscription.dispose();
    try {
      this.disposables.dispose();
    } finally {
      await this.engine.dispose();
    }
  }
}
