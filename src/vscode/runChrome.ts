// What a run shows outside the panel: the HARD STOP / review status bar item, the context keys
// the menus and keybindings use, and a notification when the panel is not in view.
import * as vscode from 'vscode';
import type { RunRecord } from '../core/workflow/runRecord.js';
import { isHardStop } from '../core/workflow/phases.js';
import { isActive } from '../core/workflow/runState.js';
import { contextKeys, setContext } from './contextKeys.js';

export class RunChrome implements vscode.Disposable {
  private readonly statusItem = vscode.window.createStatusBarItem('dualModel.hardStop', vscode.StatusBarAlignment.Left, 1000);
  private notified = '';

  constructor(
    /** Whether the run panel is in view: then a notification would only repeat it. */
    private readonly panelVisible: () => boolean,
    private readonly showRun: (runId: string) => void,
  ) {
    this.statusItem.name = 'Dual-Model HARD STOP';
  }

  async update(record: RunRecord): Promise<void> {
    const state = record.state;
    const waiting = isHardStop(state.phase);
    await Promise.all([
      setContext(contextKeys.hardStopWaiting, waiting),
      setContext(contextKeys.awaitingReview, state.phase === 'architect-review' && state.verdict !== undefined),
      setContext(contextKeys.runActive, isActive(state)),
      setContext(contextKeys.runFailed, state.phase === 'failed'),
      setContext(contextKeys.batchPaused, state.phase === 'coder-implement' && state.batch?.paused === true),
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

  /**
   * A HARD STOP or a failure is worth a notification only when the panel is not in view, and only
   * once per phase entry (the status bar item stays for as long as it waits).
   */
  private notifyOnce(record: RunRecord, message: string): void {
    const key = `${record.runId}:${record.history.length}`;
    if (this.notified === key || this.panelVisible()) return;
    this.notified = key;
    const waiting = isHardStop(record.state.phase);
    const show = waiting ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
    void show(message, 'Show Run').then((choice) => {
      if (choice) this.showRun(record.runId);
    });
  }

  private runsToResume = false;

  /** Offers "Resume a run found on disk…" in the palette only while one waits. */
  setRunsToResume(waiting: boolean): void {
    if (waiting === this.runsToResume) return;
    this.runsToResume = waiting;
    void setContext(contextKeys.runsWaitingToResume, waiting);
  }

  dispose(): void {
    this.statusItem.dispose();
  }
}
