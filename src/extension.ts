// activate(): build the object graph and register everything; no logic lives here. The run
// controller (and with it the engine) is created on first use or when runs wait to be resumed,
// so activation stays cheap.
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { RunRecord } from './core/workflow/runRecord.js';
import type { ReviewOutcome } from './core/workflow/runState.js';
import { KeyRing } from './core/keyvault/apiKeys.js';
import { configureRoles } from './vscode/configureRoles.js';
import { registerApiKeyCommands } from './vscode/manageApiKeys.js';
import { registerCoderPassCommands } from './vscode/coderPassCommands.js';
import { ModelClientFactory } from './vscode/modelClients.js';
import { lazyKeyPool } from './vscode/keyPoolService.js';
import { KeyVaultServerHost } from './vscode/keyVaultServer.js';
import { QuotaPlanStore } from './vscode/quotaPlanStore.js';
import { drawnRows, KEYS_VIEW_ID, KeysTreeProvider, type KeysViewRow } from './vscode/keysView.js';
import { confirmFanOut } from './vscode/confirmFanOut.js';
import type { FanOutEstimate } from './core/models/costEstimate.js';
import { registerKeysViewCommands } from './vscode/keysViewCommands.js';
import { planLimits, providerDailyReset } from './core/keyvault/quotaPlans.js';
import { demoLatencyMs, modelRegistry, requestTimeoutMs, spendCaps, watchSettings } from './vscode/settings.js';
import { SpendLedger } from './core/models/spendLedger.js';
import { NodeSpendStore } from './node/nodeSpendStore.js';
import { EndpointConsent } from './vscode/endpointConsent.js';
import { GlobalStateRunOrigins } from './vscode/runOrigins.js';
import { answerWebviewMessage } from './vscode/messageRouter.js';
import type { IntentReply } from './shared/messages.js';
import type { RunView } from './core/workflow/runViewSchema.js';
import { REVIEW_VIEW_ID } from './vscode/reviewView.js';
import { RUN_PANEL_VIEW_TYPE } from './vscode/runPanel.js';
import { RunController } from './vscode/runController.js';
import { RunsTreeProvider } from './vscode/runsTree.js';
import { registerQuestions } from './vscode/questions/registerQuestions.js';
import { messageOf } from './vscode/errorMessage.js';
import { registerChatParticipant } from './vscode/chat/chatParticipant.js';

/** What activate() returns: used by the integration tests and the benchmark, never holds secrets. */
export interface DualModelApi {
  readonly activationMs: number;
  /** The Keys view as drawn (masked keys only), for tests and automation. */
  keysView(): Promise<KeysViewRow[]>;
  /** The modal confirm before a fan-out (issue 11's modes): whether the user agreed. */
  confirmFanOut(estimate: FanOutEstimate): Promise<boolean>;
  startRun(request: string): Promise<string | undefined>;
  confirmModel(runId?: string): Promise<void>;
  decide(outcome: ReviewOutcome, notes?: string, runId?: string): Promise<void>;
  cancel(runId?: string): Promise<void>;
  getRun(runId: string): RunRecord | undefined;
  /** The run as the panel and the review view show it now (the engine's snapshot). */
  runView(runId: string): Promise<RunView | undefined>;
  /** Why a run found on disk waits for the user to resume it; undefined when it does not wait. */
  dormantReason(runId: string): string | undefined;
  /** Settles once the runs on disk were picked up after activation (resumed or left waiting). */
  readonly runsLoaded: Promise<void>;
  /** Settles once the key vault server started with the window, or was not asked to. */
  readonly keyVaultStartup: Promise<void>;
  currentRunId(): string | undefined;
  artifactsDir(runId: string): string | undefined;
  /** Where this extension's log files are written (the Dual-Model output channel among them). */
  readonly logFolder: string;
  /**
   * Answers a message exactly as the run panel and the review view answer their webviews (the
   * same schema check, the same intents, the same reply): for tests and automation.
   */
  answerWebviewMessage(raw: unknown): Promise<IntentReply | undefined>;
}

/** The window's controller, kept for deactivate() to release its runs. */
let activeController: RunController | undefined;
/** Kept for deactivate() to close the port before the window goes. */
let activeKeyVaultServer: KeyVaultServerHost | undefined;

