// What every run webview (the editor panel, the side-panel review) does with its webview: loads
// its bundle under a strict CSP, answers each intent (ok, or the error, shown where the user
// acted), and posts host messages once the page said it listens. The views differ only in their
// bundle and in where they live.
import * as vscode from 'vscode';
import type { HostMessage, IntentMessage } from '../shared/messages.js';
import { answerWebviewMessage } from './messageRouter.js';
import { createNonce, renderWebviewHtml } from './webviewHtml.js';

export interface RunWebviewHost {
  /** The snapshot to show right now (also sent on `ready`). */
  currentSnapshot(): HostMessage;
  /** Settles once the intent's effect is in the current snapshot; rejects with the reason it failed. */
  onIntent(message: IntentMessage): Promise<void>;
  log(line: string): void;
}

/** The bundles in media/webview/: the run panel's and the side-panel review's. */
export type RunWebviewBundle = 'panel' | 'review';

export function runWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

export class WebviewChannel implements vscode.Disposable {
  private ready = false;
  private closed = false;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly webview: vscode.Webview,
    extensionUri: vscode.Uri,
    bundle: RunWebviewBundle,
    private readonly host: RunWebviewHost,
  ) {
    webview.html = renderWebviewHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview', `${bundle}.js`)).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css')).toString(),
    });
    this.subscription = webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
  }

  post(message: HostMessage): void {
    // A closed webview refuses messages; a run's late update must not throw for that.
    if (this.ready && !this.closed) void this.webview.postMessage(message);
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
    this.closed = true;
    this.subscription.dispose();
  }
}
