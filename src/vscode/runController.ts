// Glue between the engine and VS Code: builds the engine for the open folder, turns its updates
// into panel snapshots, the HARD STOP status bar item and context keys, and turns user intents
// (commands, panel buttons) into engine calls. No protocol decisions are made here.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ProviderReadiness, RoleName } from '../core/models/roles.js';
import { resolveRole } from '../core/models/roles.js';
import { workspaceTree } from '../core/prompts/workspaceTree.js';
import type { RoleSnapshot, RunRecord } from '../core/workflow/runRecord.js';
import type { EngineUpdate } from '../core/workflow/runEngine.js';
import { RunEngine } from '../core/workflow/runEngine.js';
import { RunLock } from '../core/workflow/runLock.js';
import type { DocumentSource } from '../core/workflow/runView.js';
import { buildRunView } from '../core/workflow/runView.js';
import { isActive } from '../core/workflow/runState.js';
import { RunStore } from '../core/workflow/runStore.js';
import { NodeArtifactStore } from '../node/nodeArtifactStore.js';
import type { HostMessage, ReviewOutcome, WebviewMessage } from '../shared/messages.js';
import { contextKeys, setContext } from './contextKeys.js';
import { RunPanel } from './runPanel.js';
import { artifactsRoot, catalog, demoMode, engineSettings, prices, roleConfig, verificationSandbox } from './settings.js';
import { describeVerificationSandbox } from '../node/sandbox.js';
import { TaskVerificationRunner } from './verificationTask.js';
import { WorkspaceEditFiles } from './workspaceEditFiles.js';
import type { ModelClientFactory } from './modelClients.js';
import type { RunOrigins } from '../core/ports.js';


