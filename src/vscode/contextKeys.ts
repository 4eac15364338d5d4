// Every context key the extension sets, in one place, so `when` clauses in package.json and the
// code that sets them cannot drift apart.
import * as vscode from 'vscode';

export const contextKeys = {
  /** A HARD STOP waits for "Model Confirmed" in the run shown in the panel. */
  hardStopWaiting: 'dualModel.hardStopWaiting',
  /** The Architect's verdict waits for the user's decision (Phase 5). */
  awaitingReview: 'dualModel.awaitingReview',
  /** A run is in progress (not approved, failed or cancelled). */
  runActive: 'dualModel.runActive',
  /** The shown run's batch waits for the user to go on with the rest or stop (a spec failed its verification). */
  batchPaused: 'dualModel.batchPaused',
  /** The shown run failed and can be retried. */
  runFailed: 'dualModel.runFailed',
  /** Some run found on disk waits for the user to resume it. */
  runsWaitingToResume: 'dualModel.runsWaitingToResume',
} as const;

export function setContext(key: (typeof contextKeys)[keyof typeof contextKeys], value: boolean): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}
