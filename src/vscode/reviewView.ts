// The side-panel review: a webview view in the Dual-Model activity-bar container, beside the
// Runs tree. It shows the same snapshot as the run panel (the engine's one picture of the run in
// view), laid out for reviewing a Code Report: files with their diffs, the verification's facts,
// blockers with answers, who served each call, and the decisions. Its badge counts the runs
// waiting for the user, so a HARD STOP is seen with the view closed.
import * as vscode from 'vscode';
import type { HostMessage } from '../shared/messages.js';
import { DisposableStore } from './disposables.js';
import { runWebviewOptions, WebviewChannel, type RunWebviewHost } from './webviewChannel.js';

export const REVIEW_VIEW_ID = 'dualModel.review';

export class ReviewView implements vscode.Disposable {
  private view: { webview: vscode.WebviewView; channel: WebviewChannel; disposables: DisposableStore } | undefined;
  private waiting = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly host: RunWebviewHost,
  ) {}

  /** VS Code made the view (first shown, or shown again after it was disposed). */
  attach(webviewView: vscode.WebviewView): void {
    this.detach();
    webviewView.webview.options = runWebviewOptions(this.extensionUri);
    const disposables = new DisposableStore();
    const channel = disposables.add(new WebviewChannel(webviewView.webview, this.extensionUri, 'review', this.host));
    this.view = { webview: webviewView, channel, disposables };
    disposables.add(webviewView.onDidDispose(() => {
      if (this.view?.webview === webviewView) this.detach();
    }));
    this.paintBadge();
  }

  get visible(): boolean {
    return this.view?.webview.visible ?? false;
  }

  /** A snapshot, or a live chunk of a model's answer for the run shown. */
  post(message: HostMessage): void {
    this.view?.channel.post(message);
  }

  /** How many runs wait for the user (a HARD STOP or a review decision): the view's badge. */
  setWaiting(count: number): void {
    if (count === this.waiting) return;
    this.waiting = count;
    this.paintBadge();
  }

  private paintBadge(): void {
    if (!this.view) return;
    this.view.webview.badge = this.waiting > 0 ? { value: this.waiting, tooltip: `${this.waiting} Dual-Model run(s) wait for you` } : undefined;
  }

  private detach(): void {
    this.view?.disposables.dispose();
    this.view = undefined;
  }

  dispose(): void {
    this.detach();
  }
}
