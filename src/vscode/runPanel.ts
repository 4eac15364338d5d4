// The run panel: one webview panel that shows the current run (spec or report, the HARD STOP,
// the review). It only renders snapshots and forwards intents; decisions live in the engine.
// State survives reloads through the webview's own setState plus a serializer, not
// retainContextWhenHidden.
import * as vscode from 'vscode';
import type { HostMessage, WebviewMessage } from '../shared/messages.js';
import { routeWebviewMessage } from './messageRouter.js';
import { createNonce, renderWebviewHtml } from './webviewHtml.js';
import { messageOf } from './errorMessage.js';

export const RUN_PANEL_VIEW_TYPE = 'dualModel.runPanel';

export interface RunPanelHost {
  /** The snapshot to show right now (also sent on `ready`). */
  currentSnapshot(): HostMessage;
  onIntent(message: WebviewMessage): Promise<void>;
  log(line: string): void;
}

export class RunPanel implements vscode.Disposable {
  private static current: RunPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;

  static createOrShow(extensionUri: vscode.Uri, host: RunPanelHost): RunPanel {
    if (RunPanel.current) {
      RunPanel.current.panel.reveal(undefined, true);
      return RunPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(RUN_PANEL_VIEW_TYPE, 'Dual-Model Run', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, RunPanel.options(extensionUri));
    RunPanel.current = new RunPanel(panel, extensionUri, host);
    return RunPanel.current;
  }

  /** Re-attaches a panel VS Code restored after a reload (see the serializer in extension.ts). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, host: RunPanelHost): RunPanel {
    panel.webview.options = RunPanel.options(extensionUri);
    RunPanel.current?.dispose();
    RunPanel.current = new RunPanel(panel, extensionUri, host);
    return RunPanel.current;
  }

  static get instance(): RunPanel | undefined {
    return RunPanel.current;
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')], enableFindWidget: true };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
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
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
    );
  }

  post(message: HostMessage): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const routed = routeWebviewMessage(raw);
    if (!routed.ok) {
      this.host.log(routed.reason);
      return;
    }
    if (routed.message.type === 'ready') {
      this.ready = true;
      this.post(this.host.currentSnapshot());
      return;
    }
    try {
      await this.host.onIntent(routed.message);
    } catch (error) {
      void vscode.window.showErrorMessage(messageOf(error));
    }
  }

  dispose(): void {
    if (RunPanel.current === this) RunPanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}
