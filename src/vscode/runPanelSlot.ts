// Where the editor-area run panel lives while the window has one: made on demand, replaced by the
// one VS Code restores after a reload, forgotten when the user closes it. A panel that opens (or
// reloads) asks the host for the snapshot shown now, so it shows it at once.
import type * as vscode from 'vscode';
import type { HostMessage } from '../shared/messages.js';
import { DisposableStore } from './disposables.js';
import { RunPanel } from './runPanel.js';
import type { RunWebviewHost } from './webviewChannel.js';

export class RunPanelSlot implements vscode.Disposable {
  private panel: RunPanel | undefined;
  private readonly disposables = new DisposableStore();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: RunWebviewHost,
  ) {}

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  show(): void {
    if (this.panel) this.panel.reveal();
    else this.adopt(RunPanel.create(this.extensionUri, this.host));
  }

  /** A panel VS Code restored after a reload takes the place of any panel this window has. */
  revive(webviewPanel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.adopt(RunPanel.revive(webviewPanel, this.extensionUri, this.host));
  }

  /** A snapshot, or a live chunk of a model's answer for the run shown. */
  post(message: HostMessage): void {
    this.panel?.post(message);
  }

  private adopt(panel: RunPanel): void {
    if (this.disposables.isDisposed) {
      panel.dispose();
      return;
    }
    this.panel = this.disposables.add(panel);
    panel.onDidClose(() => {
      this.disposables.forget(panel);
      if (this.panel === panel) this.panel = undefined;
    });
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
