// Where the editor-area run panel lives while the window has one: made on demand, replaced by the
// one VS Code restores after a reload, forgotten when the user closes it. It keeps the last
// snapshot the controller published, so a panel that opens (or reloads) shows it at once.
import type * as vscode from 'vscode';
import type { HostMessage, IntentMessage } from '../shared/messages.js';
import { DisposableStore } from './disposables.js';
import { RunPanel } from './runPanel.js';

type Snapshot = Extract<HostMessage, { type: 'snapshot' }>;

export class RunPanelSlot implements vscode.Disposable {
  private panel: RunPanel | undefined;
  private readonly disposables = new DisposableStore();
  private snapshot: Snapshot = { type: 'snapshot', run: null };

  constructor(
    private readonly extensionUri: vscode.Uri,
    /** Settles once the intent's effect is in the published snapshot; rejects with why it failed. */
    private readonly onIntent: (message: IntentMessage) => Promise<void>,
    private readonly log: (line: string) => void,
  ) {}

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** The snapshot shown now (the last one published). */
  get current(): Snapshot {
    return this.snapshot;
  }

  show(): void {
    if (this.panel) this.panel.reveal();
    else this.adopt(RunPanel.create(this.extensionUri, this.host()));
  }

  /** A panel VS Code restored after a reload takes the place of any panel this window has. */
  revive(webviewPanel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.adopt(RunPanel.revive(webviewPanel, this.extensionUri, this.host()));
  }

  publish(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    this.panel?.post(snapshot);
  }

  /** A live chunk of a model's answer, for the run the panel shows. */
  stream(message: Extract<HostMessage, { type: 'stream' }>): void {
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

  private host() {
    return { currentSnapshot: () => this.snapshot, onIntent: this.onIntent, log: this.log };
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