export function activate(context: vscode.ExtensionContext): DualModelApi {
  const started = performance.now();
  const output = vscode.window.createOutputChannel('Dual-Model', { log: true });
  // First, so the settings cache is dropped before any other listener of a change reads it.
  context.subscriptions.push(output, watchSettings((problem) => output.warn(problem)));

  const keyRing = new KeyRing(context.secrets, process.env, () => new Date(), () => randomUUID());
  const endpoints = new EndpointConsent(context.globalState, output);
  const plans = new QuotaPlanStore(context.globalState);
  const pool = lazyKeyPool(
    context,
    keyRing,
    (provider, model, group) => planLimits(modelRegistry(), plans.planOf, provider, model, group),
    (provider) => providerDailyReset(modelRegistry(), provider),
  );
  context.subscriptions.push(plans);
  // One record per machine: every window's runs count toward the same day.
  const spend = new SpendLedger(new NodeSpendStore(path.join(context.globalStorageUri.fsPath, 'spend.json'), (line) => output.warn(line)), spendCaps, { now: () => new Date() });
  const models = new ModelClientFactory({
    extensionPath: context.extensionUri.fsPath,
    keys: keyRing,
    pool,
    baseUrl: (provider) => endpoints.baseUrl(provider),
    requestTimeoutMs,
    demoLatencyMs,
    spend,
    registry: modelRegistry,
    notify: (message, level) => {
      output[level === 'warning' ? 'warn' : 'info'](message);
      if (level === 'warning') void vscode.window.showWarningMessage(`Dual-Model: ${message}`);
      else vscode.window.setStatusBarMessage(`$(sync) ${message}`, 8_000);
    },
  });
  const keyFlow = {
    ring: keyRing,
    plans,
    registry: modelRegistry,
    onChanged: () => {
      output.info('API keys changed.');
      keysTree.refresh();
    },
  };
  const keysTree = new KeysTreeProvider({ ring: keyRing, pool, planOf: plans.planOf, registry: modelRegistry, spend, caps: spendCaps });
  const keysView = vscode.window.createTreeView(KEYS_VIEW_ID, { treeDataProvider: keysTree, showCollapseAll: false });
  keysTree.attach(keysView);
  context.subscriptions.push(keysTree, keysView, plans.onDidChange(() => keysTree.refresh()));
  const keyVaultServer = new KeyVaultServerHost({ context, keyRing, pool, models, output, ledger: spend });
  activeKeyVaultServer = keyVaultServer;
  context.subscriptions.push(keyVaultServer, ...keyVaultServer.commands());
  const keyVaultStartup = keyVaultServer.startIfAsked();
  let controller: RunController | undefined;
  // The Runs view lists nothing until the controller has loaded the runs (see resume below).
  const runsTree = new RunsTreeProvider(() => controller);
  context.subscriptions.push(runsTree, vscode.window.registerTreeDataProvider('dualModel.runs', runsTree));
  const ensureController = (): RunController => {
    if (controller) return controller;
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('Dual-Model works on a workspace folder: open a folder first (File > Open Folder).');
    controller = new RunController(context.extensionUri, folder, output, models, new GlobalStateRunOrigins(context.globalState), () => keyRing.knownSecrets(), path.join(context.globalStorageUri.fsPath, 'copies'));
    activeController = controller;
    context.subscriptions.push(controller, controller.onDidChange(() => runsTree.refresh()));
    return controller;
  };
  // Command arguments come from our own buttons (chat, tree); anything else is ignored.
  const stringArg = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const guarded =
    <A extends unknown[], R>(action: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R | undefined> => {
      try {
        return await action(...args);
      } catch (error) {
        const message = messageOf(error);
        output.error(message);
        void vscode.window.showErrorMessage(`Dual-Model: ${message}`);
        return undefined;
      }
    };

  context.subscriptions.push(
    vscode.commands.registerCommand('dualModel.start', guarded((request?: unknown) => ensureController().start(typeof request === 'string' ? request : undefined))),
    vscode.commands.registerCommand('dualModel.confirmModel', guarded((runId?: unknown, specDigest?: unknown) => ensureController().confirmModel(stringArg(runId), stringArg(specDigest)))),
    vscode.commands.registerCommand('dualModel.askAboutSpec', guarded(async (question?: unknown) => {
      const text =
        typeof question === 'string'
          ? question
          : await vscode.window.showInputBox({ title: 'Ask the Architect about the spec', prompt: 'The answer appears in the run panel, under the HARD STOP.', ignoreFocusOut: true, validateInput: (value) => (value.trim() ? undefined : 'Write a question.') });
      if (!text?.trim()) return undefined;
      const c = ensureController();
      c.showPanel();
      return c.askAboutSpec(text);
    })),
    vscode.commands.registerCommand('dualModel.reviseSpec', guarded(() => ensureController().reviseSpec())),
    vscode.commands.registerCommand('dualModel.approve', guarded((runId?: unknown) => ensureController().decide('approved', undefined, stringArg(runId)))),
    vscode.commands.registerCommand('dualModel.requestRevisions', guarded(async (runId?: unknown) => {
      const notes = await vscode.window.showInputBox({ title: 'Revisions needed', prompt: 'What should the Architect change? (optional)' });
      if (notes === undefined) return;
      await ensureController().decide('revisions-needed', notes, stringArg(runId));
    })),
    vscode.commands.registerCommand('dualModel.redesign', guarded(async (runId?: unknown) => {
      const notes = await vscode.window.showInputBox({ title: 'Fundamental redesign', prompt: 'Why must the approach change?' });
      if (notes === undefined) return;
      await ensureController().decide('redesign', notes, stringArg(runId));
    })),
    vscode.commands.registerCommand('dualModel.cancelRun', guarded(() => ensureController().cancel())),
    vscode.commands.registerCommand('dualModel.retryPhase', guarded((runId?: unknown) => ensureController().retry(stringArg(runId)))),
    vscode.commands.registerCommand('dualModel.batchGoOn', guarded(() => ensureController().continueBatch('go-on'))),
    vscode.commands.registerCommand('dualModel.batchStop', guarded(() => ensureController().continueBatch('stop'))),
    vscode.commands.registerCommand('dualModel.resumeRun', guarded((runId?: unknown) => ensureController().resumeRun(typeof runId === 'string' ? runId : undefined))),
    vscode.commands.registerCommand('dualModel.showPanel', guarded(async () => ensureController().showPanel())),
    vscode.commands.registerCommand('dualModel.configureRoles', guarded(configureRoles)),
    vscode.commands.registerCommand('dualModel.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#dualModel.gettingStarted`, false),
    ),
    vscode.commands.registerCommand('dualModel.addContextFile', guarded(async (uri?: unknown) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!target) throw new Error('Choose a file in the Explorer or open one in an editor first.');
      const c = ensureController();
      const added = c.contextFiles.add(target);
      vscode.window.setStatusBarMessage(`$(add) Dual-Model: ${added} goes to the Architect with the next run (${c.contextFiles.list.length} file(s)).`, 6_000);
      return [...c.contextFiles.list];
    })),
    vscode.commands.registerCommand('dualModel.clearContextFiles', guarded(async () => ensureController().contextFiles.clear())),
    ...registerApiKeyCommands(keyFlow),
    ...registerKeysViewCommands({ ...keyFlow, pool, view: keysTree }),
    ...registerCoderPassCommands(() => controller),
    ...registerQuestions({ models, output, openRun: () => controller, storage: context.workspaceState }),
    vscode.commands.registerCommand('dualModel.openRun', guarded((runId?: unknown) => ensureController().openRun(typeof runId === 'string' ? runId : undefined))),
    vscode.window.registerWebviewViewProvider(REVIEW_VIEW_ID, {
      resolveWebviewView(view) {
        try {
          ensureController().attachReviewView(view);
        } catch (error) {
          // No folder open: the view says what to do instead of staying blank.
          view.webview.html = `<!DOCTYPE html><html><body><p>${messageOf(error).replace(/[<>&]/g, '')}</p></body></html>`;
        }
      },
    }),
    registerChatParticipant(context.extensionUri, ensureController, output),
    vscode.window.registerWebviewPanelSerializer(RUN_PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel) {
        try {
          ensureController().revivePanel(panel);
        } catch {
          panel.dispose();
        }
      },
    }),
  );

  // Runs left by the previous window session resume in the phase they were in. Deferred so
  // activation returns at once; the engine loads only when there is something to resume.
  const runsLoaded = new Promise<void>((resolve) => {
    if (!vscode.workspace.workspaceFolders?.length) return resolve();
    setTimeout(() => {
      void guarded(() => ensureController().resume())().finally(resolve);
    }, 0);
  });

  const activationMs = performance.now() - started;
  output.info(`Activated in ${activationMs.toFixed(2)} ms.`);
  return {
    activationMs,
    keysView: () => drawnRows(keysTree),
    confirmFanOut: (estimate) => confirmFanOut(estimate, { spend, caps: spendCaps }),
    startRun: async (request) => ensureController().start(request),
    confirmModel: (runId) => ensureController().confirmModel(runId),
    decide: (outcome, notes, runId) => ensureController().decide(outcome, notes, runId),
    cancel: (runId) => ensureController().cancel(runId),
    getRun: (runId) => ensureController().run(runId),
    runView: async (runId) => (await ensureController().snapshot(runId))?.view,
    dormantReason: (runId) => ensureController().dormantReason(runId),
    runsLoaded,
    keyVaultStartup,
    currentRunId: () => controller?.currentRunId,
    artifactsDir: (runId) => controller?.runStore.runDir(runId),
    logFolder: context.logUri.fsPath,
    answerWebviewMessage: (raw) =>
      answerWebviewMessage(raw, { ready: () => undefined, intent: (message) => ensureController().onIntent(message), log: (line) => output.warn(line) }),
  };
}

/** VS Code awaits this on reload and close: release the runs before the disposables go. */
export async function deactivate(): Promise<void> {
  await Promise.all([activeController?.dispose(), activeKeyVaultServer?.stop()]);
  activeController = undefined;
  activeKeyVaultServer = undefined;
}
