// The run panel: one webview panel that shows the current run (spec or report, the HARD STOP,
// the review). It only renders snapshots and forwards intents; decisions live in the engine.
// State survives reloads through the webview's own setState plus a serializer, not
// retainContextWhenHidden.
import * as vscode from 'vscode';
import type { HostMessage, IntentMessage } from '../shared/messages.js';
import { answerWebviewMessage } from './messageRouter.js';
import { createNonce, renderWebviewHtml } from './webviewHtml.js';
import { DisposableStore } from './disposables.js';

export const RUN_PANEL_VIEW_TYPE = 'dualModel.runPanel';

export interface RunPanelHost {
  /** The snapshot to show right now (also sent on `ready`). */
  currentSnapshot(): HostMessage;
  /** Settles once the intent's effect is in the current snapshot; rejects with the reason it failed. */
  onIntent(message: IntentMessage): Promise<void>;
  log(line: string): void;
}

/**
 * One panel's life: made by its owner (the run controller, which registers it with its own
 * disposables), closed by the user or by the owner. Nothing global: a second panel is the
 * owner's decision, not this class's.
 */
export class RunPanel implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private ready = false;
  private closed = false;

  static create(extensionUri: vscode.Uri, host: RunPanelHost): RunPanel {
    const panel = vscode.window.createWebviewPanel(RUN_PANEL_VIEW_TYPE, 'Dual-Model Run', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, RunPanel.options(extensionUri));
    return new RunPanel(panel, extensionUri, host);
  }

  /** Re-attaches a panel VS Code restored after a reload (see the serializer in extension.ts). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, host: RunPanelHost): RunPanel {
    panel.webview.options = RunPanel.options(extensionUri);
    return new RunPanel(panel, extensionUri, host);
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')], enableFindWidget: true };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly host: RunPanelHost,
  ) {
    const webview = panel.webview;
    webview.html = renderWebviewHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview', 'panel.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css')).toString(),
    });
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    this.disposables.add(panel.onDidDispose(() => this.dispose()));
    this.disposables.add(webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)));
  }

  get visible(): boolean {
    return !this.closed && this.panel.visible;
  }

  reveal(): void {
    if (!this.closed) this.panel.reveal(undefined, true);
  }

  /** Fires once, when the user closes the panel or its owner disposes it. */
  onDidClose(listener: () => void): vscode.Disposable {
    return this.panel.onDidDispose(listener);
  }

  post(message: HostMessage): void {
    // A closed webview refuses messages; a run's late update must not throw for that.
    if (this.ready && !this.closed) void this.panel.webview.postMessage(message);
  }

  /** Every intent is answered, ok or with its error, which the webview shows by the control clicked. */
  private async receive(raw: unknown): Promise<void> {
    const reply = await answerWebviewMessage(raw, {
      ready: () => {
        this.ready = true;
        this.post(this.host.currentSnapshot());
      },
      intent: (message) => this.host.onIntent(message),
      log: (line) => this.host.log(line),
    });
    if (reply !== undefined) this.post(reply);
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.panel.dispose();
    this.disposables.dispose();
  }
}