export class RunController implements vscode.Disposable {
  private engine: RunEngine;
  private store: RunStore;
  private engineSubscription: vscode.Disposable;
  private readonly statusItem: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private shownRunId: string | undefined;
  private demoHint: string | undefined;
  private unreadable: { runId: string; error: string }[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires whenever a run's state or activity changes (the Runs view listens). */
  readonly onDidChange = this.changed.event;
  private readonly workspace: WorkspaceEditFiles;
  /** Files the user added for the next run's Architect (workspace-relative). */
  private pendingContext: string[] = [];
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
  ) {
    this.workspace = new WorkspaceEditFiles(folder.uri.fsPath);
    ({ engine: this.engine, store: this.store } = this.createEngine());
    this.engineSubscription = this.engine.onUpdate((update) => this.onEngineUpdate(update));
    this.statusItem = vscode.window.createStatusBarItem('dualModel.hardStop', vscode.StatusBarAlignment.Left, 1000);
    this.statusItem.name = 'Dual-Model HARD STOP';
    this.disposables.push(
      this.statusItem,
      this.changed,
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refresh()),
      this.changed.event(() => this.updateWaitingToResume()),
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
      if (update.runId === this.shownRunId) RunPanel.instance?.post({ type: 'stream', runId: update.runId, text: update.text, ...(update.reset ? { reset: true } : {}) });
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

  /** The `/dual-model` command: asks for the request and starts a run. Returns the run id. */
  async start(requestArgument?: string): Promise<string | undefined> {
    const roles = await this.resolveRoles();
    if (!roles) return undefined;
    const request =
      requestArgument ??
      (await vscode.window.showInputBox({
        title: '/dual-model — what should the Architect and the Coder build?',
        prompt: `Architect: ${roles.architect.displayName} · Coder: ${roles.coder.displayName}${roles.architect.isDemo ? ' (offline demo)' : ''}${this.pendingContext.length ? ` · with ${this.pendingContext.length} added file(s): ${this.pendingContext.join(', ')}` : ''}`,
        placeHolder: 'e.g. Add a slugify(text) helper with tests',
        ignoreFocusOut: true,
        validateInput: (value) => (value.trim() ? undefined : 'Describe the change you want.'),
      }));
    if (!request?.trim()) return undefined;
    const contextFiles = this.pendingContext;
    const record = await this.engine.start({ request: request.trim(), roles, ...this.editorContext(), ...(contextFiles.length ? { contextFiles } : {}) });
    this.pendingContext = [];
    this.shownRunId = record.runId;
    this.showPanel();
    // The engine's first update came before this run was the shown one; paint it now, or the
    // panel would show the empty state until the Architect's answer is complete.
    await this.refresh();
    return record.runId;
  }

  private async resolveRoles(): Promise<{ architect: RoleSnapshot; coder: RoleSnapshot } | undefined> {
    const models = catalog();
    const mode = demoMode();
    const result: Partial<Record<RoleName, RoleSnapshot>> = {};
    const notes: string[] = [];
    // Readiness needs the key ring (async); resolveRole stays a pure decision over its answers.
    const readiness = new Map<string, ProviderReadiness>();
    const key = (provider: string, modelId: string) => `${provider}\u0000${modelId}`;
    for (const role of ['architect', 'coder'] as const) {
      const { provider, model } = roleConfig(role);
      if (!readiness.has(key(provider, model))) readiness.set(key(provider, model), await this.models.ready(provider, model));
    }
    for (const role of ['architect', 'coder'] as const) {
      const resolution = resolveRole(role, roleConfig(role), models, (provider, modelId) => readiness.get(key(provider, modelId)) ?? { ready: false, why: 'unknown provider.' }, mode);
      if (resolution.kind === 'error') {
        void vscode.window.showErrorMessage(`Dual-Model: ${resolution.message}`, 'Configure Roles').then((choice) => {
          if (choice) void vscode.commands.executeCommand('dualModel.configureRoles');
        });
        this.output.error(resolution.message);
        return undefined;
      }
      if (resolution.kind === 'demo') notes.push(resolution.why);
      // Asked now, before the run starts, if the workspace names a host the user has not approved.
      const endpoint = resolution.snapshot.isDemo ? undefined : await this.models.endpointHost(resolution.snapshot.provider);
      result[role] = endpoint ? { ...resolution.snapshot, endpoint } : resolution.snapshot;
    }
    this.demoHint = notes.length
      ? `Running with the offline demo models: ${[...new Set(notes)].join(' ')} The demo replays a scripted Architect and Coder on the sample workspace; its file edits and verification are real.`
      : undefined;
    if (this.demoHint) this.output.info(this.demoHint);
    return result.architect && result.coder ? { architect: result.architect, coder: result.coder } : undefined;
  }

  /** What the user is looking at: the selection, and the active editor's workspace file and cursor. */
  private editorContext(): { selection?: { file: string; startLine: number; text: string }; activeFile?: { file: string; line: number } } {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return {};
    const file = vscode.workspace.asRelativePath(editor.document.uri, false);
    const inWorkspace = editor.document.uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(editor.document.uri) !== undefined;
    const text = editor.selection.isEmpty ? '' : editor.document.getText(editor.selection);
    return {
      ...(inWorkspace ? { activeFile: { file, line: editor.selection.active.line + 1 } } : {}),
      ...(text.trim() ? { selection: { file, startLine: editor.selection.start.line + 1, text: text.slice(0, 20_000) } } : {}),
    };
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

  decide(outcome: ReviewOutcome, notes?: string, runId?: string): Promise<void> {
    return this.engine.decide(this.targetRun(runId), outcome, notes);
  }

  cancel(runId?: string): Promise<void> {
    return this.engine.cancel(this.targetRun(runId));
  }

  retry(runId?: string): Promise<void> {
    return this.engine.retry(this.targetRun(runId));
  }

  /**
   * "Resume": a run found on disk that this machine did not start (or any run in Restricted
   * Mode) starts acting only after the user has read what that means and said yes.
   */
  async resumeRun(runId?: string): Promise<boolean> {
    const id = runId ?? (await this.pickDormantRun());
    if (!id) return false;
    const record = this.engine.get(id);
    const dormant = record ? this.engine.activityOf(id).dormant : undefined;
    if (!record || !dormant) return false;
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Dual-Model: trust the workspace first (Workspaces: Manage Workspace Trust); a run cannot resume in Restricted Mode.');
      return false;
    }
    const resume = 'Resume';
    const choice = await vscode.window.showWarningMessage(
      `Resume the run "${record.request.slice(0, 120)}"?`,
      {
        modal: true,
        detail:
          `${dormant}\n\nIts files came from disk, not from you: read its spec before you go on. Resuming lets it call ${record.roles.architect.displayName} and ${record.roles.coder.displayName} ` +
          `(${record.state.phase}); the Coder still edits files and runs a command only after you confirm its HARD STOP.`,
      },
      resume,
    );
    if (choice !== resume) return false;
    await this.engine.resumeDormant(id);
    this.output.info(`Run ${id} resumed by the user.`);
    return true;
  }

  private async pickDormantRun(): Promise<string | undefined> {
    const dormant = this.engine.runs().filter((run) => this.engine.activityOf(run.runId).dormant);
    if (dormant.length === 0) {
      void vscode.window.showInformationMessage('Dual-Model: no run waits to be resumed.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      dormant.map((run) => ({ label: run.request, description: run.state.phase, detail: run.runId, runId: run.runId })),
      { title: 'Dual-Model: resume which run found on disk?', matchOnDetail: true },
    );
    return picked?.runId;
  }

  /** "Add to the Architect's context": the file goes with the next run's request. */
  addContextFile(uri: vscode.Uri): string {
    const relative = vscode.workspace.asRelativePath(uri, false);
    if (relative === uri.fsPath || relative.startsWith('..')) throw new Error(`${uri.fsPath} is outside the workspace folder.`);
    if (!this.pendingContext.includes(relative)) this.pendingContext.push(relative);
    return relative;
  }

  clearContextFiles(): void {
    this.pendingContext = [];
  }

  get contextFiles(): readonly string[] {
    return this.pendingContext;
  }

  get workspaceRoot(): string {
    return this.folder.uri.fsPath;
  }

  coderPass(runId: string) {
    return this.engine.coderPass(runId);
  }

  /**
   * Puts files back as they were before a Coder pass: one workspace edit, so one Undo takes the
   * revert back (a file open in an editor keeps its own step), and none is written if one has
   * unsaved edits.
   */
  async restore(originals: ReadonlyMap<string, string | undefined>): Promise<void> {
    const results = await this.workspace.writeAll([...originals].map(([path, text]) => ({ path, text })));
    const refused = results.flatMap((result) => (result.ok ? [] : [result.reason]));
    if (refused.length > 0) throw new Error(`Could not put everything back: ${refused.join('; ')}.`);
  }

  /** Every run this window knows, newest first (the Runs view). */
  listRuns(): RunRecord[] {
    return this.engine.runs();
  }

  unreadableRuns(): { runId: string; error: string }[] {
    return this.unreadable;
  }

  private waitingToResume = false;

  /** Offers "Resume a run found on disk…" in the palette only while one waits. */
  private updateWaitingToResume(): void {
    const waiting = this.engine.runs().some((run) => this.engine.activityOf(run.runId).dormant !== undefined);
    if (waiting === this.waitingToResume) return;
    this.waitingToResume = waiting;
    void setContext(contextKeys.runsWaitingToResume, waiting);
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

  /** For tests and the API: the run's persisted record. */
  run(runId: string): RunRecord | undefined {
    return this.engine.get(runId);
  }

  get currentRunId(): string | undefined {
    return this.shownRunId;
  }

  async onIntent(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return;
      case 'confirmModel':
        return this.confirmModel(message.runId, message.specDigest).catch((error: unknown) => this.output.warn(error instanceof Error ? error.message : String(error)));
      case 'decideReview':
        return this.decide(message.outcome, message.notes, message.runId);
      case 'cancelRun':
        return this.cancel(message.runId);
      case 'retryPhase':
        return this.retry(message.runId);
      case 'resumeRun':
        await this.resumeRun(message.runId);
        return;
      case 'startRun':
        await vscode.commands.executeCommand('dualModel.start');
        return;
      case 'openArtifact':
        return this.openArtifact(message.runId, message.path);
    }
  }

  /** Opens an artifact of the run; an unknown run id or a path outside its folder (a forged message) is refused. */
  private async openArtifact(runId: string, file: string): Promise<void> {
    await vscode.window.showTextDocument(vscode.Uri.file(this.engine.artifactFile(runId, file)), { preview: true, viewColumn: vscode.ViewColumn.One });
  }

  // ---- views --------------------------------------------------------------------------------

  showPanel(): void {
    RunPanel.createOrShow(this.extensionUri, this.panelHost());
  }

  panelHost() {
    return {
      currentSnapshot: () => this.lastSnapshot,
      onIntent: (message: WebviewMessage) => this.onIntent(message),
      log: (line: string) => this.output.warn(line),
    };
  }

  private lastSnapshot: HostMessage = { type: 'snapshot', run: null };

  private async refresh(runId?: string): Promise<void> {
    if (runId && this.shownRunId && runId !== this.shownRunId) return;
    const record = this.shownRunId ? this.engine.get(this.shownRunId) : undefined;
    const hint = this.unreadable.length
      ? `${this.demoHint ?? ''} ${this.unreadable.length} run(s) could not be opened; see the Dual-Model output.`.trim()
      : this.demoHint;
    if (!record) {
      this.lastSnapshot = { type: 'snapshot', run: null, ...(hint ? { demoHint: hint } : {}) };
    } else {
      const { documents, protectedPaths } = await this.artifactsOf(record);
      const approval = this.engine.pendingApproval(record.runId);
      const built = buildRunView(record, this.engine.activityOf(record.runId), documents, vscode.workspace.isTrusted, approval?.commands.join('\n'), prices(), protectedPaths);
      // The panel's confirm names the spec set it showed, so a later edit cannot ride on it.
      // And says how the command it approves will run (the setting and the machine decide).
      const sandbox = built.hardStop?.verificationCommand !== undefined ? await describeVerificationSandbox(verificationSandbox()) : undefined;
      const view = built.hardStop && approval ? { ...built, hardStop: { ...built.hardStop, specDigest: approval.digest, ...(sandbox ? { sandbox } : {}) } } : built;
      this.lastSnapshot = { type: 'snapshot', run: view, ...(hint ? { demoHint: hint } : {}) };
      await this.updateChrome(record);
    }
    RunPanel.instance?.post(this.lastSnapshot);
  }

  /**
   * Artifacts change only with a transition (each adds a history entry) or when the engine adopts
   * a hand-edited spec (a new digest); activity updates and the run.json saves of each model call
   * (a new revision every Coder turn) reuse them.
   */
  private artifactCache: { runId: string; transitions: number; specDigest: string | undefined; documents: DocumentSource[]; protectedPaths: string[] | undefined } | undefined;

  private async artifactsOf(record: RunRecord): Promise<{ documents: DocumentSource[]; protectedPaths: string[] | undefined }> {
    const cached = this.artifactCache;
    const specDigest = this.engine.pendingApproval(record.runId)?.digest;
    if (cached?.runId === record.runId && cached.transitions === record.history.length && cached.specDigest === specDigest) return cached;
    const documents = await this.documents(record);
    // A hand-edited spec that no longer parses names no path; confirming then says why.
    const protectedPaths = await this.engine.pendingProtectedPaths(record.runId).catch(() => undefined);
    this.artifactCache = { runId: record.runId, transitions: record.history.length, specDigest, documents, protectedPaths };
    return this.artifactCache;
  }

  private async documents(record: RunRecord): Promise<DocumentSource[]> {
    const documents: DocumentSource[] = [];
    for (const spec of record.specs) {
      const files = spec.batchFiles ?? ['code_spec.md'];
      for (const [index, name] of files.entries()) {
        const file = `versions/v${spec.version}/${name}`;
        const markdown = await this.store.readArtifact(record.runId, file);
        const label = files.length > 1 ? `Code Spec v${spec.version} · ${String(index + 1).padStart(2, '0')}` : `Code Spec v${spec.version}`;
        if (markdown !== undefined) documents.push({ kind: 'spec', label, path: file, markdown, proposed: isProposed(record, spec.version) });
      }
      const report = record.reports.find((entry) => entry.specVersion === spec.version);
      if (report) {
        const reportFile = `versions/v${spec.version}/code_report.md`;
        const text = await this.store.readArtifact(record.runId, reportFile);
        if (text !== undefined) documents.push({ kind: 'report', label: `Code Report v${report.version}`, path: reportFile, markdown: text });
      }
    }
    return documents;
  }

  private async updateChrome(record: RunRecord): Promise<void> {
    const state = record.state;
    const waiting = state.phase === 'hard-stop-to-coder' || state.phase === 'hard-stop-to-architect';
    await Promise.all([
      setContext(contextKeys.hardStopWaiting, waiting),
      setContext(contextKeys.awaitingReview, state.phase === 'architect-review' && state.verdict !== undefined),
      setContext(contextKeys.runActive, isActive(state)),
      setContext(contextKeys.runFailed, state.phase === 'failed'),
    ]);
    if (waiting) {
      const next = state.phase === 'hard-stop-to-coder' ? `Coder — ${record.roles.coder.displayName}` : `Architect — ${record.roles.architect.displayName}`;
      this.statusItem.text = `$(debug-pause) HARD STOP: Model Confirmed → ${state.phase === 'hard-stop-to-coder' ? 'Coder' : 'Architect'}`;
      this.statusItem.tooltip = `🛑 HARD STOP. Next: ${next}. Click to confirm the model and continue.`;
      this.statusItem.command = 'dualModel.confirmModel';
      this.statusItem.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      this.statusItem.show();
      this.notifyOnce(record, `🛑 HARD STOP: Switch to ${state.phase === 'hard-stop-to-coder' ? 'Coder' : 'Architect'} Model. Next: ${next}.`);
    } else if (state.phase === 'architect-review' && state.verdict) {
      this.statusItem.text = '$(checklist) Dual-Model: review decision';
      this.statusItem.tooltip = 'The Architect recommends an outcome; open the panel to decide.';
      this.statusItem.command = 'dualModel.showPanel';
      this.statusItem.backgroundColor = undefined;
      this.statusItem.show();
    } else {
      this.statusItem.hide();
      if (state.phase === 'failed') this.notifyOnce(record, `Dual-Model: the run failed — ${state.error.split('\n')[0] ?? ''}`);
    }
  }

  /** Lets go of this window's runs (deactivate awaits it), so a reloaded window resumes at once. */
  shutdown(): Promise<void> {
    return this.engine.dispose();
  }

  private notified = '';

  /**
   * A HARD STOP or a failure is worth a notification only when the panel is not in view, and only
   * once per phase entry (the status bar item stays for as long as it waits).
   */
  private notifyOnce(record: RunRecord, message: string): void {
    const key = `${record.runId}:${record.history.length}`;
    if (this.notified === key || RunPanel.instance?.panel.visible) return;
    this.notified = key;
    const waiting = record.state.phase === 'hard-stop-to-coder' || record.state.phase === 'hard-stop-to-architect';
    const show = waiting ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
    void show(message, 'Show Run').then((choice) => {
      if (choice) void this.openRun(record.runId);
    });
  }

  dispose(): void {
    this.engineSubscription.dispose();
    void this.engine.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

/** A spec version nobody implemented and the run is not about to: the Architect's proposal only. */
function isProposed(record: RunRecord, version: number): boolean {
  if (record.reports.some((report) => report.specVersion === version)) return false;
  const state = record.state;
  const current = state.phase === 'hard-stop-to-coder' || state.phase === 'coder-implement' ? state.specVersion : undefined;
  const resumable = state.phase === 'failed' && (state.resumeFrom.phase === 'hard-stop-to-coder' || state.resumeFrom.phase === 'coder-implement') ? state.resumeFrom.specVersion : undefined;
  return version !== current && version !== resumable;
}
