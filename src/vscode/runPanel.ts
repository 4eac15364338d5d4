// The run panel: one webview panel that shows the current run (spec or report, the HARD STOP,
// the review). It only renders snapshots and forwards intents; decisions live in the engine.
// State survives reloads through the webview's own setState plus a serializer, not
// retainContextWhenHidden.
import * as vscode from 'vscode';
import type { HostMessage } from '../shared/messages.js';
import { DisposableStore } from './disposables.js';
import { runWebviewOptions, WebviewChannel, type RunWebviewHost } from './webviewChannel.js';

export const RUN_PANEL_VIEW_TYPE = 'dualModel.runPanel';

export type RunPanelHost = RunWebviewHost;

/**
 * One panel's life: made by its owner (the run controller, which registers it with its own
 * disposables), closed by the user or by the owner. Nothing global: a second panel is the
 * owner's decision, not this class's.
 */
export class RunPanel implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly channel: WebviewChannel;
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
    return { ...runWebviewOptions(extensionUri), enableFindWidget: true };
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    host: RunPanelHost,
  ) {
    this.channel = this.disposables.add(new WebviewChannel(panel.webview, extensionUri, 'panel', host));
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    this.disposables.add(panel.onDidDispose(() => this.dispose()));
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
    if (!this.closed) this.channel.post(message);
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.panel.dispose();
    this.disposables.dispose();
  }
}
